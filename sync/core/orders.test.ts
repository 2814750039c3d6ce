// The order fold is the same on every replica whatever order its events arrive in: the first
// end event wins, later ones are conflicts, and only a losing event's author reverses its stock.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  foldOrder,
  handoverMoves,
  lineChanges,
  parsePickupInput,
  pendingCompensations,
  pickedAmount,
  pickupQrPayload,
  readOnlineOrder,
  readOrderEvent,
  releaseMoves,
  substituteAmount,
  type OrderEvent,
} from './orders';

const order = readOnlineOrder('o1', {
  storeId: 'S1',
  paid: 3000,
  lines: [
    { lineId: 'a', sku: 'milk', quantity: 2, unitPrice: 500, amount: 1000 },
    { lineId: 'b', sku: 'pork', grams: 500, unitPrice: 4000, amount: 2000 },
  ],
});

let n = 0;
const ev = (kind: string, node: string, extra: Record<string, unknown> = {}, stamp?: string): OrderEvent =>
  readOrderEvent(`o1.${++n}`, stamp ?? `2026-01-01T00:00:00.${String(n).padStart(3, '0')}Z-0000-${node}`, node, {
    orderId: 'o1',
    kind,
    ...extra,
  })!;

describe('order fold', () => {
  it('goes new → accepted → picking → ready → collected, whatever order events arrive in', () => {
    const events = [
      ev('accepted', 'S1_T01'),
      ev('picked', 'S1_T01', { lineId: 'b', grams: 450, amount: 1800 }),
      ev('ready', 'S1_T01', { bags: 2 }),
      ev('collected', 'S1_T02', { moves: [{ sku: 'milk', kind: 'release', qty: 2 }] }),
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: 4, maxLength: 4 }), (shuffled) => {
        const s = foldOrder(order, shuffled);
        expect(s.status).toBe('collected');
        expect(s.bags).toBe(2);
        expect(s.settledAmount).toBe(2800);
        expect(s.refund).toBe(200);
        expect(s.conflicts).toEqual([]);
      }),
    );
  });

  it('a re-weighed line is priced by its grams, never above what was paid', () => {
    const pork = order.lines[1]!;
    expect(pickedAmount(pork, { grams: 450 })).toBe(1800);
    expect(pickedAmount(pork, { grams: 600 })).toBe(2000);
    expect(pickedAmount(order.lines[0]!, { quantity: 1 })).toBe(500);
    expect(pickedAmount(order.lines[0]!, { quantity: 0 })).toBe(0);
  });

  it('two handovers: the first wins, the second is a conflict its author alone reverses once', () => {
    const first = ev('collected', 'S1_T01', { moves: handoverMoves({ order, picks: {} }) });
    const second = ev('collected', 'S1_T02', { moves: handoverMoves({ order, picks: {} }), offline: true });
    const s = foldOrder(order, [second, first]);
    expect(s.end?.factId).toBe(first.factId);
    expect(s.conflicts.map((c) => c.factId)).toEqual([second.factId]);
    expect(pendingCompensations(s, (node) => node === 'S1_T01')).toEqual([]);
    const comp = pendingCompensations(s, (node) => node === 'S1_T02');
    expect(comp[0]?.moves).toEqual([
      { sku: 'milk', kind: 'reservation', qty: 2 },
      { sku: 'milk', kind: 'return', qty: 2 },
      { sku: 'pork', kind: 'reservation', qty: 500 },
      { sku: 'pork', kind: 'return', qty: 500 },
    ]);
    const done = foldOrder(order, [second, first, ev('compensated', 'S1_T02', { voids: second.factId })]);
    expect(pendingCompensations(done, (node) => node === 'S1_T02')).toEqual([]);
  });

  it('handover releases exactly the reservation and sells what was picked; expiry releases only', () => {
    const s = foldOrder(order, [ev('picked', 'S1_T01', { lineId: 'b', grams: 450, amount: 1800 })]);
    expect(handoverMoves(s)).toEqual([
      { sku: 'milk', kind: 'release', qty: 2 },
      { sku: 'milk', kind: 'sale', qty: 2 },
      { sku: 'pork', kind: 'release', qty: 500 },
      { sku: 'pork', kind: 'sale', qty: 450 },
    ]);
    expect(releaseMoves(order)).toEqual([
      { sku: 'milk', kind: 'release', qty: 2 },
      { sku: 'pork', kind: 'release', qty: 500 },
    ]);
  });

  it('a substituted line sells the substitute against the released reservation, priced at most what was paid', () => {
    const milk = order.lines[0]!;
    expect(substituteAmount(milk, { price: 450 }, { quantity: 2 })).toBe(900);
    expect(substituteAmount(milk, { price: 650 }, { quantity: 2 })).toBe(1000);
    expect(substituteAmount(order.lines[1]!, { price: 3000 }, { grams: 400 })).toBe(1200);
    const s = foldOrder(order, [
      ev('picked', 'S1_T01', {
        lineId: 'a',
        quantity: 2,
        amount: 900,
        substitute: { sku: 'oat-milk', name: '燕麦奶' },
      }),
      ev('picked', 'S1_T01', { lineId: 'b', grams: 450, amount: 1800 }),
    ]);
    expect(s.picks['a']?.substitute).toEqual({ sku: 'oat-milk', name: '燕麦奶' });
    expect(s.refund).toBe(300);
    expect(handoverMoves(s)).toEqual([
      { sku: 'milk', kind: 'release', qty: 2 },
      { sku: 'oat-milk', kind: 'sale', qty: 2 },
      { sku: 'pork', kind: 'release', qty: 500 },
      { sku: 'pork', kind: 'sale', qty: 450 },
    ]);
    // The customer is told what changed: the substitute (a re-weighed line is not a change).
    expect(lineChanges(s)).toEqual([
      { lineId: 'a', change: 'substituted', refund: 100, substitute: { sku: 'oat-milk', name: '燕麦奶' } },
    ]);
  });

  it('a short or out-of-stock line is a change for the customer with its refund; a ready event carries them', () => {
    const short = foldOrder(order, [ev('picked', 'S1_T01', { lineId: 'a', quantity: 1, amount: 500 })]);
    expect(lineChanges(short)).toEqual([{ lineId: 'a', change: 'short', refund: 500 }]);
    const out = foldOrder(order, [ev('picked', 'S1_T01', { lineId: 'a', quantity: 0, amount: 0 })]);
    expect(lineChanges(out)).toEqual([{ lineId: 'a', change: 'out_of_stock', refund: 1000 }]);
    expect(handoverMoves(out)[1]).toEqual({ sku: 'pork', kind: 'release', qty: 500 });
    const ready = ev('ready', 'S1_T01', {
      changes: [...lineChanges(out), { lineId: 'zz', change: 'nonsense' }, null],
    });
    expect(ready.changes).toEqual([{ lineId: 'a', change: 'out_of_stock', refund: 1000 }]);
  });

  it('reads a scanned QR payload or a typed code; old order facts read with defaults', () => {
    expect(parsePickupInput(pickupQrPayload('o1', '12345678'))).toEqual({ orderId: 'o1', code: '12345678' });
    expect(parsePickupInput(' 1234 5678 ')).toEqual({ orderId: null, code: '12345678' });
    const old = readOnlineOrder('o2', { storeId: 'S1', lines: [{ sku: 'x', quantity: 3 }, { bad: true }] });
    expect(old.lines).toEqual([{ lineId: '1', sku: 'x', quantity: 3, unitPrice: 0, amount: 0 }]);
    expect(old.fulfilment).toBe('pickup');
    expect(readOrderEvent('o1.x', 's', 'n', { kind: 'nonsense' })).toBeNull();
  });
});
