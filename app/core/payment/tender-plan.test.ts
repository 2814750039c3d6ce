import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { TenderInput } from '../../contract';
import { PosError } from '../../contract';
import { paymentCodeWallet, planTenders, roundCash, SandboxPaymentCodeProvider } from './index';

const none = { mode: 'none', unit: 10 } as const;

describe('cash rounding (抹零)', () => {
  it('rounds down or to the nearest unit, half up', () => {
    expect(roundCash(3411, { mode: 'none', unit: 10 })).toBe(3411);
    expect(roundCash(3419, { mode: 'down', unit: 10 })).toBe(3410);
    expect(roundCash(3415, { mode: 'nearest', unit: 10 })).toBe(3420);
    expect(roundCash(3414, { mode: 'nearest', unit: 10 })).toBe(3410);
    expect(roundCash(3499, { mode: 'down', unit: 100 })).toBe(3400);
    expect(roundCash(3450, { mode: 'nearest', unit: 100 })).toBe(3500);
  });
  it('never moves the total by a full unit or more', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.constantFrom('down', 'nearest') as fc.Arbitrary<'down' | 'nearest'>,
        fc.constantFrom(1, 5, 10, 50, 100),
        (amount, mode, unit) => {
          const r = roundCash(amount, { mode, unit });
          expect(r % unit).toBe(0);
          expect(Math.abs(r - amount)).toBeLessThan(unit);
          if (mode === 'down') expect(r).toBeLessThanOrEqual(amount);
          else expect(Math.abs(r - amount)).toBeLessThanOrEqual(unit / 2);
        },
      ),
    );
  });
});

describe('tender plan', () => {
  const code = (type: PosError['code'], f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(PosError);
      expect((e as PosError).code).toBe(type);
      return;
    }
    throw new Error('expected an error');
  };

  it('gives change only from cash, and refuses non-cash over the amount due', () => {
    const p = planTenders(
      3411,
      [
        { type: 'card', amount: 1000 },
        { type: 'cash', amount: 5000 },
      ],
      none,
    );
    expect(p).toMatchObject({ total: 3411, change: 2589, rounding: 0 });
    expect(p.tenders.map((t) => [t.amount, t.tendered])).toEqual([
      [1000, 1000],
      [2411, 5000],
    ]);
    code('TENDER_INVALID', () => planTenders(3411, [{ type: 'card', amount: 3412 }], none));
    code('TENDER_INVALID', () =>
      planTenders(
        3411,
        [
          { type: 'card', amount: 2000 },
          { type: 'payment_code', amount: 2000, code: '134567890123456789' },
        ],
        none,
      ),
    );
    code('TENDER_SHORT', () => planTenders(3411, [{ type: 'cash', amount: 3410 }], none));
  });

  it('caps cash tendered at max(total × 10, total + ¥1000) (security #10 item 19)', () => {
    // The reported case: two maximal cash tenders made the change 18,014,398,509,478,712 fen.
    const huge = Number.MAX_SAFE_INTEGER;
    code('TENDER_EXCESSIVE', () =>
      planTenders(
        3411,
        [
          { type: 'cash', amount: huge },
          { type: 'cash', amount: huge },
        ],
        none,
      ),
    );
    code('TENDER_EXCESSIVE', () => planTenders(3411, [{ type: 'cash', amount: huge }], none));
    code('TENDER_EXCESSIVE', () => planTenders(300, [{ type: 'cash', amount: 100_301 }], none));
    expect(planTenders(300, [{ type: 'cash', amount: 100_300 }], none).change).toBe(100_000);
    expect(planTenders(300_000, [{ type: 'cash', amount: 3_000_000 }], none).change).toBe(2_700_000);
    code('TENDER_EXCESSIVE', () => planTenders(300_000, [{ type: 'cash', amount: 3_000_001 }], none));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.array(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), { minLength: 1, maxLength: 8 }),
        (due, cash) => {
          try {
            const p = planTenders(
              due,
              cash.map((amount) => ({ type: 'cash' as const, amount })),
              none,
            );
            expect(p.change).toBeLessThanOrEqual(Math.max(due * 9, 100_000));
            expect(Number.isSafeInteger(p.change)).toBe(true);
          } catch (e) {
            expect((e as PosError).code).toMatch(/TENDER_SHORT|TENDER_EXCESSIVE/);
          }
        },
      ),
    );
  });

  it('applies rounding only when every tender is cash', () => {
    const rule = { mode: 'down', unit: 10 } as const;
    expect(planTenders(3419, [{ type: 'cash', amount: 3410 }], rule)).toMatchObject({
      total: 3410,
      rounding: -9,
      change: 0,
    });
    expect(
      planTenders(
        3419,
        [
          { type: 'cash', amount: 3000 },
          { type: 'card', amount: 419 },
        ],
        rule,
      ),
    ).toMatchObject({ total: 3419, rounding: 0 });
  });

  it('always balances: applied amounts sum to the total, change = tendered - total, non-cash untouched', () => {
    const tender: fc.Arbitrary<TenderInput> = fc.oneof(
      fc.record({ type: fc.constant('cash' as const), amount: fc.integer({ min: 1, max: 100_000 }) }),
      fc.record({ type: fc.constant('card' as const), amount: fc.integer({ min: 1, max: 100_000 }) }),
      fc.record({
        type: fc.constant('payment_code' as const),
        amount: fc.integer({ min: 1, max: 100_000 }),
        code: fc.constant('134567890123456789'),
      }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200_000 }),
        fc.array(tender, { minLength: 1, maxLength: 6 }),
        fc.constantFrom('none', 'down', 'nearest') as fc.Arbitrary<'none' | 'down' | 'nearest'>,
        (due, tenders, mode) => {
          let plan;
          try {
            plan = planTenders(due, tenders, { mode, unit: 10 });
          } catch (e) {
            expect((e as PosError).code).toMatch(/TENDER_SHORT|TENDER_INVALID|TENDER_EXCESSIVE/);
            return;
          }
          const applied = plan.tenders.reduce((s, t) => s + t.amount, 0);
          const tendered = plan.tenders.reduce((s, t) => s + t.tendered, 0);
          expect(applied).toBe(plan.total);
          expect(plan.change).toBe(tendered - plan.total);
          expect(plan.change).toBeGreaterThanOrEqual(0);
          for (const t of plan.tenders) {
            expect(t.amount).toBeGreaterThanOrEqual(0);
            if (t.input.type !== 'cash') expect(t.amount).toBe(t.tendered);
          }
        },
      ),
    );
  });
});

describe('payment codes', () => {
  it('recognises WeChat (18 digits, 10–15) and Alipay (16–24 digits, 25–30) codes only', () => {
    expect(paymentCodeWallet('2845678901234567')).toBe('alipay');
    expect(paymentCodeWallet('284567890123456789012345')).toBe('alipay');
    expect(paymentCodeWallet('1345678901234567')).toBeNull();
    expect(paymentCodeWallet('134567890123456789')).toBe('wechat');
    expect(paymentCodeWallet('104567890123456789')).toBe('wechat');
    expect(paymentCodeWallet('284567890123456789')).toBe('alipay');
    expect(paymentCodeWallet('304567890123456789')).toBe('alipay');
    expect(paymentCodeWallet('164567890123456789')).toBeNull();
    expect(paymentCodeWallet('24456789012345678')).toBeNull();
    expect(paymentCodeWallet('1345678901234567890')).toBeNull();
  });

  it('sandbox provider: deterministic, declines codes ending in 0000', async () => {
    const p = new SandboxPaymentCodeProvider();
    const a = await p.charge({
      code: '134567890123456789',
      amount: 100,
      saleId: 's1',
      wallet: 'wechat',
      outTradeNo: 'o1',
    });
    const b = await p.charge({
      code: '134567890123456789',
      amount: 100,
      saleId: 's1',
      wallet: 'wechat',
      outTradeNo: 'o1',
    });
    expect(a).toEqual(b);
    expect(a.status).toBe('approved');
    expect(p.paidOrders()).toEqual(['o1']);
    expect(await p.query({ outTradeNo: 'o1', wallet: 'wechat' })).toEqual({
      status: 'paid',
      transactionId: a.transactionId,
      amount: 100,
    });
    expect(
      (await p.charge({ code: '134567890123450000', amount: 100, saleId: 's1', wallet: 'wechat', outTradeNo: 'o2' }))
        .status,
    ).toBe('declined');
    expect((await p.query({ outTradeNo: 'o2', wallet: 'wechat' })).status).toBe('not_paid');
    expect(
      (await p.refund({ transactionId: a.transactionId!, amount: 100, refundId: 'r', saleId: 's1', wallet: 'wechat' }))
        .status,
    ).toBe('approved');
    expect(await p.reverse({ outTradeNo: 'o1', wallet: 'wechat' })).toEqual({ status: 'reversed' });
    expect(p.paidOrders()).toEqual([]);
    expect(
      (await p.refund({ transactionId: 'other', amount: 100, refundId: 'r', saleId: 's1', wallet: 'wechat' })).status,
    ).toBe('declined');
  });
});
