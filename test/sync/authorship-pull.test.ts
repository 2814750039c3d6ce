// The receiving side of the authorship table on a till (issue #10, items 7 and 9): whatever
// its peer serves, a till stores no op that breaks the table or lies outside its read scopes.
// The peer is a real cloud on a loopback socket holding such ops (written straight into its
// store, as an unpatched or compromised peer would); the till is a real sync client on SQLite.
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { createSyncClient, HybridClock, OpFactory, startCloud } from '../../sync';
import { demoProducts } from '../../app/core';
import { cloudDb, quietLog, tempDir } from './helpers';

const STORE = 'S001';
const cola = demoProducts().find((p) => p.nameEn === 'Coca-Cola 330ml')!;

describe('a till pulling from a peer that holds forbidden ops (issue #10, items 7 and 9)', () => {
  it("stores none of them: store-scope catalog, store-wide config by a till, another store's stock, a forged revocation", async () => {
    const db = cloudDb('authz_pull');
    const peer = await startCloud({
      ...db,
      demo: true,
      demoEnrollCode: 'DEMO-PULL',
      demoStoreId: STORE,
      log: quietLog,
    });
    const tdb = new Database(join(tempDir('authz-pull'), 't.db'));
    try {
      const r66 = new OpFactory(new HybridClock({ nodeId: 'R66', now: Date.now }));
      const hq = new OpFactory(new HybridClock({ nodeId: 'C0000beef', now: Date.now }));
      const bad = [
        r66.set(`store:${STORE}`, 'product', cola.sku, 'price', 1),
        r66.set(`store:${STORE}`, 'price', cola.sku, 'price', 1),
        r66.set(`store:${STORE}`, 'config', STORE, 'maxCashierDiscountPercent', 100),
        { ...r66.move('S002', 'x1', 'receive', 500), s: `store:${STORE}` },
        r66.fact(`store:${STORE}`, 'device_revoked', 'T01', { at: '2099-01-01T00:00:00Z' }),
      ];
      const good = [hq.set('chain', 'product', cola.sku, 'price', 1190), r66.move(STORE, 'x1', 'sale', 1)];
      // Written straight into the peer's store, as an unpatched or compromised peer would hold them.
      await peer.storage.apply([...bad, ...good], 'legacy');
      const t = createSyncClient({
        db: tdb,
        cloudUrl: peer.url,
        enrollCode: 'DEMO-PULL',
        storeId: STORE,
        terminalId: 'T01',
        log: quietLog,
      });
      await t.syncNow();
      const held = new Set((await t.outbox.storage.allOps()).map((o) => o.id));
      expect(bad.filter((o) => held.has(o.id))).toEqual([]);
      expect(good.every((o) => held.has(o.id))).toBe(true);
      await t.stop();
    } finally {
      tdb.close();
      if (process.env['DATABASE_URL']) await peer.storage.dropSchema();
      await peer.close();
    }
  }, 120_000);
});
