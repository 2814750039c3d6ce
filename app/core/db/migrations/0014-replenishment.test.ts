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

describe('migration 0014 replenishment', () => {
  it('adds ordering parameters, demand history, weather and purchase orders, with their checks', () => {
    const dir = makeTempDir('pos-mig14-');
    dirs.push(dir);
    const db = openSqlite(join(dir, 'terminal.db'));
    const before = MIGRATIONS.filter((m) => m.version < 14);
    runMigrations(db, before);
    expect(runMigrations(db, MIGRATIONS).includes(14)).toBe(true);
    db.prepare(
      "INSERT INTO products (sku, name, name_en, price, unit, tax_class, category, active, updated_at) VALUES ('A', '青菜', 'Greens', 300, 'each', 'food-9', 'veg', 1, '2026-12-01')",
    ).run();
    db.prepare(
      "INSERT INTO replenishment_items (sku, family, supplier, case_pack, shelf_life_days, unit_cost) VALUES ('A', 'leafy', 'Farm', 1, 2, 180)",
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO replenishment_items (sku, family, supplier, case_pack, shelf_life_days, unit_cost) VALUES ('A', 'toys', 'X', 1, 2, 1)",
        )
        .run(),
    ).toThrow();
    expect(() =>
      db.prepare("INSERT INTO demand_history (sku, day, units, source) VALUES ('A', '2026-12-01', -1, 'x')").run(),
    ).toThrow();
    db.close();
  });
});
