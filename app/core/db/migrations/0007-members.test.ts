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

describe('migration 0007 members', () => {
  it('keeps open carts, gives them an empty member, and credits a sale to one member only', () => {
    const dir = makeTempDir('pos-mig7-');
    dirs.push(dir);
    const db = openSqlite(join(dir, 'terminal.db'));
    runMigrations(
      db,
      MIGRATIONS.filter((m) => m.version <= 6),
    );
    const at = '2026-12-05T00:00:00Z';
    db.prepare("INSERT INTO carts (id, status, created_at, updated_at) VALUES ('c1', 'open', ?, ?)").run(at, at);
    expect(runMigrations(db, MIGRATIONS)[0]).toBe(7);
    expect(db.prepare('SELECT id, member_id, member_level, member_tags, member_display FROM carts').all()).toEqual([
      { id: 'c1', member_id: null, member_level: null, member_tags: null, member_display: null },
    ]);
    db.prepare(
      "INSERT INTO sales (id, number, seq, receipt_code, terminal_id, store_id, cashier_id, cashier_name, cashier_role, subtotal, discount, rounding, total, currency, change, created_at) VALUES ('s1', 'T01-1', 1, 'r1', 'T01', 'st', 'u', 'n', 'cashier', 100, 0, 0, 100, 'CNY', 0, ?)",
    ).run(at);
    const credit = db.prepare(
      'INSERT INTO sale_members (sale_id, member_id, points_earned, created_at) VALUES (?, ?, ?, ?)',
    );
    credit.run('s1', 'm1', 1, at);
    expect(() => credit.run('s1', 'm2', 1, at)).toThrow(/UNIQUE|PRIMARY/);
    const nonce = db.prepare('INSERT INTO member_code_nonces (nonce, member_id, expires_at) VALUES (?, ?, ?)');
    nonce.run('abcd', 'm1', 1);
    expect(() => nonce.run('abcd', 'm1', 2)).toThrow(/UNIQUE|PRIMARY/);
    db.close();
  });
});
