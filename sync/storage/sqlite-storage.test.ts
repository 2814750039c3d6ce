import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storageContract } from './storage-contract.case';
import { SqliteSyncStorage } from './sqlite-storage';
import { attachSyncOutbox } from './outbox';

storageContract('SQLite (better-sqlite3, file in a temp dir)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sync-sqlite-'));
  const db = new Database(join(dir, 'replica.db'));
  db.pragma('journal_mode = WAL');
  return { storage: new SqliteSyncStorage(db), cleanup: async () => { db.close(); rmSync(dir, { recursive: true, force: true }); } };
});

describe('outbox', () => {
  it('commits ops with the domain write, or neither', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE sale (id TEXT PRIMARY KEY, total INTEGER NOT NULL)');
    const outbox = attachSyncOutbox(db, { nodeId: 'T01', now: () => 1_700_000_000_000 });
    const record = db.transaction((id: string, total: number, fail: boolean) => {
      db.prepare('INSERT INTO sale (id, total) VALUES (?, ?)').run(id, total);
      outbox.append([outbox.ops.fact('store:S1', 'sale', id, { total }), outbox.ops.move('S1', 'sku1', 'sale', 1, id)]);
      if (fail) throw new Error('printer jam before commit');
    });
    record('s-1', 990, false);
    expect(() => record('s-2', 500, true)).toThrow(/printer jam/);
    expect(db.prepare('SELECT count(*) AS c FROM sale').get()).toEqual({ c: 1 });
    expect(outbox.storage.countSinceSync({ after: 0, scopes: ['store:S1'] })).toBe(2);
    // The clock's last stamp survives a restart so new stamps never collide with old ones.
    const again = attachSyncOutbox(db, { nodeId: 'T01', now: () => 1_600_000_000_000 });
    const next = again.ops.move('S1', 'sku1', 'sale', 1);
    const all = outbox.storage.readSinceSync({ after: 0, scopes: ['store:S1'], limit: 10 }).ops;
    expect(all.every((o) => o.id < next.id)).toBe(true);
  });
});
