// A store price change reaches the store's other till: two tills of one store (real terminal
// cores on real SQLite) sync with the cloud (a child process). A manager lowers a price on T01;
// T02's cart prices with it once the `sp-…` rule has travelled, and a shelf label printed on
// T02 would carry it (the rule is in T02's rules list).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { RpcResult } from '../../app/contract';
import { demoProducts, openTerminalCore, type TerminalCore } from '../../app/core';
import { startProcess, type Proc } from './processes';
import { dropCloudSchema, postJson, tempDir, waitFor } from './helpers';

const ADMIN = 'store-prices-admin-token';
const apples = demoProducts().find((p) => p.sku === '100001')!; // ¥12.90
let schema = '';
let cloud: Proc;
const cores: TerminalCore[] = [];
const cloudUrl = () => `http://127.0.0.1:${cloud.info.port}`;
const pairingCode = async (storeId: string) =>
  (await postJson(`${cloudUrl()}/sync/admin/enroll-codes`, { storeId }, ADMIN)).body.code as string;

async function ok<T>(p: Promise<RpcResult<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r;
}

beforeAll(async () => {
  schema = `t_storeprices_${Date.now().toString(36)}_${process.pid}`;
  const dbEnv: Record<string, string> = process.env['DATABASE_URL']
    ? { DATABASE_URL: process.env['DATABASE_URL'], CLOUD_SCHEMA: schema }
    : { DATABASE_URL: '', CLOUD_DATA_DIR: tempDir('storeprices-cloud') };
  cloud = await startProcess('sync/cloud/main.ts', { ...dbEnv, CLOUD_PORT: '0', CLOUD_ADMIN_TOKEN: ADMIN });
}, 120_000);

afterAll(async () => {
  for (const c of cores.splice(0)) await c.close();
  await cloud?.stop();
  await dropCloudSchema(schema);
});

describe('store prices across two tills', () => {
  it("a manager's price change on one till prices the other till's cart", async () => {
    const tills: TerminalCore[] = [];
    for (const terminalId of ['T01', 'T02']) {
      const core = openTerminalCore({
        dataDir: tempDir(`storeprices-${terminalId}`),
        seedDemo: true,
        storeId: 'S001',
        terminalId,
        logger: pino({ level: 'silent' }),
        pinScryptN: 1024,
        sync: { cloudUrl: cloudUrl(), enrollCode: await pairingCode('S001'), intervalMs: 200, maxBackoffMs: 1000 },
      });
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
