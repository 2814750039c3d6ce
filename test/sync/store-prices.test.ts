// A store price change reaches the store's other till: two tills of one store (real terminal
// cores on real SQLite) sync with the cloud (a child process). A manager lowers a price on T01;
// T02's cart prices with it once the `sp-…` rule has travelled, and a shelf label printed on
// T02 would carry it (the rule is in T02's rules list).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProducts, type TerminalCore } from '../../app/core';
import { waitFor } from './helpers';
import { ok, openCloudSyncedTill, startCloud, type CloudProcess } from './store-processes';

const ADMIN = 'store-prices-admin-token';
const apples = demoProducts().find((p) => p.sku === '100001')!; // ¥12.90
let cloud: CloudProcess;
const cores: TerminalCore[] = [];

beforeAll(async () => {
  cloud = await startCloud('storeprices', ADMIN);
}, 120_000);

afterAll(async () => {
  for (const c of cores.splice(0)) await c.close();
  await cloud?.stop();
});

describe('store prices across two tills', () => {
  it("a manager's price change on one till prices the other till's cart", async () => {
    const tills: TerminalCore[] = [];
    for (const terminalId of ['T01', 'T02']) {
      const core = await openCloudSyncedTill(cloud, 'storeprices', 'S001', terminalId);
      cores.push(core);
      tills.push(core);
    }
    const [a, b] = tills as [TerminalCore, TerminalCore];
    const login = async (core: TerminalCore, pin: string) => (await ok(core.call('auth.login', { pin }, {}))).token;
    const mgrA = await login(a, '8888');
    const cashierB = await login(b, '1234');
    const mgrB = await login(b, '8888');
    await ok(b.call('cart.add', { sku: apples.sku, quantity: 1 }, { token: cashierB }));
    const { rule } = await ok(a.call('prices.set', { skus: [apples.sku], price: 990 }, { token: mgrA }));
    await waitFor(
      'the price reaches T02',
      async () => (await ok(b.call('cart.get', {}, { token: cashierB }))).cart.lines[0]!.total === 990,
      60_000,
      200,
    );
    const rules = (await ok(b.call('pricing.rules', {}, { token: mgrB }))).rules;
    expect(rules.find((r) => r.id === rule.id)).toMatchObject({ origin: 'store', price: 990, openNow: true });
  }, 180_000);
});
