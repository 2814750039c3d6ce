// The back office's X tab between shifts: after the Z close, shift.xReport answers this till's
// last Z report instead of SHIFT_NOT_OPEN; a new shift brings the live X report back.
import { afterEach, describe, expect, it } from 'vitest';
import { openTestCore, PINS, type TestCore } from '../test-support';

const opened: TestCore[] = [];
afterEach(() => {
  for (const t of opened.splice(0)) t.cleanup();
});

describe('X report between shifts', () => {
  it('shows the last Z after a close, and the open shift again once one is open', async () => {
    const t = openTestCore();
    opened.push(t);
    const m = await t.login(PINS.manager);
    expect((await t.fail('shift.xReport', {}, m)).code).toBe('SHIFT_NOT_OPEN');
    await t.ok('shift.open', { float: 10_000 }, m);
    await t.ok('cart.add', { sku: '100001', quantity: 1 }, m);
    await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 100_000 }] }, m);
    const x = (await t.ok('shift.xReport', {}, m)).report;
    t.clock.advance(60_000);
    const z = (await t.ok('shift.close', { countedCash: x.expectedCash - 30 }, m)).report;
    const between = (await t.ok('shift.xReport', {}, m)).report;
    expect(between).toEqual(z);
    expect(between).toMatchObject({ kind: 'Z', salesCount: 1, overShort: -30 });
    t.clock.advance(60_000);
    const next = (await t.ok('shift.open', { float: 5_000 }, m)).shift;
    expect((await t.ok('shift.xReport', {}, m)).report).toMatchObject({ kind: 'X', shiftId: next.id, salesCount: 0 });
  });
});
