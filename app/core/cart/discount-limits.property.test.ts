// Property: whatever a cashier does to the cart (scan, add, set quantity or weight, scan a price
// label, discount, remove, in any order), without a manager no line ends with more off than the
// cashier's limit allows: round-half-up(gross × limit %). With a manager's PIN in the mix, a line
// over the limit is covered by the latest approval of that line in the audit log: no more fen
// off, and no larger share of the line, than the manager approved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gs1CheckDigit } from '../barcode';
import type { Cart } from '../../contract';
import { demoProducts } from '../seed';
import { openTestCore, PINS, type TestCore } from '../test-support';

const products = demoProducts();
const each = products.filter((p) => p.unit === 'each' && p.ean13).slice(0, 6);
const weighed = products.filter((p) => p.unit === 'weighed' && p.plu).slice(0, 4);

let t: TestCore;
let cashier: string;
let mgr: string;
beforeAll(async () => {
  t = openTestCore();
  cashier = await t.login();
  mgr = await t.login(PINS.manager);
});
afterAll(() => t.cleanup());

function priceLabel(plu: string, fen: number): string {
  const body = `21${plu}${String(fen).padStart(5, '0')}`;
  return body + gs1CheckDigit(body);
}

type Op =
  | { op: 'add'; i: number; quantity: number }
  | { op: 'addWeighed'; i: number; grams: number }
  | { op: 'scan'; i: number }
  | { op: 'priceLabel'; i: number; fen: number }
  | { op: 'quantity'; line: number; quantity: number }
  | { op: 'weight'; line: number; grams: number }
  /** `share`: for an amount, per mille of the line's gross at the time (so amounts near the limit are common); for a percent, the percent. */
  | { op: 'discount'; line: number; kind: 'percent' | 'amount'; share: number; withManager: boolean }
  | { op: 'remove'; line: number };

const opArb = (withManager: boolean): fc.Arbitrary<Op> =>
  fc.oneof(
    fc.record({
      op: fc.constant('add' as const),
      i: fc.nat(each.length - 1),
      quantity: fc.integer({ min: 1, max: 200 }),
    }),
    fc.record({
      op: fc.constant('addWeighed' as const),
      i: fc.nat(weighed.length - 1),
      grams: fc.integer({ min: 1, max: 20_000 }),
    }),
    fc.record({ op: fc.constant('scan' as const), i: fc.nat(each.length - 1) }),
    fc.record({
      op: fc.constant('priceLabel' as const),
      i: fc.nat(weighed.length - 1),
      fen: fc.integer({ min: 1, max: 99_999 }),
    }),
    {
      arbitrary: fc.record({
        op: fc.constant('quantity' as const),
        line: fc.nat(),
        quantity: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 9999 })),
      }),
      weight: 3,
    },
    {
      arbitrary: fc.record({
        op: fc.constant('weight' as const),
        line: fc.nat(),
        grams: fc.oneof(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 100_000 })),
      }),
      weight: 2,
    },
    {
      arbitrary: fc.record({
        op: fc.constant('discount' as const),
        line: fc.nat(),
        kind: fc.constantFrom('percent' as const, 'amount' as const),
        share: fc.oneof(
          fc.integer({ min: 0, max: 40 }),
          fc.integer({ min: 0, max: 100 }),
          fc.integer({ min: 0, max: 1000 }),
        ),
        withManager: withManager ? fc.boolean() : fc.constant(false),
      }),
      weight: 4,
    },
    fc.record({ op: fc.constant('remove' as const), line: fc.nat() }),
  );

async function run(cart: Cart, o: Op): Promise<void> {
  const line = 'line' in o && cart.lines.length > 0 ? cart.lines[o.line % cart.lines.length]! : null;
  // Refusals (MANAGER_REQUIRED, BAD_INPUT, WEIGHT_REQUIRED…) are part of the game: the cart must hold either way.
  switch (o.op) {
    case 'add':
      await t.core.call('cart.add', { sku: each[o.i]!.sku, quantity: o.quantity }, { token: cashier });
      break;
    case 'addWeighed':
      await t.core.call('cart.add', { sku: weighed[o.i]!.sku, weightGrams: o.grams }, { token: cashier });
      break;
    case 'scan':
      await t.core.call('cart.scan', { code: each[o.i]!.ean13! }, { token: cashier });
      break;
    case 'priceLabel':
      await t.core.call('cart.scan', { code: priceLabel(weighed[o.i]!.plu!, o.fen) }, { token: cashier });
      break;
    case 'quantity':
      if (line)
        await t.core.call('cart.setQuantity', { lineId: line.lineId, quantity: o.quantity }, { token: cashier });
      break;
    case 'weight':
      if (line)
        await t.core.call('cart.setQuantity', { lineId: line.lineId, weightGrams: o.grams }, { token: cashier });
      break;
    case 'discount':
      if (line) {
        const value = o.kind === 'percent' ? Math.min(o.share, 100) : Math.floor((line.gross * o.share) / 1000);
        await t.core.call(
          'cart.lineDiscount',
          { lineId: line.lineId, kind: o.kind, value, ...(o.withManager ? { managerPin: PINS.manager } : {}) },
          { token: cashier },
        );
      }
      break;
    case 'remove':
      if (line) await t.core.call('cart.remove', { lineId: line.lineId }, { token: cashier });
      break;
  }
}

async function play(limit: number, ops: Op[]): Promise<Cart> {
  const start = (await t.ok('cart.get', {}, mgr)).cart;
  if (start.lines.length > 0) await t.ok('cart.void', { reason: 'next run' }, mgr);
  await t.ok('config.set', { patch: { maxCashierDiscountPercent: limit } }, mgr);
  let cart = (await t.ok('cart.get', {}, cashier)).cart;
  for (const o of ops) {
    await run(cart, o);
    cart = (await t.ok('cart.get', {}, cashier)).cart;
  }
  return cart;
}

// The walk-arounds from the security review run first in every run, then the random sequences.
const cashierWalkArounds: [number, Op[]][] = [
  [
    10,
    [
      { op: 'add', i: 0, quantity: 100 },
      { op: 'discount', line: 0, kind: 'amount', share: 100, withManager: false },
      { op: 'quantity', line: 0, quantity: 1 },
    ],
  ],
  [
    10,
    [
      { op: 'addWeighed', i: 0, grams: 10_000 },
      { op: 'discount', line: 0, kind: 'amount', share: 100, withManager: false },
      { op: 'weight', line: 0, grams: 100 },
    ],
  ],
  [
    10,
    [
      { op: 'priceLabel', i: 0, fen: 5000 },
      { op: 'discount', line: 0, kind: 'amount', share: 100, withManager: false },
      { op: 'weight', line: 0, grams: 1 },
    ],
  ],
];
const approvalWalkArounds: [number, Op[]][] = [
  [
    10,
    [
      { op: 'add', i: 0, quantity: 1 },
      { op: 'discount', line: 0, kind: 'percent', share: 50, withManager: true },
      { op: 'quantity', line: 0, quantity: 9999 },
    ],
  ],
  [
    10,
    [
      { op: 'scan', i: 0 },
      { op: 'discount', line: 0, kind: 'percent', share: 50, withManager: true },
      { op: 'scan', i: 0 },
    ],
  ],
  [
    10,
    [
      { op: 'add', i: 0, quantity: 2 },
      { op: 'discount', line: 0, kind: 'amount', share: 250, withManager: true },
      { op: 'quantity', line: 0, quantity: 1 },
    ],
  ],
];

/** round-half-up(gross × limit / 100), computed here independently of the cart's own arithmetic. */
const limitFen = (gross: number, limit: number) => Math.floor((gross * limit + 50) / 100);

describe('discount limits (property)', () => {
  it('a cashier without a manager never ends with a line over the limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 10, 10, 30),
        fc.array(opArb(false), { minLength: 1, maxLength: 14 }),
        async (limit, ops) => {
          const cart = await play(limit, ops);
          for (const l of cart.lines) {
            expect(l.discount).toBeGreaterThanOrEqual(0);
            expect(l.discount, `${l.sku} ×${l.quantity} ${l.weightGrams ?? ''} g`).toBeLessThanOrEqual(
              limitFen(l.gross, limit),
            );
          }
        },
      ),
      { numRuns: 150, examples: cashierWalkArounds },
    );
  });

  it('with a manager in the mix, every line over the limit is covered by its latest approval', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 10, 30),
        fc.array(opArb(true), { minLength: 1, maxLength: 14 }),
        async (limit, ops) => {
          const cart = await play(limit, ops);
          const audit = (await t.ok('audit.list', { limit: 1000 }, mgr)).entries.filter(
            (e) => e.action === 'discount.override',
          );
          for (const l of cart.lines) {
            if (l.discount <= limitFen(l.gross, limit)) continue;
            const approval = audit.find((e) => e.detail.lineId === l.lineId); // newest first
            expect(approval, `${l.sku}: ${l.discount} off ${l.gross} without an approval`).toBeDefined();
            const amount = approval!.detail.amount as number;
            const gross = approval!.detail.gross as number;
            expect(l.discount).toBeLessThanOrEqual(amount);
            expect(l.discount * gross).toBeLessThanOrEqual(amount * l.gross);
          }
        },
      ),
      { numRuns: 60, examples: approvalWalkArounds },
    );
  });
});
