// The core reports how long the durable sale transaction took (metrics and the till bench read it),
// once per completed sale and never for a payment that fails.
import { afterEach, describe, expect, it } from 'vitest';
import { demoProducts } from '../seed';
import { openTestCore, type TestCore } from '../test-support';

let t: TestCore;
afterEach(() => t?.cleanup());

describe('checkout commit timing', () => {
  it('reports checkout_commit_ms (and the journal fsync) for each completed sale only', async () => {
    const timings: { name: string; ms: number }[] = [];
    t = openTestCore({ timing: (name, ms) => timings.push({ name, ms }) });
    const token = await t.login();
    const milk = demoProducts().find((p) => p.nameEn === 'Organic Milk 1L')!;
    await t.ok('cart.add', { sku: milk.sku }, token);
    expect((await t.fail('cart.pay', { tenders: [{ type: 'cash', amount: 1 }] }, token)).code).toBe('TENDER_SHORT');
    expect(timings).toEqual([]);
    await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 10_000 }] }, token);
    // The sale journal's append + fsync follows the commit (docs/security-notes/wal.md).
    expect(timings.map((x) => x.name)).toEqual(['checkout_commit_ms', 'sale_journal_fsync_ms']);
    expect(timings[0]!.ms).toBeGreaterThan(0);
  });
});
