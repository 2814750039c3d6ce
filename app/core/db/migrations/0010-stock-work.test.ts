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

describe('migration 0010 stock work', () => {
  it('keeps movements and products, adds bodies, cost, shelf life, origin and stocktake tables', () => {
    const dir = makeTempDir('pos-mig10-');
    dirs.push(dir);
    const db = openSqlite(join(dir, 'terminal.db'));
    runMigrations(
      db,
      MIGRATIONS.filter((m) => m.version < 10),
    );
    const at = '2026-12-05T00:00:00Z';
    db.prepare(
      "INSERT INTO products (sku, name, name_en, price, unit, tax_class, category, updated_at) VALUES ('p1', '香蕉', 'Bananas', 698, 'weighed', 'food', 'fruit', ?)",
    ).run(at);
    db.prepare(
      "INSERT INTO stock_movements (id, sku, kind, quantity, ref_id, terminal_id, created_at) VALUES ('m1', 'p1', 'receive', 5000, NULL, 'T01', ?)",
    ).run(at);
    expect(runMigrations(db, MIGRATIONS)).toContain(10);
    expect(db.prepare('SELECT sku, cost, shelf_life_days, origin FROM products').all()).toEqual([
      { sku: 'p1', cost: null, shelf_life_days: null, origin: null },
    ]);
    expect(db.prepare('SELECT id, quantity, body FROM stock_movements').all()).toEqual([
      { id: 'm1', quantity: 5000, body: null },
    ]);
    expect(() => db.prepare("UPDATE products SET cost = -1 WHERE sku = 'p1'").run()).toThrow(/CHECK/);
    db.prepare(
      "INSERT INTO stocktakes (id, scope_kind, scope, status, started_by, started_at) VALUES ('st1', 'category', 'fruit', 'open', 's1', ?)",
    ).run(at);
    const count = db.prepare(
      "INSERT INTO stocktake_counts (stocktake_id, sku, quantity, counted_by, counted_at) VALUES ('st1', 'p1', ?, 's1', ?)",
    );
    count.run(4200, at);
    expect(() => count.run(4300, at)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => db.prepare("UPDATE stocktakes SET status = 'lost'").run()).toThrow(/CHECK/);
    db.close();
  });
});
