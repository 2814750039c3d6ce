// Partition test with real processes on loopback: cloud + store hub + two terminal replicas,
// each link through a TCP proxy the test can cut. Both terminals sell the same SKUs while the
// hub is cut off from the cloud, then while the terminals are cut off from everything; one
// terminal then reaches the cloud directly (hub still unreachable); finally everything heals.
// Stated bound: after the last heal every replica and the cloud agree within 45 s (loopback).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, type Proc } from './processes';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';
import { tempDir, waitFor, postJson } from './helpers';
import { poolDriver } from '../../sync';

const ADMIN = 'partition-admin';
const CODE = 'DEMO-PART';
const SKUS = ['6901234567892', '6909876543210', 'WEIGHED-APPLE'];
const CONVERGE_MS = 45_000;

let schema = '';
let cloud: Proc, hub: Proc, t1: Proc, t2: Proc;
let hubToCloud: TcpProxy, t1ToHub: TcpProxy, t2ToHub: TcpProxy, t1ToCloud: TcpProxy, t2ToCloud: TcpProxy;
const procs: Proc[] = [];
const proxies: TcpProxy[] = [];

async function get(url: string, token?: string): Promise<any> {
  const r = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return r.json();
}
const post = async (p: Proc, path: string, body: unknown) => (await postJson(`http://127.0.0.1:${p.info.port}${path}`, body)).body;
const state = async (p: Proc) => get(`http://127.0.0.1:${p.info.port}/state`);

beforeAll(async () => {
  schema = `t_part_${Date.now().toString(36)}_${process.pid}`;
  const dbEnv: Record<string, string> = process.env['DATABASE_URL'] ? { DATABASE_URL: process.env['DATABASE_URL'], CLOUD_SCHEMA: schema } : { DATABASE_URL: '', CLOUD_DATA_DIR: tempDir('cloud') };
  cloud = await startProcess('sync/cloud/main.ts', { ...dbEnv, CLOUD_PORT: '0', CLOUD_ADMIN_TOKEN: ADMIN, DEMO_ENROLL_CODE: CODE, DEMO_STORE_ID: 'S1' });
  procs.push(cloud);
  hubToCloud = await startTcpProxy(cloud.info.port);
  t1ToCloud = await startTcpProxy(cloud.info.port);
  t2ToCloud = await startTcpProxy(cloud.info.port);
  proxies.push(hubToCloud, t1ToCloud, t2ToCloud);
  hub = await startProcess('sync/hub/main.ts', { HUB_PORT: '0', HUB_DATA_DIR: tempDir('hub'), CLOUD_URL: hubToCloud.url, ENROLL_CODE: CODE, STORE_ID: 'S1', HUB_SYNC_INTERVAL_MS: '300', HUB_MAX_BACKOFF_MS: '1000' });
  procs.push(hub);
  t1ToHub = await startTcpProxy(hub.info.port);
  t2ToHub = await startTcpProxy(hub.info.port);
  proxies.push(t1ToHub, t2ToHub);
  const terminal = (node: string, toHub: TcpProxy, toCloud: TcpProxy) =>
    startProcess('test/sync/replica-process.ts', { DATA_DIR: tempDir(node), NODE_ID: node, STORE_ID: 'S1', HUB_URL: toHub.url, CLOUD_URL: toCloud.url, ENROLL_CODE: CODE });
  [t1, t2] = await Promise.all([terminal('T01', t1ToHub, t1ToCloud), terminal('T02', t2ToHub, t2ToCloud)]);
  procs.push(t1, t2);
}, 180_000);

afterAll(async () => {
  for (const p of procs.reverse()) await p.stop();
  for (const x of proxies) await x.close();
  const url = process.env['DATABASE_URL'];
  if (url) {
    const d = poolDriver(url, 1);
    await d.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await d.close();
  }
});

describe('partition and heal (real processes)', () => {
  it('keeps every sale and the exact stock through hub and terminal outages', async () => {
    // Opening stock arrives on T01 and reaches everyone.
    await post(t1, '/receive', { lines: SKUS.map((sku) => ({ sku, qty: 100 })) });
    await waitFor('opening stock everywhere', async () => {
      const [a, b] = await Promise.all([state(t1), state(t2)]);
      return a.stock[SKUS[0]!]?.onHand === 100 && b.stock[SKUS[0]!]?.onHand === 100;
    });

    // Phase 1: the store loses the WAN (hub <-> cloud down). Both terminals sell the same SKUs.
    hubToCloud.setDown(true);
    await post(t1, '/sell', { lines: [{ sku: SKUS[0], qty: 2 }, { sku: SKUS[1], qty: 1 }], count: 15 });
    await post(t2, '/sell', { lines: [{ sku: SKUS[0], qty: 1 }, { sku: SKUS[2], qty: 3 }], count: 12 });
    // An online order reserves stock in the cloud meanwhile.
    const order = await postJson(`${cloud.info.url ?? `http://127.0.0.1:${cloud.info.port}`}/api/online-orders`, { storeId: 'S1', lines: [{ sku: SKUS[1], quantity: 4 }] }, ADMIN);
    expect(order.body.ok).toBe(true);
    await waitFor('terminals see each other through the hub', async () => {
      const [a, b] = await Promise.all([state(t1), state(t2)]);
      return a.sales.length === 27 && b.sales.length === 27;
    });

    // Phase 2: the terminals lose the hub and the cloud too, and keep selling offline.
    for (const p of [t1ToHub, t2ToHub, t1ToCloud, t2ToCloud]) p.setDown(true);
    await post(t1, '/sell', { lines: [{ sku: SKUS[0], qty: 5 }], count: 10 });
    await post(t2, '/sell', { lines: [{ sku: SKUS[0], qty: 4 }, { sku: SKUS[1], qty: 2 }], count: 10 });
    const offline = await waitFor('T01 reports offline with pending sales', async () => {
      const s = await state(t1);
      return s.status.state === 'error' && s.status.pendingOps > 0 ? s : null;
    });
    expect(offline.status.message).toMatch(/Offline/);
    expect(offline.localSales).toBe(25);

    // Phase 3: T01 reaches the cloud directly while its hub is still unreachable.
    t1ToCloud.setDown(false);
    await waitFor('T01 synced with the cloud directly', async () => (await state(t1)).status.state === 'ok');

    // Heal everything.
    const healedAt = Date.now();
    for (const p of [hubToCloud, t1ToHub, t2ToHub, t2ToCloud]) p.setDown(false);
    const totalSales = 15 + 12 + 10 + 10;
    const expected: Record<string, { onHand: number; reserved: number }> = {
      [SKUS[0]!]: { onHand: 100 - 15 * 2 - 12 * 1 - 10 * 5 - 10 * 4, reserved: 0 },
      [SKUS[1]!]: { onHand: 100 - 15 * 1 - 10 * 2, reserved: 4 },
      [SKUS[2]!]: { onHand: 100 - 12 * 3, reserved: 0 },
    };
    const cloudUrl = `http://127.0.0.1:${cloud.info.port}`;
    await waitFor('all replicas and the cloud agree', async () => {
      const [a, b, h, c] = await Promise.all([state(t1), state(t2), get(`http://127.0.0.1:${hub.info.port}/health`), get(`${cloudUrl}/health`)]);
      const scopes = ['chain', 'store:S1'];
      const same = scopes.every((s) => a.digests[s] === b.digests[s] && a.digests[s] === h.digests[s] && a.digests[s] === (c.digests[s] ?? '0:0'));
      return same && a.sales.length === totalSales && a.status.state === 'ok' && b.status.state === 'ok' && h.sync.state === 'ok';
    }, CONVERGE_MS, 200);
    const convergedMs = Date.now() - healedAt;

    for (const t of [t1, t2]) {
      const s = await state(t);
      expect(s.sales).toHaveLength(totalSales);
      for (const sku of SKUS) expect(s.stock[sku]).toMatchObject(expected[sku]!);
      expect(s.status.pendingOps).toBe(0);
    }
    const cloudSales = await get(`${cloudUrl}/api/sales?storeId=S1`, ADMIN);
    expect(cloudSales.ids).toEqual((await state(t1)).sales);
    for (const sku of SKUS) {
      const st = await get(`${cloudUrl}/api/stock?storeId=S1&sku=${sku}`, ADMIN);
      expect(st).toMatchObject(expected[sku]!);
    }
    const h = await get(`http://127.0.0.1:${hub.info.port}/health`);
    expect(h.sync).toMatchObject({ state: 'ok', pendingOps: 0 });
    console.log(`partition test: converged ${convergedMs} ms after heal`);
  }, 170_000);
});
