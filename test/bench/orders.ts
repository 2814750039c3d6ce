// `npm run bench -- orders`: online orders through real processes on loopback (the cloud, the
// store hub, one till web host), each with its production sync timers (hub ⇄ cloud every 2 s,
// till ⇄ hub every 3 s, nudged on local writes) and the order-news long polls
// (sync/protocol/order-wake.ts).
//
//   order_to_queue_s  the cloud answered 200 to `POST /api/orders` → the order is in the till's
//                     pick queue (`orders.list`, polled every 25 ms); 12 orders one after another
//   handover_ms       `orders.handover {code}` (what a pickup-code scan sends) → the answer with
//                     the order, the hub's claim included; 40 ready orders, one after another
//   orders_get_ms     the same HTTP RPC path reading one order (the floor under the machine's load)
//
// Last line: one JSON object.
import { rmSync } from 'node:fs';
import { demoProducts } from '../../app/core';
import { startProcess, type Proc } from '../sync/processes';
import { dropCloudSchema, postJson, tempDir, waitFor } from '../sync/helpers';

const ADMIN = 'bench-orders-admin-0123';
const CODE = 'DEMO-BENCH-ORD';
const STORE = 'S1';
const QUEUE_SAMPLES = 12;
const HANDOVERS = 40;

const cola = demoProducts().find((p) => p.unit === 'each' && p.ean13)!;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, idx)] ?? NaN;
}
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

const dirs: string[] = [];
const dir = (p: string) => {
  const d = tempDir(p);
  dirs.push(d);
  return d;
};
const schema = `t_bench_ord_${Date.now().toString(36)}_${process.pid}`;
const dbEnv: Record<string, string> = process.env['DATABASE_URL']
  ? { DATABASE_URL: process.env['DATABASE_URL'], CLOUD_SCHEMA: schema }
  : { DATABASE_URL: '', CLOUD_DATA_DIR: dir('bench-ord-cloud') };
const procs: Proc[] = [];
try {
  const cloud = await startProcess('sync/cloud/main.ts', {
    ...dbEnv,
    CLOUD_PORT: '0',
    CLOUD_DEMO: '1',
    CLOUD_ADMIN_TOKEN: ADMIN,
    DEMO_ENROLL_CODE: CODE,
    DEMO_STORE_ID: STORE,
  });
  procs.push(cloud);
  const cloudUrl = `http://127.0.0.1:${cloud.info.port}`;
  const hub = await startProcess('sync/hub/main.ts', {
    HUB_PORT: '0',
    HUB_DATA_DIR: dir('bench-ord-hub'),
    CLOUD_URL: cloudUrl,
    ENROLL_CODE: CODE,
    STORE_ID: STORE,
  });
  procs.push(hub);
  const till = await startProcess('test/sync/till-process.ts', {
    POS_PORT: '0',
    POS_DATA_DIR: dir('bench-ord-till'),
    POS_DEVICES: 'none',
    POS_STORE_ID: STORE,
    POS_TERMINAL_ID: 'T01',
    HUB_URL: `http://127.0.0.1:${hub.info.port}`,
    CLOUD_URL: cloudUrl,
    ENROLL_CODE: CODE,
  });
  procs.push(till);
  const tillUrl = `http://127.0.0.1:${till.info.port}`;
  const token = (await postJson(`${tillUrl}/api/auth.login`, { pin: '1234' })).body.token as string;
  const rpc = async (method: string, input: unknown): Promise<any> => {
    const r = await postJson(`${tillUrl}/api/${method}`, input, token);
    if (!r.body?.ok) throw new Error(`${method}: ${JSON.stringify(r.body?.error)}`);
    return r.body;
  };
  await waitFor(
    'the till synced its seed',
    async () => {
      const s = await rpc('system.status', {});
      return s.sync.state === 'ok' && s.sync.pendingOps === 0;
    },
    120_000,
    250,
  );
  const slot = () => ({
    start: new Date(Date.now() + 3600_000).toISOString(),
    end: new Date(Date.now() + 7200_000).toISOString(),
  });
  const post = async (orderId: string) => {
    const r = await postJson(
      `${cloudUrl}/api/orders`,
      {
        orderId,
        storeId: STORE,
        customer: { name: '王小丽' },
        slot: slot(),
        lines: [{ sku: cola.sku, quantity: 1, unitPrice: cola.price, amount: cola.price }],
      },
      ADMIN,
    );
    if (r.status !== 200) throw new Error(`POST /api/orders: ${JSON.stringify(r.body)}`);
    return r.body.parts[0] as { pickupCode: string };
  };
  const inQueue = async (orderId: string) =>
    ((await rpc('orders.list', { status: 'open' })).orders as { id: string }[]).some((o) => o.id === orderId);

  // order_to_queue_s: one order at a time, a random pause between so samples fall at every point
  // of the sync timers' cycles.
  const queueS: number[] = [];
  for (let i = 0; i < QUEUE_SAMPLES; i++) {
    await new Promise((r) => setTimeout(r, 200 + Math.random() * 2800));
    const id = `bench-q-${i}`;
    await post(id);
    const t0 = performance.now();
    await waitFor(`${id} in the pick queue`, () => inQueue(id), 30_000, 25);
    queueS.push((performance.now() - t0) / 1000);
  }
  console.log(`order_to_queue_s samples: ${queueS.map((s) => s.toFixed(2)).join(' ')}`);

  // handover_ms: ready orders handed over by their pickup codes.
  const codes: string[] = [];
  for (let i = 0; i < HANDOVERS; i++) codes.push((await post(`bench-h-${i}`)).pickupCode);
  await waitFor('every order in the queue', () => inQueue(`bench-h-${HANDOVERS - 1}`), 60_000, 100);
  for (let i = 0; i < HANDOVERS; i++) await rpc('orders.ready', { id: `bench-h-${i}`, print: false });
  // The hub must hold the orders before it can vouch for a claim (else the till decides alone).
  await new Promise((r) => setTimeout(r, 6000));
  // The floor under load: the same HTTP RPC path with a read only (`orders.get`).
  const floorMs: number[] = [];
  for (let i = 0; i < HANDOVERS; i++) {
    const t0 = performance.now();
    await rpc('orders.get', { id: `bench-h-${i}` });
    floorMs.push(performance.now() - t0);
  }
  const handoverMs: number[] = [];
  let offline = 0;
  for (const code of codes) {
    const t0 = performance.now();
    const r = await rpc('orders.handover', { code });
    handoverMs.push(performance.now() - t0);
    if (r.offline) offline++;
  }
  console.log(
    `handover_ms: p50 ${percentile(handoverMs, 50).toFixed(1)}, p95 ${percentile(handoverMs, 95).toFixed(1)}, max ${Math.max(...handoverMs).toFixed(1)} (${HANDOVERS} handovers, ${HANDOVERS - offline} claimed at the hub)`,
  );

  console.log(
    JSON.stringify({
      order_to_queue_s_p50: round(percentile(queueS, 50)),
      order_to_queue_s_p95: round(percentile(queueS, 95)),
      order_to_queue_s_max: round(Math.max(...queueS)),
      handover_ms_p50: round(percentile(handoverMs, 50), 1),
      handover_ms_p95: round(percentile(handoverMs, 95), 1),
      handovers_claimed_at_hub: HANDOVERS - offline,
      orders_get_ms_p50: round(percentile(floorMs, 50), 1),
      orders_get_ms_p95: round(percentile(floorMs, 95), 1),
      cloud_backend: process.env['DATABASE_URL'] ? 'postgres' : 'pglite',
    }),
  );
} finally {
  for (const p of procs.reverse()) await p.stop();
  await dropCloudSchema(schema);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
