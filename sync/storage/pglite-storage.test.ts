import { describe, expect, it } from 'vitest';
import { HybridClock, OpFactory, formatDigest, opHash } from '../core';
import { storageContract } from './storage-contract.case';
import { PgSyncStorage } from './pg-storage';
import { pgliteDriver } from './pg-driver';

// One embedded PGlite (in memory) per test file; each opened storage gets its own schema.
let n = 0;
const driverP = pgliteDriver();
storageContract('PGlite (embedded Postgres)', async () => {
  const driver = await driverP;
  const storage = await PgSyncStorage.open({ ...driver, close: async () => {} }, `c_${process.pid}_${n++}`);
  return {
    storage,
    cleanup: async () => {
      await storage.dropSchema();
    },
  };
});

describe('apply_ops_v3 (columns) beside apply_ops_v2 and apply_ops (rows; instances of earlier versions)', () => {
  it('stores the same body text whichever generation wrote it, so instances of all three can share a schema', async () => {
    const driver = await driverP;
    const storage = await PgSyncStorage.open({ ...driver, close: async () => {} }, `v3_${process.pid}`);
    try {
      const f = new OpFactory(new HybridClock({ nodeId: 'S1_T01', now: () => 1_764_000_000_000 }));
      const bodies: unknown[] = [
        { a: '中"x', b: [1, 2.5], c: null },
        'null',
        0,
        false,
        null,
        [1, { d: 'e' }],
        { s: 'a\\b\n\u0000' },
        'text',
        -1.5e-7,
      ];
      const ops = bodies.map((b, i) => ({ ...f.set('store:S1', 'price', `p${i}`, 'price', 1), b }));
      // This version (apply_ops_v3).
      await storage.apply(ops.slice(0, 3), 'new');
      // What an instance of the previous version sends to apply_ops_v2: rows, bodies as JSON values.
      const v2 = ops.slice(3, 6).map((o) => [o.id, o.s, o.t, o.e, o.k, o.f, o.n, o.b ?? null, opHash(o.id)]);
      await driver.query(`SELECT ${storage.table}.apply_ops_v2($1::json, 'v2', $2::text[], true)`, [
        JSON.stringify(v2),
        ['store:S1'],
      ]);
      // …and the one before it to apply_ops: each body already JSON text.
      const old = ops
        .slice(6)
        .map((o) => [o.id, o.s, o.t, o.e, o.k, o.f, o.n, o.b === null ? null : JSON.stringify(o.b), opHash(o.id)]);
      await driver.query(`SELECT ${storage.table}.apply_ops($1::json, 'old', $2::text[], true)`, [
        JSON.stringify(old),
        ['store:S1'],
      ]);
      const rows = (
        await driver.query<{ id: string; b: string | null }>(`SELECT id, b FROM ${storage.table}.ops ORDER BY seq`)
      ).rows;
      expect(rows.map((r) => r.b)).toEqual(bodies.map((b) => (b === null ? null : JSON.stringify(b))));
      expect((await storage.allOps('store:S1')).map((o) => o.b)).toEqual(bodies);
      expect(await storage.digests(['store:S1'])).toEqual({
        'store:S1': formatDigest({ count: 9, sum: ops.reduce((s, o) => (s + opHash(o.id)) % 2 ** 48, 0) }),
      });
      // A batch repeating held ops answers them as duplicates and stores nothing twice.
      const again = await storage.apply([...ops.slice(4, 7), ops[0]!], 'new');
      expect(again).toMatchObject({ applied: 0, duplicates: 4 });
      expect(await storage.digests(['store:S1'])).toEqual({
        'store:S1': formatDigest({ count: 9, sum: ops.reduce((s, o) => (s + opHash(o.id)) % 2 ** 48, 0) }),
      });
    } finally {
      await storage.dropSchema();
    }
  });
});
