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

describe('migration 0006 payment attempts', () => {
  it('keeps journalled charges, gives each a merchant order number, and allows pending/unknown/reversing', () => {
    const dir = makeTempDir('pos-mig6-');
    dirs.push(dir);
    const db = openSqlite(join(dir, 'terminal.db'));
    runMigrations(
      db,
      MIGRATIONS.filter((m) => m.version <= 5),
    );
    const at = '2026-11-29T00:00:00Z';
    db.prepare(
      "INSERT INTO payment_intents (id, sale_id, wallet, amount, status, transaction_id, created_at, updated_at) VALUES ('0190aaaa-bbbb-7ccc-8ddd-eeeeffff0000', 's1', 'wechat', 100, 'unknown', NULL, ?, ?)",
    ).run(at, at);
    expect(
      runMigrations(
        db,
        MIGRATIONS.filter((m) => m.version <= 6),
      ),
    ).toEqual([6]);
    expect(db.prepare('SELECT sale_id, status, out_trade_no FROM payment_intents').all()).toEqual([
      { sale_id: 's1', status: 'unknown', out_trade_no: '0190aaaabbbb7ccc8dddeeeeffff0000' },
    ]);
    const ins = db.prepare(
      "INSERT INTO payment_intents (id, sale_id, wallet, amount, status, out_trade_no, created_at, updated_at) VALUES (?, 's2', 'alipay', 100, ?, ?, ?, ?)",
    );
    for (const s of ['pending', 'reversing', 'reversed']) ins.run(`p-${s}`, s, `o-${s}`, at, at);
    expect(() => ins.run('p-x', 'refunded', 'o-x', at, at)).toThrow(/CHECK/);
    expect(() => ins.run('p-y', 'pending', 'o-pending', at, at)).toThrow(/UNIQUE/);
    db.close();
  });
});
