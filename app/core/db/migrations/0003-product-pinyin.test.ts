import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite, runMigrations } from '../index';
import { makeTempDir } from '../../test-support';
import { migration0001 } from './0001-initial-schema';
import { migration0002 } from './0002-immutable-facts';
import { migration0003 } from './0003-product-pinyin';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migration 0003 product pinyin', () => {
  it('adds pinyin columns and backfills products that existed before', () => {
    const dir = makeTempDir('pos-mig3-');
    dirs.push(dir);
    const db = openSqlite(join(dir, 'terminal.db'));
    runMigrations(db, [migration0001, migration0002]);
    db.prepare(
      "INSERT INTO products (sku, name, name_en, price, unit, tax_class, category, updated_at) VALUES ('1', '有机牛奶', 'Organic Milk', 1850, 'each', 'food-9', 'dairy', '2026-11-29T00:00:00Z')",
    ).run();
    expect(runMigrations(db, [migration0001, migration0002, migration0003])).toEqual([3]);
    expect(db.prepare("SELECT pinyin_full, pinyin_initials FROM products WHERE sku = '1'").get()).toEqual({
      pinyin_full: 'youjiniunai',
      pinyin_initials: 'yjnn',
    });
    db.prepare(
      "INSERT INTO products (sku, name, name_en, price, unit, tax_class, category, updated_at) VALUES ('2', 'x', 'x', 1, 'each', 'food-9', 'c', '2026-11-29T00:00:00Z')",
    ).run();
    expect(db.prepare("SELECT pinyin_full FROM products WHERE sku = '2'").get()).toEqual({ pinyin_full: '' });
    db.close();
  });
});
