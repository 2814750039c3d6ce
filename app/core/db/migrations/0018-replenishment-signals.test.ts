import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite, runMigrations } from '../index';
import { makeTempDir } from '../../test-support';
import { MIGRATIONS } from './index';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migration 0018 replenishment signals', () => {
  it('keeps old history rows (no promotion, no group-buy) and old orders (nothing received), and checks the new columns', () => {
    const dir = makeTempDir('pos-mig18-');
    dirs.push(dir);
    const db = openSqlite(join(dir, 'terminal.db'));
    runMigrations(
      db,
      MIGRATIONS.filter((m) => m.version < 18),
    );
    db.prepare("INSERT INTO demand_history (sku, day, units, source) VALUES ('A', '2026-11-01', 12, 'import')").run();
    db.prepare(
      "INSERT INTO purchase_orders (id, for_day, created_at, staff_id, status, lines) VALUES ('po1', '2026-11-02', '2026-11-01T10:00:00Z', 's', 'sent', '[]')",
    ).run();
    expect(runMigrations(db, MIGRATIONS).includes(18)).toBe(true);
    expect(db.prepare('SELECT promo, group_buy FROM demand_history').get()).toEqual({ promo: 0, group_buy: 0 });
    expect(db.prepare('SELECT received FROM purchase_orders').get()).toEqual({ received: '{}' });
    db.prepare(
      "INSERT INTO products (sku, name, name_en, price, unit, tax_class, category, active, updated_at) VALUES ('A', '青菜', 'Greens', 300, 'each', 'food-9', 'veg', 1, '2026-12-01')",
    ).run();
    db.prepare(
      "INSERT INTO replenishment_items (sku, family, supplier, case_pack, shelf_life_days, unit_cost) VALUES ('A', 'leafy', 'Farm', 1, 2, 180)",
    ).run();
    expect(db.prepare('SELECT service_level FROM replenishment_items').get()).toEqual({ service_level: null });
    expect(() => db.prepare('UPDATE replenishment_items SET service_level = 0.99').run()).toThrow();
    db.prepare('UPDATE replenishment_items SET service_level = 0.9').run();
    expect(() =>
      db
        .prepare("INSERT INTO demand_history (sku, day, units, source, promo) VALUES ('A', '2026-11-03', 1, 'x', 1)")
        .run(),
    ).toThrow();
    expect(() =>
      db
        .prepare(
          "INSERT INTO demand_history (sku, day, units, source, group_buy) VALUES ('A', '2026-11-03', 1, 'x', -2)",
        )
        .run(),
    ).toThrow();
    db.close();
  });
});
