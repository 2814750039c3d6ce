import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite, runMigrations } from '../index';
import { makeTempDir } from '../../test-support';
import { migration0001 } from './0001-initial-schema';
import { migration0002 } from './0002-immutable-facts';
import { migration0003 } from './0003-product-pinyin';
import { migration0004 } from './0004-payment-intents';
import { migration0005 } from './0005-cart-discount-approval';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migration 0005 cart discount approval', () => {
  it('adds the approval columns; a line that existed before has no approval', () => {
    const dir = makeTempDir('pos-mig5-');
    dirs.push(dir);
    const db = openSqlite(join(dir, 'terminal.db'));
    runMigrations(db, [migration0001, migration0002, migration0003, migration0004]);
    db.prepare(
      "INSERT INTO carts (id, status, created_at, updated_at) VALUES ('c1', 'open', '2026-11-29T00:00:00Z', '2026-11-29T00:00:00Z')",
    ).run();
    db.prepare(
      `INSERT INTO cart_lines (id, cart_id, position, sku, name, name_en, unit, quantity, unit_price, discount_kind, discount_value)
      VALUES ('l1', 'c1', 1, '100401', '有机牛奶', 'Organic Milk', 'each', 1, 1850, 'percent', 50)`,
    ).run();
    expect(runMigrations(db, [migration0001, migration0002, migration0003, migration0004, migration0005])).toEqual([5]);
    expect(
      db
        .prepare(
          "SELECT discount_approved_by, discount_approved_amount, discount_approved_gross, discount_approved_quantity, discount_approved_weight_grams FROM cart_lines WHERE id = 'l1'",
        )
        .get(),
    ).toEqual({
      discount_approved_by: null,
      discount_approved_amount: null,
      discount_approved_gross: null,
      discount_approved_quantity: null,
      discount_approved_weight_grams: null,
    });
    expect(() => db.prepare("UPDATE cart_lines SET discount_approved_amount = -1 WHERE id = 'l1'").run()).toThrow(
      /CHECK/,
    );
    db.close();
  });
});
