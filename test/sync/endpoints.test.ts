// Sync endpoints on real sockets: cloud (Postgres or PGlite) + store hub (SQLite) in this
// process. Auth: no credential, wrong store scope and revoked devices are refused; torn or
// malformed batches are refused whole with nothing applied. Also: online orders reserve stock,
// checksum divergence is detected and repaired, and the status matches the till banner shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import {
  startCloud,
  startSyncHub,
  createSyncClient,
  encodeBatch,
  HybridClock,
  OpFactory,
  formatStamp,
  type CloudHandle,
  type SyncHub,
} from '../../sync';
import type { TerminalStatus } from '../../app/contract';
import { cloudDb, gz, postJson, postRaw, quietLog, tempDir, waitFor } from './helpers';

const ADMIN = 'test-admin';
let cloud: CloudHandle;
let hub: SyncHub;
let tokenS1: string;
let tokenS2: string;

const ops = new OpFactory(new HybridClock({ nodeId: 'X1', now: Date.now }));

beforeAll(async () => {
  const db = cloudDb('auth');
  cloud = await startCloud({
    ...db,
    adminToken: ADMIN,
    demo: true,
    demoEnrollCode: 'DEMO-TEST',
    demoStoreId: 'S1',
    log: quietLog,
  });
  hub = await startSyncHub({
    port: 0,
    dataDir: tempDir('auth-hub'),
    cloudUrl: cloud.url,
    enrollCode: 'DEMO-TEST',
    storeId: 'S1',
    log: quietLog,
    intervalMs: 200,
  });
  const codeS2 = (await postJson(`${cloud.url}/sync/admin/enroll-codes`, { storeId: 'S2' }, ADMIN)).body.code as string;
  tokenS1 = (await postJson(`${cloud.url}/sync/enroll`, { code: 'DEMO-TEST', deviceId: 'T1' })).body.token;
  const e2 = await postJson(`${cloud.url}/sync/enroll`, { code: codeS2, deviceId: 'T9' });
  expect(e2.body.storeId).toBe('S2');
  tokenS2 = e2.body.token;
  await waitFor('hub enrolled', async () => (await hub.storage.getMeta('sync.credential')) !== null);
});

afterAll(async () => {
  await hub?.close();
  if (cloud) {
    if (process.env['DATABASE_URL']) await cloud.storage.dropSchema();
    await cloud.close();
  }
});

describe('sync auth', () => {
  it('one-time pairing codes work once; unknown codes are refused', async () => {
    const code = (await postJson(`${cloud.url}/sync/admin/enroll-codes`, { storeId: 'S1' }, ADMIN)).body.code;
    expect((await postJson(`${cloud.url}/sync/enroll`, { code, deviceId: 'T5' })).status).toBe(200);
    const again = await postJson(`${cloud.url}/sync/enroll`, { code, deviceId: 'T6' });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('ENROLL_REFUSED');
    expect((await postJson(`${cloud.url}/sync/admin/enroll-codes`, { storeId: 'S1' })).status).toBe(401);
  });

  for (const target of ['cloud', 'hub'] as const) {
    it(`${target}: refuses a request with no or a forged credential`, async () => {
      const url = target === 'cloud' ? cloud.url : hub.url;
      const batch = encodeBatch([ops.move('S1', 'a', 'sale', 1)]);
      expect((await postRaw(`${url}/sync/push`, batch)).body.error.code).toBe('UNAUTHENTICATED');
      expect((await postRaw(`${url}/sync/push`, batch, tokenS1.slice(0, -4) + 'AAAA')).status).toBe(401);
      expect((await postJson(`${url}/sync/pull`, { cursor: 0 })).status).toBe(401);
    });

    it(`${target}: refuses writes outside the device's store scope, whole batch`, async () => {
      const url = target === 'cloud' ? cloud.url : hub.url;
      const storage = target === 'cloud' ? cloud.storage : hub.storage;
      const refused = [ops.move('S1', `scope-${target}`, 'sale', 1), ops.move('S2', `scope-${target}`, 'sale', 1)];
      const batch = encodeBatch(refused);
      const r = await postRaw(`${url}/sync/push`, batch, tokenS1);
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('SCOPE_FORBIDDEN');
      const chain = await postRaw(
        `${url}/sync/push`,
        encodeBatch([ops.set('chain', 'product', 'p', 'price', 1)]),
        tokenS1,
      );
      expect(chain.body.error.code).toBe('SCOPE_FORBIDDEN');
      const held = new Set((await storage.allOps()).map((o) => o.id));
      expect(refused.some((o) => held.has(o.id))).toBe(false);
    });

    it(`${target}: refuses torn and malformed batches whole, nothing applied`, async () => {
      const url = target === 'cloud' ? cloud.url : hub.url;
      const storage = target === 'cloud' ? cloud.storage : hub.storage;
      const sku = `torn-${target}`;
      const good = [ops.move('S1', sku, 'sale', 1), ops.move('S1', sku, 'sale', 2), ops.move('S1', sku, 'receive', 5)];
      const full = encodeBatch(good);
      const torn = await postRaw(`${url}/sync/push`, full.subarray(0, full.length - 7), tokenS1);
      expect(torn.status).toBe(400);
      expect(torn.body.error.code).toBe('BATCH_MALFORMED');
      const badOp = await postRaw(
        `${url}/sync/push`,
        encodeBatch([...good, { ...ops.move('S1', sku, 'sale', 1), n: 'lots' } as never]),
        tokenS1,
      );
      expect(badOp.status).toBe(400);
      expect(badOp.body.error.code).toBe('BATCH_INVALID');
      expect(badOp.body.error.details.index).toBe(3);
      const notJson = await postRaw(`${url}/sync/push`, gz('{"v":1,"count":'), tokenS1);
      expect(notJson.body.error.code).toBe('BATCH_MALFORMED');
      const countLies = await postRaw(
        `${url}/sync/push`,
        gz(JSON.stringify({ v: 1, count: 5, ops: { id: [], s: [], t: [], e: [], k: [], f: [], n: [], b: [] } })),
        tokenS1,
      );
      expect(countLies.body.error.code).toBe('BATCH_MALFORMED');
      expect((await storage.stock('S1', sku)).lastMovementId).toBeNull();
      // The same good batch sent whole is applied, and again is a no-op.
      expect((await postRaw(`${url}/sync/push`, full, tokenS1)).body).toMatchObject({ ok: true, applied: 3 });
      expect((await postRaw(`${url}/sync/push`, full, tokenS1)).body).toMatchObject({
        ok: true,
        applied: 0,
        duplicates: 3,
      });
      expect((await storage.stock('S1', sku)).onHand).toBe(2);
    });
  }

  it("hub: the tills' one-shot routes answer bad bodies with BAD_INPUT and keep serving", async () => {
    const routes = ['/sync/members/code-use', '/sync/coupons/hold', '/sync/orders/claim'];
    const bad: unknown[] = [
      null,
      [],
      'text',
      {},
      { nonce: 'n'.repeat(65), memberId: 'm1', expiresAt: Date.now() },
      { nonce: 'n1', memberId: 'm1', expiresAt: 1.5 },
      { nonce: 'n1', memberId: 42, expiresAt: Date.now() },
      { code: '', cartId: 'c1' },
      { orderId: 7 },
    ];
    for (const route of routes) {
      // No credential: refused before the body is read.
      expect((await postJson(`${hub.url}${route}`, { nonce: 'n1' })).status).toBe(401);
      // Another store's device: refused whatever it sends.
      expect((await postJson(`${hub.url}${route}`, { orderId: 'o1' }, tokenS2)).status).toBe(403);
      for (const body of bad) {
        const r = await postJson(`${hub.url}${route}`, body, tokenS1);
        // Some bodies are valid for another route (an orderId for the claim); those reach the
        // route's own rules. None may crash the hub or answer 5xx.
        expect(r.status, `${route} ${JSON.stringify(body)}`).toBeLessThan(500);
        if (r.status === 400) expect(r.body.error.code).toBe('BAD_INPUT');
      }
      // Broken JSON.
      const raw = await fetch(`${hub.url}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenS1}` },
        body: '{"nonce":',
      });
      expect(raw.status).toBe(400);
    }
    const use = await postJson(
      `${hub.url}/sync/members/code-use`,
      { nonce: 'n-ok', memberId: 'm1', expiresAt: Date.now() + 60_000 },
      tokenS1,
    );
    expect(use.status).toBe(200);
    expect(use.body.ok).toBe(true);
  });

  it('hub refuses a device of another store', async () => {
    const r = await postJson(`${hub.url}/sync/pull`, { cursor: 0 }, tokenS2);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('FORBIDDEN');
  });

  it('refuses stamps far in the future whole, and the client holds them back without blocking the rest', async () => {
    const future = {
      ...ops.move('S1', 'fut', 'sale', 1),
      id: formatStamp({ wall: Date.now() + 86_400_000 * 30, counter: 0, node: 'T1' }),
    };
    const r = await postRaw(`${cloud.url}/sync/push`, encodeBatch([ops.move('S1', 'fut', 'sale', 1), future]), tokenS1);
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('CLOCK_AHEAD');
    expect(r.body.error.details.ids).toEqual([future.id]);

    const db = new Database(join(tempDir('fut'), 't.db'));
    const t = createSyncClient({
      db,
      cloudUrl: cloud.url,
      enrollCode: 'DEMO-TEST',
      storeId: 'S1',
      terminalId: 'TFUT',
      log: quietLog,
      intervalMs: 100,
    });
    t.outbox.append([
      {
        ...t.outbox.ops.move('S1', 'fut', 'sale', 1),
        id: formatStamp({ wall: Date.now() + 86_400_000 * 30, counter: 0, node: 'TFUT' }),
      },
    ]);
    const normal = t.outbox.ops.move('S1', 'fut', 'sale', 4);
    t.outbox.append([normal]);
    await t.syncNow();
    expect((await cloud.storage.stock('S1', 'fut')).onHand).toBe(-4);
    const st = await t.status();
    expect(st.pendingOps).toBe(0);
    t.start();
    await waitFor('status shows held ops', async () => (await t.status()).message?.includes('clock'));
    await t.stop();
    db.close();
  });

  it('revoked devices are refused by the cloud and, once replicated, by the hub', async () => {
    const code = (await postJson(`${cloud.url}/sync/admin/enroll-codes`, { storeId: 'S1' }, ADMIN)).body.code;
    const token = (await postJson(`${cloud.url}/sync/enroll`, { code, deviceId: 'TREV' })).body.token;
    expect((await postJson(`${hub.url}/sync/pull`, { cursor: 0 }, token)).status).toBe(200);
    expect((await postJson(`${cloud.url}/sync/admin/revoke`, { deviceId: 'TREV' }, ADMIN)).status).toBe(200);
    const c = await postJson(`${cloud.url}/sync/pull`, { cursor: 0 }, token);
    expect(c.status).toBe(403);
    expect(c.body.error.code).toBe('REVOKED');
    const h = await waitFor('hub learns the revocation', async () => {
      const r = await postJson(`${hub.url}/sync/pull`, { cursor: 0 }, token);
      return r.status === 403 ? r : null;
    });
    expect(h.body.error.code).toBe('REVOKED');
  });
});

describe('online orders, status, divergence and repair', () => {
  it('an online order reserves stock; overselling is allowed but flagged', async () => {
    const t = ops;
    await postRaw(`${cloud.url}/sync/push`, encodeBatch([t.move('S1', 'oo-1', 'receive', 5)]), tokenS1);
    const r = await postJson(
      `${cloud.url}/api/online-orders`,
      { orderId: 'order-1', storeId: 'S1', lines: [{ sku: 'oo-1', quantity: 3 }] },
      ADMIN,
    );
    expect(r.body).toMatchObject({ ok: true, orderId: 'order-1', oversold: [] });
    expect(r.body.lines[0]).toMatchObject({ sku: 'oo-1', onHand: 5, reserved: 3, available: 2, negative: false });
    expect(typeof r.body.lines[0].staleSeconds).toBe('number');
    const over = await postJson(
      `${cloud.url}/api/online-orders`,
      { orderId: 'order-2', storeId: 'S1', lines: [{ sku: 'oo-1', quantity: 4 }] },
      ADMIN,
    );
    expect(over.body.oversold).toEqual(['oo-1']);
    expect(over.body.lines[0].available).toBe(-2);
    const again = await postJson(
      `${cloud.url}/api/online-orders`,
      { orderId: 'order-2', storeId: 'S1', lines: [{ sku: 'oo-1', quantity: 4 }] },
      ADMIN,
    );
    expect(again.body).toMatchObject({ duplicate: true });
    expect(again.body.lines[0].reserved).toBe(7);
    expect((await postJson(`${cloud.url}/api/online-orders`, { storeId: 'S1', lines: [] }, ADMIN)).status).toBe(400);
    expect(
      (await postJson(`${cloud.url}/api/online-orders`, { storeId: 'S1', lines: [{ sku: 'x', quantity: 1 }] })).status,
    ).toBe(401);
    // The reservation reaches the store through the hub.
    await waitFor('hub sees the reservation', async () => (await hub.storage.stock('S1', 'oo-1')).reserved === 7);
  });

  it('reports status in the till banner shape, detects divergence by checksum and repairs it', async () => {
    const db = new Database(join(tempDir('div'), 't.db'));
    const t = createSyncClient({
      db,
      hubUrl: hub.url,
      cloudUrl: cloud.url,
      enrollCode: 'DEMO-TEST',
      storeId: 'S1',
      terminalId: 'TDIV',
      log: quietLog,
      intervalMs: 100,
      maxBackoffMs: 300,
    });
    expect(await t.status()).toEqual({
      state: 'disabled',
      pendingOps: 0,
      lastSyncAt: null,
      lagSeconds: null,
      message: null,
      reason: null,
    });
    t.outbox.append([t.outbox.ops.move('S1', 'div', 'receive', 10)]);
    t.start();
    await waitFor('synced', async () => (await t.status()).state === 'ok');
    const ok: TerminalStatus['sync'] = await t.status();
    expect(ok).toMatchObject({ state: 'ok', pendingOps: 0, lagSeconds: 0, message: null });
    expect(Date.parse(ok.lastSyncAt!)).toBeGreaterThan(0);
    // The hub holds an op "from this terminal" that the terminal lost (e.g. restored from an old
    // backup): the hub never echoes a device's own ops, so only the checksum can notice.
    const lost = new OpFactory(new HybridClock({ nodeId: 'TDIV', now: Date.now })).move('S1', 'div', 'sale', 4);
    await hub.storage.apply([lost], 'S1/TDIV'); // the origin the hub gives this device's pushes
    const bad = await waitFor('divergence reported', async () => {
      const s = await t.status();
      return s.message?.includes('Checksum') ? s : null;
    });
    expect(bad.state).toBe('error');
    await t.repair();
    expect((await t.outbox.storage.stock('S1', 'div')).onHand).toBe(6);
    await waitFor('healthy after repair', async () => (await t.status()).state === 'ok');
    await t.stop();
    db.close();
  });
});
