// The sharing pool (库存共享池) across two stores: S001 and S002 each run a till (real terminal
// cores on real SQLite) that syncs with the cloud (a child process). Goods S001 receives show in
// S002's `stock.nearby` (counts only, not S002's own store); the cloud route answers store
// devices only; with the cloud gone the manager gets STOCK_NEARBY_OFFLINE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { RpcResult } from '../../app/contract';
import { demoProducts, openTerminalCore, type TerminalCore } from '../../app/core';
import { startProcess, type Proc } from './processes';
import { dropCloudSchema, postJson, tempDir, waitFor } from './helpers';

const ADMIN = 'stock-nearby-admin-token';
const bananas = demoProducts().find((p) => p.nameEn === 'Loose Bananas')!;
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
  schema = `t_nearby_${Date.now().toString(36)}_${process.pid}`;
  const dbEnv: Record<string, string> = process.env['DATABASE_URL']
    ? { DATABASE_URL: process.env['DATABASE_URL'], CLOUD_SCHEMA: schema }
    : { DATABASE_URL: '', CLOUD_DATA_DIR: tempDir('nearby-cloud') };
  cloud = await startProcess('sync/cloud/main.ts', { ...dbEnv, CLOUD_PORT: '0', CLOUD_ADMIN_TOKEN: ADMIN });
}, 120_000);

afterAll(async () => {
  for (const c of cores.splice(0)) await c.close();
  await cloud?.stop();
  await dropCloudSchema(schema);
});

describe('stock.nearby across two stores', () => {
  it("shows the other store's count through the cloud, counts only, and says so when offline", async () => {
    const tills: TerminalCore[] = [];
    for (const storeId of ['S001', 'S002']) {
      const core = openTerminalCore({
        dataDir: tempDir(`nearby-${storeId}`),
        seedDemo: true,
        storeId,
        terminalId: 'T01',
        logger: pino({ level: 'silent' }),
        pinScryptN: 1024,
        sync: { cloudUrl: cloudUrl(), enrollCode: await pairingCode(storeId), intervalMs: 200, maxBackoffMs: 1000 },
      });
      cores.push(core);
      tills.push(core);
    }
    const [s1, s2] = tills as [TerminalCore, TerminalCore];
    const login = async (core: TerminalCore, pin: string) => (await ok(core.call('auth.login', { pin }, {}))).token;
    const mgr1 = await login(s1, '8888');
    const mgr2 = await login(s2, '8888');
    await ok(
      s1.call('stock.receive', { lines: [{ sku: bananas.sku, weightGrams: 12_500, unitCost: 410 }] }, { token: mgr1 }),
    );
    const s1Level = (await ok(s1.call('stock.get', { sku: bananas.sku }, { token: mgr1 }))).onHand;

    const nearby = await waitFor(
      'S001 receipt reaches the cloud',
      async () => {
        const r = await s2.call('stock.nearby', { sku: bananas.sku }, { token: mgr2 });
        return r.ok && r.stores.some((s) => s.storeId === 'S001' && s.onHand === s1Level) ? r : null;
      },
      // Not faster: the cloud answers 30 asks a minute per device.
      25_000,
      1000,
    );
    // Only the other store, and only counts and their age.
    expect(nearby.stores.map((s) => s.storeId)).toEqual(['S001']);
    expect(Object.keys(nearby.stores[0]!).sort()).toEqual(['asOf', 'available', 'onHand', 'staleSeconds', 'storeId']);
    expect(nearby.stores[0]).toMatchObject({ available: s1Level, asOf: expect.any(String) });
    expect(nearby.stale).toBe(false);

    // A cashier may not ask; the cloud route answers enrolled store devices only.
    const cashier = await login(s2, '1234');
    const refused = await s2.call('stock.nearby', { sku: bananas.sku }, { token: cashier });
    expect(!refused.ok && refused.error.code).toBe('FORBIDDEN');
    expect((await postJson(`${cloudUrl()}/sync/stock/nearby`, { sku: bananas.sku })).status).toBe(401);
    expect((await postJson(`${cloudUrl()}/sync/stock/nearby`, { sku: bananas.sku }, ADMIN)).status).toBe(401);

    // The cloud goes away: a clear code, no stale guess.
    await cloud.stop();
    const offline = await s2.call('stock.nearby', { sku: bananas.sku }, { token: mgr2 });
    expect(!offline.ok && offline.error.code).toBe('STOCK_NEARBY_OFFLINE');
  }, 180_000);
});
