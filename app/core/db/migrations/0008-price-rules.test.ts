import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite, runMigrations } from '../index';
import { makeTempDir } from '../../test-support';
import { MIGRATIONS } from './index';
import { migration0008 } from './0008-price-rules';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migration 0008 price rules', () => {
  it('adds the rules table and the pricing columns; an open cart and a sale from before keep working', () => {
    const dir = makeTempDir('pos-mig8-');
    dirs.push(dir);
    const db = openSqlite(join(dir, 'terminal.db'));
    runMigrations(
      db,
      MIGRATIONS.filter((m) => m.version < 8),
    );
    db.prepare(
      "INSERT INTO carts (id, status, created_at, updated_at) VALUES ('c1', 'open', '2026-12-05T00:00:00Z', '2026-12-05T00:00:00Z')",
    ).run();
    expect(runMigrations(db, [...MIGRATIONS.filter((m) => m.version < 8), migration0008])).toEqual([8]);
    expect(db.prepare("SELECT applied_rules, pricing_notes FROM carts WHERE id = 'c1'").get()).toEqual({
      applied_rules: null,
      pricing_notes: null,
    });
    db.prepare(
      "INSERT INTO price_rules (id, origin, body, updated_at) VALUES ('md-1', 'store', '{}', '2026-12-05T00:00:00Z')",
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO price_rules (id, origin, body, updated_at) VALUES ('x', 'mall', '{}', '2026-12-05T00:00:00Z')",
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(db.prepare("SELECT name FROM pragma_table_info('sale_lines') WHERE name = 'discounts'").get()).toEqual({
      name: 'discounts',
    });
    db.close();
  });
});
