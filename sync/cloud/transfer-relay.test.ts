// The cloud's transfer relay: a step written by the store that may take it is copied into the
// other store's scope as a cloud fact; a step written by the wrong store, a cloud copy (no echo)
// or a fact in a scope that names neither store is not relayed (and the last is refused). A relay
// that fails is retried until the copy is written, once (real PGlite storage; the failure is a
// wrapper that throws on the first write, standing in for a dropped database connection).
import { afterAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { HybridClock, OpFactory, opRefusal, type Op } from '../core';
import { PgSyncStorage, pgliteDriver, type SyncStorage } from '../storage';
import { createTransferRelay, transferRelayOps, type TransferRelayStorage } from './transfer-relay';

const by = (node: string) => new OpFactory(new HybridClock({ nodeId: node, now: () => 1_764_000_000_000 }));
const cloud = by('C0123abcd');
const body = (status: string) => ({
  id: 'TR-1',
  fromStore: 'S001',
  toStore: 'S002',
  sku: '6901',
  quantity: 6,
  status,
  requestedAt: '2026-12-05T10:00:00.000Z',
  shippedQuantity: status === 'requested' ? null : 6,
  shippedAt: status === 'requested' ? null : '2026-12-05T10:05:00.000Z',
  receivedQuantity: status === 'received' ? 5 : null,
  receivedAt: status === 'received' ? '2026-12-05T11:00:00.000Z' : null,
  variance: status === 'received' ? -1 : null,
});
const step = (node: string, scope: string, status: string): Op =>
  by(node).fact(scope, 'transfer', `TR-1:${status}`, body(status));

describe('transfer relay', () => {
  it("copies each store's own step into the other store's scope", () => {
    const out = transferRelayOps(
      [
        step('S002_T01', 'store:S002', 'requested'),
        step('S001_T01', 'store:S001', 'shipped'),
        step('S002_T01', 'store:S002', 'received'),
      ],
      cloud,
    );
    expect(out.map((o) => [o.s, o.k])).toEqual([
      ['store:S001', 'TR-1:requested'],
      ['store:S002', 'TR-1:shipped'],
      ['store:S001', 'TR-1:received'],
    ]);
    expect(out.every((o) => o.id.endsWith('C0123abcd') && o.e === 'transfer' && opRefusal(o) === null)).toBe(true);
    expect(out[1]!.b).toEqual(body('shipped'));
  });

  it('does not relay a step of the wrong store, nor its own copies', () => {
    const wrong = [
      step('S002_T01', 'store:S002', 'shipped'), // the receiver cannot ship
      step('S001_T01', 'store:S001', 'received'), // the sender cannot receive
      step('S001_T01', 'store:S001', 'requested'), // the sender does not request
      step('C0123abcd', 'store:S002', 'requested'), // a cloud copy: no echo
    ];
    expect(transferRelayOps(wrong, cloud)).toEqual([]);
  });

  it('refuses a transfer fact in the scope of a store it does not name', () => {
    expect(opRefusal(step('S003_T01', 'store:S003', 'requested'))).toMatchObject({ code: 'SCOPE_FORBIDDEN' });
    expect(opRefusal(step('S002_T01', 'store:S002', 'requested'))).toBeNull();
  });
});

describe('transfer relay retries (PGlite)', () => {
  const driverP = pgliteDriver();
  let n = 0;
  const open = async () =>
    PgSyncStorage.open({ ...(await driverP), close: async () => {} }, `relay_${process.pid}_${n++}`);
  afterAll(async () => (await driverP).close());
  const silent = pino({ level: 'silent' });
  const live = (node: string) => new OpFactory(new HybridClock({ nodeId: node, now: Date.now }));
  const liveStep = (node: string, scope: string, status: string): Op =>
    live(node).fact(scope, 'transfer', `TR-1:${status}`, body(status));
  /** Copies of TR-1's steps held in a scope (every op, not only the winner: a duplicate would show). */
  const copiesIn = async (storage: SyncStorage, scope: string) =>
    (await storage.allOps(scope)).filter((o) => o.e === 'transfer').map((o) => o.k);
  const until = async (what: string, check: () => Promise<boolean>) => {
    for (let i = 0; i < 200; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out: ${what}`);
  };

  it('retries a relay whose first write fails and writes the copy exactly once', async () => {
    const storage = await open();
    let failures = 0;
    // The first relay write fails as a dropped connection would; everything else reaches PGlite.
    const flaky: TransferRelayStorage = {
      apply: async (ops, origin) => {
        if (origin === 'cloud' && failures === 0) {
          failures++;
          throw new Error('Connection terminated unexpectedly');
        }
        return storage.apply(ops, origin);
      },
      keyRange: (q) => storage.keyRange(q),
      scopes: () => storage.scopes(),
    };
    const relay = createTransferRelay(flaky, live('C0123abcd'), silent, { retryMs: 20 });
    try {
      await relay.idle(); // the start sweep: nothing to do yet
      const applied = await storage.apply([liveStep('S002_T01', 'store:S002', 'requested')], 'S002/T01');
      relay.relay(applied.appliedOps);
      await until('the retried copy', async () => (await copiesIn(storage, 'store:S001')).length > 0);
      expect(failures).toBe(1);
      expect(await copiesIn(storage, 'store:S001')).toEqual(['TR-1:requested']);
      // Relayed again (a re-delivery, a periodic sweep): nothing new is written.
      relay.relay(applied.appliedOps);
      expect(await relay.sweep()).toBe(0);
      await relay.idle();
      expect(await copiesIn(storage, 'store:S001')).toEqual(['TR-1:requested']);
    } finally {
      relay.stop();
      await storage.dropSchema();
    }
  });

  it('relays at start what was stored but never relayed (the instance died in between)', async () => {
    const storage = await open();
    await storage.apply(
      [liveStep('S002_T01', 'store:S002', 'requested'), liveStep('S001_T01', 'store:S001', 'shipped')],
      'S00x',
    );
    const relay = createTransferRelay(storage, live('C0123abce'), silent, { retryMs: 20 });
    try {
      await until('the start sweep', async () => (await copiesIn(storage, 'store:S002')).length === 2);
      expect((await copiesIn(storage, 'store:S002')).sort()).toEqual(['TR-1:requested', 'TR-1:shipped']);
      expect((await copiesIn(storage, 'store:S001')).sort()).toEqual(['TR-1:requested', 'TR-1:shipped']);
      expect(await relay.sweep()).toBe(0);
    } finally {
      relay.stop();
      await storage.dropSchema();
    }
  });
});
