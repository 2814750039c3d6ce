// A replica waiting for order news is answered as soon as an order of its store arrives, not by
// its sync timer; other stores' orders and other ops do not wake it.
import { describe, expect, it } from 'vitest';
import { HybridClock, OpFactory } from '../core';
import { OrderWake } from './order-wake';

const ops = new OpFactory(new HybridClock({ nodeId: 'HS1', now: Date.now }));
const order = (store: string, id: string) =>
  ops.fact(`store:${store}`, 'online_order', id, { storeId: store, lines: [] });

describe('order wake', () => {
  it("answers a waiting replica when its store's order arrives, and ignores other ops and stores", async () => {
    const wake = new OrderWake(10);
    expect(await wake.wait('S1', -1)).toBe(0);
    let answered = false;
    const waiting = wake.wait('S1', 0, 10_000).then((t) => ((answered = true), t));
    wake.notice([ops.move('S1', 'cola', 'sale', 1, 's1')]);
    wake.notice([order('S2', 'o-2')]);
    await new Promise((r) => setTimeout(r, 20));
    expect(answered).toBe(false);
    const t0 = Date.now();
    wake.notice([order('S1', 'o-1')]);
    expect(await waiting).toBe(1);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await wake.wait('S2', 0)).toBe(1);
  });

  it('times out with the same tick, refuses past its limit, and closing answers everyone', async () => {
    const wake = new OrderWake(2);
    expect(await wake.wait('S1', 0, 20)).toBe(0);
    const a = wake.wait('S1', 0, 10_000);
    const b = wake.wait('S3', 0, 10_000);
    expect(await wake.wait('S1', 0, 10_000)).toBeNull();
    wake.close();
    expect(await Promise.all([a, b])).toEqual([0, 0]);
    expect(await wake.wait('S1', 0, 10_000)).toBeNull();
  });

  it('does not wake the replica that pushed the news itself (it has it), but wakes the others', async () => {
    const wake = new OrderWake(10);
    let pusherWoken = false;
    const pusher = wake.wait('S1', 0, 300, 'S1/T01').then((t) => ((pusherWoken = true), t));
    const other = wake.wait('S1', 0, 10_000, 'S1/T02');
    wake.notice([order('S1', 'o-3')], 'S1/T01');
    expect(await other).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(pusherWoken).toBe(false);
    // Its own wait ends on time with the new tick (one cheap sync later, nothing lost).
    expect(await pusher).toBe(1);
  });
});
