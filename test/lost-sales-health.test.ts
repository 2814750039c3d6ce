// Over real HTTP on 127.0.0.1: a till whose database lost acknowledged sales (its WAL gone at a
// power cut) says so on /health, and the API refuses to sell with TILL_NEEDS_TECHNICIAN (503).
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { demoProducts } from '../app/core/seed';
import { makeTempDir, openTestCore, type TestCore } from '../app/core/test-support';
import { listenWebHost, type RunningWebHost } from '../app/host';

const cola = demoProducts().find((p) => p.nameEn === 'Coca-Cola 330ml')!;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('/health and the API after lost sales', () => {
  it('reports needs_technician and answers 503 TILL_NEEDS_TECHNICIAN to cart.pay', async () => {
    const t: TestCore = openTestCore();
    cleanups.push(() => t.cleanup());
    const token = await t.login();
    for (let i = 0; i < 2; i++) {
      await t.ok('cart.add', { sku: cola.sku }, token);
      await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 10_000 }] }, token);
    }
    // The disk after a power cut that took the whole WAL: the database file and the journal.
    const copy = makeTempDir('pos-powercut-');
    cleanups.push(() => rmSync(copy, { recursive: true, force: true }));
    for (const f of ['terminal.db', 'terminal.sale-journal']) copyFileSync(join(t.dataDir, f), join(copy, f));

    const after = openTestCore({}, copy);
    cleanups.push(() => after.core.close());
    const host: RunningWebHost = await listenWebHost({ core: after.core, port: 0 });
    cleanups.push(() => host.close());

    // /health needs no session, so it says what is wrong but not which sales or where the files are.
    const health = (await (await fetch(`${host.url}/health`)).json()) as {
      ok: boolean;
      saleRecords: Record<string, unknown>;
    };
    expect(health.saleRecords).toEqual({ state: 'needs_technician', reason: 'sales_missing' });

    const cashier = await after.login();
    expect((await after.ok('system.status', {}, cashier)).saleRecords?.missingSales).toHaveLength(2);
    const res = await fetch(`${host.url}/api/cart.pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${cashier}` },
      body: JSON.stringify({ tenders: [{ type: 'cash', amount: 10_000 }] }),
    });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('TILL_NEEDS_TECHNICIAN');
  });
});
