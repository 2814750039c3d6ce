import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite, runMigrations, appliedVersions } from '../index';
import { makeTempDir } from '../../test-support';
import { migration0001 } from './0001-initial-schema';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function freshDb() {
  const dir = makeTempDir('pos-mig1-');
  dirs.push(dir);
  return openSqlite(join(dir, 'terminal.db'));
}

describe('migration 0001 initial schema', () => {
  it('creates every table and records itself once', () => {
    const db = freshDb();
    expect(runMigrations(db, [migration0001])).toEqual([1]);
    expect(runMigrations(db, [migration0001])).toEqual([]);
    expect(appliedVersions(db)).toEqual([1]);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
    ).map((r) => r.name);
    for (const t of [
      'products',
      'barcodes',
      'staff',
      'sessions',
      'carts',
      'cart_lines',
      'sales',
      'sale_lines',
      'sale_tenders',
      'returns',
      'return_lines',
      'return_tenders',
      'shifts',
      'shift_closes',
      'cash_movements',
      'stock_movements',
      'audit_log',
      'kv',
      'schema_migrations',
    ]) {
      expect(tables).toContain(t);
    }
    db.close();
  });

  it('uses WAL and synchronous=FULL on the real file', () => {
    const db = freshDb();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });

  it('enforces the schema rules: one open cart, valid units, unique sale numbers, barcode -> product', () => {
    const db = freshDb();
    runMigrations(db, [migration0001]);
    const at = '2026-11-29T00:00:00.000Z';
    db.prepare("INSERT INTO carts (id, status, created_at, updated_at) VALUES ('c1', 'open', ?, ?)").run(at, at);
    expect(() =>
      db.prepare("INSERT INTO carts (id, status, created_at, updated_at) VALUES ('c2', 'open', ?, ?)").run(at, at),
    ).toThrow(/UNIQUE/);
    db.prepare("INSERT INTO carts (id, status, created_at, updated_at) VALUES ('c3', 'parked', ?, ?)").run(at, at);
    expect(() =>
      db
        .prepare(
          "INSERT INTO products (sku, name, name_en, price, unit, tax_class, category, updated_at) VALUES ('x', 'x', 'x', 1, 'box', 'food-9', 'c', ?)",
        )
        .run(at),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO products (sku, name, name_en, price, unit, tax_class, category, updated_at) VALUES ('x', 'x', 'x', -1, 'each', 'food-9', 'c', ?)",
        )
        .run(at),
    ).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO barcodes (code, sku) VALUES ('06901234567892', 'missing')").run()).toThrow(
      /FOREIGN KEY/,
    );
    const sale =
      db.prepare(`INSERT INTO sales (id, number, seq, receipt_code, terminal_id, store_id, cashier_id, cashier_name, cashier_role, subtotal, discount, rounding, total, currency, change, created_at)
      VALUES (?, ?, ?, ?, 'T01', 's', 'u', 'n', 'cashier', 1, 0, 0, 1, 'CNY', 0, ?)`);
    sale.run('a', 'T01-000001', 1, 'R:s:T01-000001', at);
    expect(() => sale.run('b', 'T01-000001', 2, 'R:s:x', at)).toThrow(/UNIQUE/);
    expect(() => sale.run('c', 'T01-000002', 1, 'R:s:y', at)).toThrow(/UNIQUE/);
    db.close();
  });

  it('rolls back a failing migration completely', () => {
    const db = freshDb();
    const broken = {
      version: 9,
      name: 'broken',
      up: (d: typeof db) => {
        d.exec('CREATE TABLE half (x)');
        throw new Error('boom');
      },
    };
    expect(() => runMigrations(db, [migration0001, broken])).toThrow('boom');
    expect(appliedVersions(db)).toEqual([1]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    db.close();
  });
});
