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

describe('migration 0004 payment intents', () => {
  it('creates the journal with status and wallet checks and a pending index', () => {
    const dir = makeTempDir('pos-mig4-');
    dirs.push(dir);
    const db = openSqlite(join(dir, 'terminal.db'));
    expect(
      runMigrations(
        db,
        MIGRATIONS.filter((m) => m.version <= 3),
      ),
    ).toEqual([1, 2, 3]);
    expect(
      runMigrations(
        db,
        MIGRATIONS.filter((m) => m.version <= 4),
      ),
    ).toEqual([4]);
    const ins = db.prepare(
      'INSERT INTO payment_intents (id, sale_id, wallet, amount, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const at = '2026-11-29T00:00:00Z';
    ins.run('p1', 's1', 'wechat', 100, 'charging', at, at);
    db.prepare("UPDATE payment_intents SET status = 'approved', transaction_id = 'T' WHERE id = 'p1'").run();
    expect(() => ins.run('p2', 's1', 'paypal', 100, 'charging', at, at)).toThrow(/CHECK/);
    expect(() => ins.run('p3', 's1', 'alipay', 100, 'pending', at, at)).toThrow(/CHECK/);
    expect(() => ins.run('p4', 's1', 'alipay', 0, 'charging', at, at)).toThrow(/CHECK/);
    const cols = (db.prepare('PRAGMA table_info(payment_intents)').all() as { name: string }[]).map((c) => c.name);
    expect(cols).not.toContain('code');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'payment_intents_pending'").get()).toBeTruthy();
    db.close();
  });
});
