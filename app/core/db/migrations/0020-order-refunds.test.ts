import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite, runMigrations } from '../index';
import { makeTempDir } from '../../test-support';
import { MIGRATIONS } from './index';
import { migration0020 } from './0020-order-refunds';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migration 0020 order refunds', () => {
  it('journals one refund per order with a unique refund number and a known status', () => {
    const dir = makeTempDir('pos-mig20-');
    dirs.push(dir);
    const db = openSqlite(join(dir, 'terminal.db'));
    const before = MIGRATIONS.filter((m) => m.version < 20);
    runMigrations(db, before);
    expect(runMigrations(db, [...before, migration0020])).toEqual([20]);
    const insert = db.prepare(
      "INSERT INTO order_refunds (order_id, refund_no, wallet, transaction_id, amount, reason, status, created_at, updated_at) VALUES (?, ?, 'wechat', '4200', ?, 'collected', ?, 'x', 'x')",
    );
    insert.run('o1', 'R1', 150, 'owed');
    expect(() => insert.run('o1', 'R2', 150, 'owed')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insert.run('o2', 'R1', 150, 'owed')).toThrow(/UNIQUE/);
    expect(() => insert.run('o3', 'R3', 0, 'owed')).toThrow(/CHECK/);
    expect(() => insert.run('o4', 'R4', 10, 'maybe')).toThrow(/CHECK/);
    db.close();
  });
});
