// Order news travels without the sync timers (sync/protocol/order-wake.ts): a cloud, a hub and a
// till whose timers are set to a minute. After their first round, an order posted to the cloud
// can only reach the till's pick queue within the test's time because the hub's long poll at the
// cloud and the till's long poll at the hub answer at once and each replica syncs.
// A watch's first answer is only a baseline tick: an order that reached the cloud after the
// replica's last pull but before that answer is already counted in it. The replica must sync on
// that first answer, or the order waits for its timer: the first case missed its order that way
// whenever the hub's watch got its first answer after the order was posted.
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost } from '../../app/host';
import {
  startCloud,
  startSyncHub,
  watchOrderNews,
  DEMO_ENROLL_CODE,
  HybridClock,
  SqliteSyncStorage,
  SyncClient,
  type CloudHandle,
  type SyncHub,
} from '../../sync';
import { cloudDb, dropCloudSchema, postJson, tempDir, waitFor } from './helpers';

const ADMIN = 'order-wake-admin-0123';
const STORE = 'S001';
const MINUTE = 60_000;
let cloud: CloudHandle;
let hub: SyncHub;
let host: Awaited<ReturnType<typeof startWebHost>>;
let schema = '';
let token = '';

beforeAll(async () => {
  const db = cloudDb('orderwake');
  schema = db.schema;
  const log = pino({ level: 'silent' });
  cloud = await startCloud({ ...db, demo: true, demoStoreId: STORE, adminToken: ADMIN, log });
  hub = await startSyncHub({
    port: 0,
    dataDir: tempDir('orderwake-hub'),
    cloudUrl: cloud.url,
    enrollCode: DEMO_ENROLL_CODE,
    storeId: STORE,
    intervalMs: MINUTE,
    log,
  });
  host = await startWebHost({
    port: 0,
    dataDir: tempDir('orderwake-till'),
    seedDemo: true,
    storeId: STORE,
    logger: log,
    sync: { hubUrl: hub.url, cloudUrl: cloud.url, enrollCode: DEMO_ENROLL_CODE, intervalMs: MINUTE },
  });
  token = (await postJson(`${host.url}/api/auth.login`, { pin: '1234' })).body.token;
  await waitFor(
    'the first round',
    async () => {
      const s = await postJson(`${host.url}/api/system.status`, {}, token);
      return s.body.sync.state === 'ok' && s.body.sync.pendingOps === 0;
    },
    60_000,
    200,
  );
}, 120_000);

afterAll(async () => {
  await host?.close();
  await hub?.close();
  await cloud?.close().catch(() => {});
  await dropCloudSchema(schema);
});

describe('order news', () => {
  it('an order posted to the cloud reaches the pick queue long before either sync timer fires', async () => {
    const posted = await postJson(
      `${cloud.url}/api/orders`,
      { orderId: 'wake-1', storeId: STORE, lines: [{ sku: '100001', quantity: 1, unitPrice: 1290, amount: 1290 }] },
      ADMIN,
    );
    expect(posted.status).toBe(200);
    // 20 s, well inside the minute either timer would take (how fast it is: the orders bench).
    await waitFor(
      'the order in the pick queue',
      async () =>
        (await postJson(`${host.url}/api/orders.list`, { status: 'open' }, token)).body.orders.some(
          (o: { id: string }) => o.id === 'wake-1',
        ),
      20_000,
      100,
    );
  }, 60_000);

  it("an order that reached the cloud between a replica's last pull and its watch's first answer comes at once", async () => {
    // A second hub-role replica of the store, synced once, whose watch starts only after the order:
    // the same order of events as a hub whose watch's first request reaches the cloud late.
    const db = new Database(':memory:');
    const storage = new SqliteSyncStorage(db);
    const client = new SyncClient({
      storage,
      clock: new HybridClock({ nodeId: 'HWAKE2', now: Date.now }),
      log: pino({ level: 'silent' }),
      peers: [{ name: 'cloud', url: cloud.url }],
      enroll: { code: DEMO_ENROLL_CODE, deviceId: 'HWAKE2', role: 'hub', storeId: STORE },
      intervalMs: MINUTE,
    });
    const watch = watchOrderNews(client, 'cloud', pino({ level: 'silent' }));
    try {
      client.start();
      await waitFor("the replica's first sync", async () => (await client.status()).lastSyncAt !== null, 30_000, 50);
      const posted = await postJson(
        `${cloud.url}/api/orders`,
        { orderId: 'wake-2', storeId: STORE, lines: [{ sku: '100001', quantity: 1, unitPrice: 1290, amount: 1290 }] },
        ADMIN,
      );
      expect(posted.status).toBe(200);
      expect(storage.hasFactSync('online_order', 'wake-2')).toBe(false);
      watch.start();
      // 10 s: the replica's timer is a minute; its watch's first answer is the only way in sooner.
      await waitFor('the order at the replica', async () => storage.hasFactSync('online_order', 'wake-2'), 10_000, 50);
    } finally {
      watch.stop();
      await client.stop();
      db.close();
    }
  }, 60_000);
});
