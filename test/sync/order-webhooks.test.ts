// Signed order webhooks from a real cloud (its database) to a real local HTTP receiver that plays
// the mall: every status change arrives once per idempotency key with a signature the receiver
// checks on its own (node:crypto, not the cloud's helper), failed deliveries are retried with
// backoff, a change queued while the cloud is down for a restart is still delivered after it, and
// a delivery the receiver answered but the cloud did not hear (timeout) is sent again with the
// same key, so the mall can drop the repeat.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HybridClock,
  OpFactory,
  orderEventId,
  startCloud,
  storeScope,
  verifyOrderWebhook,
  type CloudHandle,
} from '../../sync';
import { cloudDb, postJson, quietLog, tempDir, waitFor } from './helpers';

const ADMIN = 'webhook-admin-token-0123';
const SECRET = 'mall-webhook-secret-0123456789';
const STORE = 'WH1';

interface Delivery {
  id: string;
  type: string;
  orderId: string;
  signatureOk: boolean;
  body: any;
}

// The mall: answers `plan()` for each delivery (200, an error status, or 'hang' = never answer).
const received: Delivery[] = [];
let plan: (d: Delivery) => number | 'hang' = () => 200;
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks).toString('utf8');
    const ts = String(req.headers['x-pos-webhook-timestamp'] ?? '');
    const want = `v1=${createHmac('sha256', SECRET).update(`${ts}.${raw}`).digest('hex')}`;
    const body = JSON.parse(raw);
    const d: Delivery = {
      id: String(req.headers['x-pos-webhook-id']),
      type: body.type,
      orderId: body.orderId,
      signatureOk:
        req.headers['x-pos-webhook-signature'] === want &&
        req.headers['idempotency-key'] === body.id &&
        Math.abs(Date.now() / 1000 - Number(ts)) < 60,
      body,
    };
    received.push(d);
    const answer = plan(d);
    if (answer === 'hang') return; // the mall took it but its answer never reaches the cloud
    res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
  });
});

const db = cloudDb('webhooks');
const dataDir = process.env['DATABASE_URL'] ? undefined : tempDir('wh-cloud');
let cloud: CloudHandle;
let url = '';
const start = () =>
  startCloud({
    ...db,
    dataDir,
    adminToken: ADMIN,
    log: quietLog,
    orders: {
      webhook: { url, secret: SECRET, baseDelayMs: 150, maxDelayMs: 600, pollMs: 50, timeoutMs: 400, maxAttempts: 6 },
    },
  });
// What the store's till writes (a store node's clock), applied as the hub would push it.
const till = new OpFactory(new HybridClock({ nodeId: `${STORE}_T01`, now: Date.now }));
const storeEvent = async (orderId: string, kind: string, extra: Record<string, unknown> = {}) =>
  cloud.storage.apply(
    [
      till.fact(storeScope(STORE), 'order_event', orderEventId(orderId, `${kind}-${Math.random()}`), {
        orderId,
        kind,
        at: new Date().toISOString(),
        terminalId: 'T01',
        ...extra,
      }),
    ],
    'test',
  );
const post = async (path: string, body: unknown) => (await postJson(`${cloud.url}${path}`, body, ADMIN)).body;
const order = (orderId: string) =>
  post('/api/orders', {
    orderId,
    storeId: STORE,
    paid: 700,
    lines: [{ lineId: 'a', sku: 'cola', quantity: 2, unitPrice: 350, amount: 700 }],
  });
const keysOf = (orderId: string) => [...new Set(received.filter((d) => d.orderId === orderId).map((d) => d.id))];

beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/orders`;
  cloud = await start();
});

afterAll(async () => {
  if (cloud) {
    if (process.env['DATABASE_URL']) await cloud.storage.dropSchema();
    await cloud.close();
  }
  receiver.closeAllConnections();
  await new Promise<void>((r) => receiver.close(() => r()));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('order webhooks to the mall', () => {
  it('sends each status change once, signed, in order: accepted, picking, ready, collected', async () => {
    await order('w1');
    await storeEvent('w1', 'accepted');
    await storeEvent('w1', 'picked', { lineId: 'a', quantity: 1, amount: 350, short: true });
    await storeEvent('w1', 'picked', { lineId: 'a', quantity: 2, amount: 700 }); // still "picking": no new webhook
    await storeEvent('w1', 'ready', { bags: 1, changes: [], refund: 0 });
    await storeEvent('w1', 'collected', { settledAmount: 700, refund: 0 });
    await waitFor('four webhooks of w1', async () => keysOf('w1').length === 4, 15_000, 50);
    const w1 = received.filter((d) => d.orderId === 'w1');
    expect(w1.map((d) => d.type)).toEqual(['order.accepted', 'order.picking', 'order.ready', 'order.collected']);
    expect(w1.every((d) => d.signatureOk)).toBe(true);
    expect(w1.map((d) => d.id)).toEqual(['w1:accepted', 'w1:picking', 'w1:ready', 'w1:collected']);
    expect(w1[3]!.body.order).toMatchObject({ orderId: 'w1', status: 'collected', settledAmount: 700 });
    // The cloud's own check (what a mall may reuse) agrees, and refuses a tampered body.
    const ts = Math.floor(Date.now() / 1000);
    const sig = `v1=${createHmac('sha256', SECRET).update(`${ts}.{"a":1}`).digest('hex')}`;
    expect(verifyOrderWebhook(SECRET, { timestamp: String(ts), signature: sig }, '{"a":1}')).toBe(true);
    expect(verifyOrderWebhook(SECRET, { timestamp: String(ts), signature: sig }, '{"a":2}')).toBe(false);
    expect(verifyOrderWebhook(SECRET, { timestamp: String(ts - 3600), signature: sig }, '{"a":1}')).toBe(false);
  });

  it('retries a refused delivery with backoff until the mall takes it', async () => {
    const tries: number[] = [];
    plan = (d) => {
      if (d.orderId !== 'w2') return 200;
      tries.push(Date.now());
      return tries.length <= 3 ? 503 : 200;
    };
    await order('w2');
    await post('/api/orders/w2/cancel', {});
    await waitFor('w2 delivered after three refusals', async () => tries.length === 4, 15_000, 50);
    expect(received.filter((d) => d.orderId === 'w2').map((d) => d.id)).toEqual(Array(4).fill('w2:cancelled'));
    // Backoff: each wait is longer than the one before (150 ms, 300 ms, 600 ms, ±20 %).
    const gaps = tries.slice(1).map((t, i) => t - tries[i]!);
    expect(gaps[0]!).toBeGreaterThanOrEqual(100);
    expect(gaps[2]!).toBeGreaterThan(gaps[0]!);
    // Delivered: never sent again.
    await new Promise((r) => setTimeout(r, 800));
    expect(tries).toHaveLength(4);
    plan = () => 200;
  });

  it('keeps a change queued across a cloud restart and delivers it after; a lost answer is resent with the same key', async () => {
    await order('w3');
    // The mall is down: the webhook stays in the outbox.
    plan = (d) => (d.orderId === 'w3' ? 500 : 200);
    await storeEvent('w3', 'accepted');
    await waitFor('a refused attempt for w3', async () => received.some((d) => d.orderId === 'w3'), 15_000, 50);
    await cloud.close();
    // While the cloud is down a store reports "ready" (it reaches the database through another instance).
    plan = (d) =>
      d.orderId === 'w3' && d.type === 'order.ready' && !received.some((x) => x.id === 'w3:ready' && x !== d)
        ? 'hang'
        : 200;
    cloud = await start();
    await storeEvent('w3', 'ready', { bags: 2, changes: [], refund: 0 });
    await waitFor(
      'w3 accepted and ready delivered',
      async () => {
        const ok = received.filter((d) => d.orderId === 'w3');
        return ok.filter((d) => d.id === 'w3:ready').length >= 2 && ok.some((d) => d.id === 'w3:accepted');
      },
      20_000,
      50,
    );
    // Accepted before ready (one order's webhooks in order), ready sent twice (its first answer was lost).
    const w3 = received.filter((d) => d.orderId === 'w3');
    const firstReady = w3.findIndex((d) => d.id === 'w3:ready');
    const lastAccepted = w3.map((d) => d.id).lastIndexOf('w3:accepted');
    expect(lastAccepted).toBeLessThan(firstReady);
    expect(keysOf('w3')).toEqual(['w3:accepted', 'w3:ready']);
    expect(w3.every((d) => d.signatureOk)).toBe(true);
  });
});
