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
