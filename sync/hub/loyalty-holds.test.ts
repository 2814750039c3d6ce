// The hub's stored-value and points holds on a real SQLite replica: a yuan or a point is held for
// one cart at a time; a confirmed spend counts until its own ledger entry arrives and then only
// the ledger counts it (never twice, never a gap); a hold a crashed till left lapses; ledger rows
// of another store, PIN settings and a row that arrived twice change nothing.
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { HybridClock, OpFactory, storeScope } from '../core';
import { SqliteSyncStorage } from '../storage';
import type { DeviceClaims } from '../protocol';
import { LOYALTY_HOLD_MS, loyaltyHolds, type LoyaltyHoldInput } from './loyalty-holds';

const till = (d: string): DeviceClaims => ({ d, st: 'S1', r: 'terminal', iat: 0 });
const T01 = till('T01');
const T02 = till('T02');

function hubReplica() {
  let now = 1_000_000;
  const db = new Database(':memory:');
  const storage = new SqliteSyncStorage(db);
  const ops = new OpFactory(new HybridClock({ nodeId: 'T09', now: Date.now }));
  const holds = loyaltyHolds(db, 'S1', () => now);
  const entry = (id: string, memberId: string, kind: string, fen: number, ref = id, store = 'S1') =>
    storage.applySync(
      [
        ops.fact(storeScope(store), 'stored_value', id, {
          entry: kind,
          id,
          memberId,
          kind,
          principal: fen,
          bonus: 0,
          ref,
        }),
      ],
      'T09',
    );
  const points = (memberId: string, delta: number, reason: string, ref: string) =>
    storage.applySync([ops.points(storeScope('S1'), memberId, delta, reason, ref)], 'T09');
  return { db, holds, entry, points, pass: (ms: number) => (now += ms) };
}

const sv = (cartId: string, saleId: string, amount: number, memberIds = ['M1']): LoyaltyHoldInput => ({
  kind: 'stored_value',
  memberIds,
  amount,
  cartId,
  saleId,
});

describe('stored-value holds at the hub', () => {
  it('one ¥100 balance, two carts asking ¥74: the first holds it, the second is told who holds it; a release frees it', () => {
    const h = hubReplica();
    h.entry('e1', 'M1', 'topup', 10_000);
    expect(h.holds.hold(T01, sv('c1', 's1', 7400))).toEqual({ ok: true, available: 2600 });
    expect(h.holds.hold(T02, sv('c2', 's2', 7400))).toEqual({
      ok: false,
      code: 'LOYALTY_INSUFFICIENT',
      balance: 10_000,
      held: 7400,
      available: 2600,
      heldBy: ['T01'],
    });
    // The same cart asking again (a retried payment) replaces its own hold.
    expect(h.holds.hold(T01, sv('c1', 's1', 7400)).ok).toBe(true);
    // Another till cannot release T01's hold, and T02's own small spend still fits.
    expect(h.holds.release(T02, { kind: 'stored_value', cartId: 'c1' })).toEqual({ ok: true, released: false });
    expect(h.holds.hold(T02, sv('c3', 's3', 2600)).ok).toBe(true);
    expect(h.holds.release(T02, { kind: 'stored_value', cartId: 'c3' })).toEqual({ ok: true, released: true });
    expect(h.holds.release(T01, { kind: 'stored_value', cartId: 'c1' })).toEqual({ ok: true, released: true });
    expect(h.holds.hold(T02, sv('c2', 's2', 7400)).ok).toBe(true);
  });

  it('a confirmed spend counts until its ledger entry arrives, then the ledger alone counts it', () => {
    const h = hubReplica();
    h.entry('e1', 'M1', 'topup', 10_000);
    expect(h.holds.hold(T01, sv('c1', 's1', 7400)).ok).toBe(true);
    h.holds.confirm(T01, sv('c1', 's1', 7400));
    // A confirmed spend is not released by a late release (the sale stands).
    expect(h.holds.release(T01, { kind: 'stored_value', cartId: 'c1' }).released).toBe(false);
    // Past the hold's own lapse time the confirmed spend still counts: its ledger row is not here yet.
    h.pass(LOYALTY_HOLD_MS + 1);
    expect(h.holds.hold(T02, sv('c2', 's2', 2601))).toMatchObject({ ok: false, held: 7400, available: 2600 });
    h.entry('e2', 'M1', 'spend', -7400, 's1');
    expect(h.holds.hold(T02, sv('c2', 's2', 2601))).toMatchObject({ ok: false, balance: 2600, held: 0 });
    expect(h.holds.hold(T02, sv('c2', 's2', 2600))).toEqual({ ok: true, available: 0 });
  });

  it('a hold a crashed till never released lapses after 15 minutes', () => {
    const h = hubReplica();
    h.entry('e1', 'M1', 'topup', 10_000);
    expect(h.holds.hold(T01, sv('c1', 's1', 10_000)).ok).toBe(true);
    h.pass(LOYALTY_HOLD_MS - 1);
    expect(h.holds.hold(T02, sv('c2', 's2', 1)).ok).toBe(false);
    h.pass(2);
    expect(h.holds.hold(T02, sv('c2', 's2', 10_000)).ok).toBe(true);
  });

  it("counts the member's whole One-ID group, once per ledger row; other stores, PINs and other members count nothing", () => {
    const h = hubReplica();
    h.entry('e1', 'M1', 'topup', 5000);
    h.entry('e2', 'M1b', 'topup', 5000); // merged into M1 on the tills
    h.entry('e3', 'M1', 'topup', 90_000, 'e3', 'S2'); // another store's scope
    h.entry('e4', 'M2', 'topup', 90_000);
    h.entry('p1', 'M1', 'pin', 90_000); // a PIN setting is no money
    h.entry('e1', 'M1', 'topup', 5000); // the same row again under a new op id
    expect(h.holds.hold(T01, sv('c1', 's1', 10_001, ['M1', 'M1b']))).toMatchObject({ ok: false, balance: 10_000 });
    expect(h.holds.hold(T01, sv('c1', 's1', 5001, ['M1']))).toMatchObject({ ok: false, balance: 5000 });
    // A hold on one id of the group is seen from the other.
    expect(h.holds.hold(T01, sv('c1', 's1', 6000, ['M1', 'M1b'])).ok).toBe(true);
    expect(h.holds.hold(T02, sv('c2', 's2', 4001, ['M1b', 'M1']))).toMatchObject({ ok: false, held: 6000 });
  });
});

describe('points holds at the hub', () => {
  it('points are held like stored value, and a redeem op that arrives ends the hold', () => {
    const h = hubReplica();
    h.points('M1', 148, 'sale', 's0');
    const pts = (cartId: string, saleId: string, amount: number): LoyaltyHoldInput => ({
      kind: 'points',
      memberIds: ['M1'],
      amount,
      cartId,
      saleId,
    });
    expect(h.holds.hold(T01, pts('c1', 's1', 100))).toEqual({ ok: true, available: 48 });
    expect(h.holds.hold(T02, pts('c2', 's2', 100))).toMatchObject({
      ok: false,
      balance: 148,
      held: 100,
      heldBy: ['T01'],
    });
    // Stored value and points are separate pots: the points hold takes no fen.
    h.entry('e1', 'M1', 'topup', 500);
    expect(h.holds.hold(T02, sv('c2', 's2', 500))).toEqual({ ok: true, available: 0 });
    h.holds.confirm(T01, pts('c1', 's1', 100));
    h.points('M1', -100, 'redeem', 's1');
    expect(h.holds.hold(T02, pts('c2', 's2', 48))).toEqual({ ok: true, available: 0 });
  });
});
