// The till wired into sync, end to end on real sockets: the cloud (child process, PGlite or
// Postgres), a store hub (startSyncHub, in this process) and TWO till web hosts (child
// processes configured from env like `npm start`: HUB_URL, CLOUD_URL, ENROLL_CODE,
// POS_STORE_ID, POS_TERMINAL_ID) on the demo store S001 with the demo pairing code.
// Both tills sell the same SKU over HTTP; then both tills' stock.get and the cloud must show
// the exact level (opening count − both sales). Stated bound: within 20 s of the last sale
// (terminal sync cycle 3 s, hub 0.3 s; typically 1–4 s on loopback).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncHub, type SyncHub } from '../../sync';
import { demoProducts } from '../../app/core';
import { startProcess, type Proc } from './processes';
import { dropCloudSchema, quietLog, tempDir, waitFor } from './helpers';

const ADMIN = 'wiring-admin';
const CODE = 'DEMO-S001-2026';
const STORE = 'S001';
const AGREE_MS = 20_000;
const cola = demoProducts().find((p) => p.nameEn === 'Coca-Cola 330ml')!;
const colaCode = cola.barcodes[0]!;

let schema = '';
let cloud: Proc;
let hub: SyncHub;
const tills: Proc[] = [];

const base = (p: Proc) => `http://127.0.0.1:${p.info.port}`;
async function rpc(p: Proc, method: string, input: unknown, token?: string): Promise<any> {
  const r = await fetch(`${base(p)}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  const body = await r.json();
  if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body;
}
async function cloudStock(sku: string): Promise<any> {
  const r = await fetch(`http://127.0.0.1:${cloud.info.port}/api/stock?storeId=${STORE}&sku=${sku}`, {
    headers: { authorization: `Bearer ${ADMIN}` },
  });
  return r.json();
}

beforeAll(async () => {
  schema = `t_wire_${Date.now().toString(36)}_${process.pid}`;
  const dbEnv: Record<string, string> = process.env['DATABASE_URL']
    ? { DATABASE_URL: process.env['DATABASE_URL'], CLOUD_SCHEMA: schema }
    : { DATABASE_URL: '', CLOUD_DATA_DIR: tempDir('wire-cloud') };
  cloud = await startProcess('sync/cloud/main.ts', {
    ...dbEnv,
    CLOUD_PORT: '0',
    CLOUD_DEMO: '1',
    CLOUD_ADMIN_TOKEN: ADMIN,
    DEMO_ENROLL_CODE: CODE,
    DEMO_STORE_ID: STORE,
  });
  hub = await startSyncHub({
    port: 0,
    dataDir: tempDir('wire-hub'),
    cloudUrl: `http://127.0.0.1:${cloud.info.port}`,
    enrollCode: CODE,
    storeId: STORE,
    intervalMs: 300,
    maxBackoffMs: 1000,
    log: quietLog,
  });
  const till = (id: string) =>
    startProcess('test/sync/till-process.ts', {
      POS_PORT: '0',
      POS_DATA_DIR: tempDir(`wire-${id}`),
      POS_DEVICES: 'none',
      POS_STORE_ID: STORE,
      POS_TERMINAL_ID: id,
      HUB_URL: hub.url,
      CLOUD_URL: `http://127.0.0.1:${cloud.info.port}`,
      ENROLL_CODE: CODE,
    });
  // One after the other: each seeds the demo store's opening stock as a shelf count.
  tills.push(await till('T01'));
  tills.push(await till('T02'));
}, 120_000);

afterAll(async () => {
  for (const t of tills) await t.stop();
  await hub?.close();
  await cloud?.stop();
  await dropCloudSchema(schema);
});

describe('till ↔ hub ↔ cloud wiring', () => {
  it('two tills sell the same SKU; both tills and the cloud agree on the exact stock', async () => {
    const [t1, t2] = tills as [Proc, Proc];
    const tokens: string[] = [];
    for (const t of tills) tokens.push((await rpc(t, 'auth.login', { pin: '1234' })).token);
    const sell = async (t: Proc, token: string, n: number) => {
      for (let i = 0; i < n; i++) await rpc(t, 'cart.scan', { code: colaCode }, token);
      return rpc(t, 'cart.pay', { tenders: [{ type: 'cash', amount: 100000 }] }, token);
    };
    const s1 = await sell(t1, tokens[0]!, 2);
    const s2 = await sell(t2, tokens[1]!, 3);
    expect(s1.saleNumber).not.toBe(s2.saleNumber);
    const expected = cola.initialStock - 5;

    const started = Date.now();
    await waitFor(
      'both tills and the cloud to agree on stock',
      async () => {
        const a = await rpc(t1, 'stock.get', { sku: cola.sku }, tokens[0]);
        const b = await rpc(t2, 'stock.get', { sku: cola.sku }, tokens[1]);
        const c = await cloudStock(cola.sku);
        return a.onHand === expected && b.onHand === expected && c.onHand === expected && { a, b, c };
      },
      AGREE_MS,
      250,
    );
    const agreedMs = Date.now() - started;
    console.log(`tills and cloud agreed on stock ${expected} after ${agreedMs} ms`);

    // Each till sees the other's sale in its own replica (the fact came through the hub).
    const cloudSales = await (
      await fetch(`http://127.0.0.1:${cloud.info.port}/api/sales?storeId=${STORE}`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      })
    ).json();
    expect(JSON.stringify(cloudSales)).toContain(s1.saleId);
    expect(JSON.stringify(cloudSales)).toContain(s2.saleId);

    // system.status reports the sync state; once everything is pushed, nothing is pending.
    await waitFor(
      'both tills to report sync ok with nothing pending',
      async () => {
        const st = await Promise.all(tills.map((t, i) => rpc(t, 'system.status', {}, tokens[i])));
        return st.every((s) => s.sync.state === 'ok' && s.sync.pendingOps === 0 && s.sync.lastSyncAt !== null) && st;
      },
      AGREE_MS,
      250,
    );
    const health = await (await fetch(`${base(t1)}/health`)).json();
    expect(health.sync.state).toBe('ok');
  }, 60_000);

  it('a member code used at one till is refused at the other (the hub holds its nonce); the member panel shows visits at both', async () => {
    const [t1, t2] = tills as [Proc, Proc];
    const admin = async (path: string, body: unknown = {}) => {
      const r = await fetch(`http://127.0.0.1:${cloud.info.port}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
        body: JSON.stringify(body),
      });
      expect(r.status).toBe(200);
      return r.json();
    };
    const { memberId } = await admin('/api/members', { storeId: STORE, name: '张三', level: 'gold' });
    const tokens = await Promise.all(tills.map(async (t) => (await rpc(t, 'auth.login', { pin: '1234' })).token));
    const { code } = await admin(`/api/members/${memberId}/code`);
    const at1 = await rpc(t1, 'members.identify', { code }, tokens[0]);
    expect(at1.member.id).toBe(memberId);
    const r = await fetch(`${base(t2)}/api/members.identify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[1]}` },
      body: JSON.stringify({ code }),
    });
    const at2 = await r.json();
    expect(at2.ok).toBe(false);
    expect(at2.error).toMatchObject({
      code: 'MEMBER_CODE_INVALID',
      details: { reason: 'replayed-elsewhere', terminalId: 'T01' },
    });
    // A fresh code of the same member works at the second till.
    const next = await admin(`/api/members/${memberId}/code`);
    expect((await rpc(t2, 'members.identify', { code: next.code }, tokens[1])).member.id).toBe(memberId);

    // Sales to the member at both tills: T02's member panel shows both visits, and cola (bought
    // at each) as a usual item: one purchase read from T02's own sale, one from T01's sale fact.
    const sellTo = async (t: Proc, token: string) => {
      await rpc(t, 'cart.scan', { code: colaCode }, token);
      await rpc(t, 'cart.setMember', { memberId }, token);
      return rpc(t, 'cart.pay', { tenders: [{ type: 'cash', amount: 100000 }] }, token);
    };
    const atT1 = await sellTo(t1, tokens[0]);
    const atT2 = await sellTo(t2, tokens[1]);
    const panel = await waitFor(
      'the member panel on T02 to show the visit at T01',
      async () => {
        const p = (await rpc(t2, 'members.panel', { memberId }, tokens[1])).member;
        return p.visits.some((v: { saleId: string }) => v.saleId === atT1.saleId) && p;
      },
      AGREE_MS,
      250,
    );
    expect(panel.visits.map((v: { number: string }) => v.number).sort()).toEqual(
      [atT1.saleNumber, atT2.saleNumber].sort(),
    );
    expect(panel.usualItems.map((u: { sku: string }) => u.sku)).toContain(cola.sku);
  }, 60_000);
});
