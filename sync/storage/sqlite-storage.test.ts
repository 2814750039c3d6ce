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
  return {
    storage: new SqliteSyncStorage(db),
    cleanup: async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('pickup code lookup', () => {
  it('finds online orders by pickup code through its index, not by reading every order', () => {
    const db = new Database(':memory:');
    const storage = new SqliteSyncStorage(db);
    const outbox = attachSyncOutbox(db, { nodeId: 'C1', now: () => 1_700_000_000_000 });
    const order = (id: string, pickupCode: string) =>
      outbox.ops.fact('store:S1', 'online_order', id, { storeId: 'S1', pickupCode, lines: [] });
    outbox.append([order('o1', '11112222'), order('o2', '33334444'), order('o3', '11112222')]);
    outbox.append([outbox.ops.fact('store:S1', 'sale', 's1', { pickupCode: '11112222' })]);
    expect(storage.factKeysByPickupCodeSync('11112222').sort()).toEqual(['o1', 'o3']);
    expect(storage.factKeysByPickupCodeSync('99990000')).toEqual([]);
    // The lookup is a search of the pickup-code index (the planner alone would pick (t, e, k)).
    const traced: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      traced.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    storage.factKeysByPickupCodeSync('11112222');
    db.prepare = prepare;
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${traced[0]}`).all('11112222') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX sync_ops_pickup_code/);
  });
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

describe('local replica reads (what the terminal core may ask its own replica)', () => {
  it('finds facts by id and by body fields, counts movements per ref, and reads the LWW winner', () => {
    const db = new Database(':memory:');
    const outbox = attachSyncOutbox(db, { nodeId: 'T01', now: () => 1_700_000_000_000 });
    const { ops, storage } = outbox;
    outbox.append([
      ops.fact('store:S1', 'shift', 'close-sh1', { event: 'close', shiftId: 'sh1' }),
      ops.move('S1', 'sku1', 'sale', 1, 's-1'),
      ops.move('S1', 'sku1', 'sale', 2, 's-1'),
      ops.move('S1', 'sku1', 'receive', 5),
      ops.move('S2', 'sku1', 'sale', 1, 's-9'),
      ops.set('chain', 'product', 'p1', 'price', 100),
      ops.set('chain', 'product', 'p1', 'price', 120),
      ops.set('chain', 'product', 'p1', 'name', null),
    ]);
    expect(storage.hasFactSync('shift', 'close-sh1')).toBe(true);
    expect(storage.hasFactSync('shift', 'close-sh2')).toBe(false);
    expect(storage.hasFactWithSync('shift', { event: 'close', shiftId: 'sh1' })).toBe(true);
    expect(storage.hasFactWithSync('shift', { event: 'close', shiftId: 'sh2' })).toBe(false);
    expect(storage.hasFactWithSync('sale', { event: 'close', shiftId: 'sh1' })).toBe(false);
    // Field names become a JSON path: anything but a plain name is refused, never spliced into SQL.
    expect(() => storage.hasFactWithSync('shift', { "event') OR 1=1 --": 'x' })).toThrow(/not a fact body field name/);
    expect(storage.movementCountsSync('S1').sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { sku: 'sku1', kind: 'receive', ref: null, count: 1 },
      { sku: 'sku1', kind: 'sale', ref: 's-1', count: 2 },
    ]);
    expect(storage.lwwFieldSync('product', ['p1'], 'price')).toEqual({ found: true, value: 120 });
    expect(storage.lwwFieldSync('product', ['p1'], 'name')).toEqual({ found: true, value: null });
    expect(storage.lwwFieldSync('product', ['p1'], 'unit')).toEqual({ found: false, value: undefined });
    // A refused writer never wins, even with the highest stamp; no key, no value.
    expect(storage.lwwFieldSync('product', ['p1'], 'price', () => false)).toEqual({ found: false, value: undefined });
    expect(storage.lwwFieldSync('product', ['nope', 'p1'], 'price', (op) => op.e === 'product')).toEqual({
      found: true,
      value: 120,
    });
    expect(storage.lwwFieldSync('product', [], 'price')).toEqual({ found: false, value: undefined });
    db.close();
  });
});
