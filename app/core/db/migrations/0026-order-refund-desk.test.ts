import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite, runMigrations } from '../index';
import { makeTempDir } from '../../test-support';
import { MIGRATIONS } from './index';
import { migration0026 } from './0026-order-refund-desk';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migration 0026 order refund desk', () => {
  it('keeps the journal, marks refunds already paid as paid by the gateway, and knows only gateway or manual', () => {
    const dir = makeTempDir('pos-mig26-');
    dirs.push(dir);
    const db = openSqlite(join(dir, 'terminal.db'));
    const before = MIGRATIONS.filter((m) => m.version < 26);
    runMigrations(db, before);
    const insert = db.prepare(
      "INSERT INTO order_refunds (order_id, refund_no, wallet, transaction_id, amount, reason, status, created_at, updated_at) VALUES (?, ?, 'wechat', '4200', 150, 'collected', ?, 'x', 'x')",
    );
    insert.run('o1', 'R1', 'paid');
    insert.run('o2', 'R2', 'declined');
    expect(runMigrations(db, [...before, migration0026])).toEqual([26]);
    const rows = db.prepare('SELECT order_id, status, paid_by FROM order_refunds ORDER BY order_id').all();
    expect(rows).toEqual([
      { order_id: 'o1', status: 'paid', paid_by: 'gateway' },
      { order_id: 'o2', status: 'declined', paid_by: null },
    ]);
    expect(() => db.prepare("UPDATE order_refunds SET paid_by = 'cash' WHERE order_id = 'o2'").run()).toThrow(/CHECK/);
    db.prepare("UPDATE order_refunds SET status = 'paid', paid_by = 'manual', note = 'n' WHERE order_id = 'o2'").run();
    db.close();
  });
});
