// Op ids are HLC stamps ending in the node id, and the cloud holds every store: two tills that
// share a node id and hit the same millisecond and counter mint the same op id, and the cloud
// keeps the first and drops the second as a "duplicate". Every store's first till is `T01`, so
// with bare terminal ids as node ids two ordinary stores lost sales and stock without anyone
// noticing. Here two stores' T01 tills (real terminal cores on real SQLite files) write with
// the very same clock reading, then sync with the cloud (a child process): both stores' sales
// and stock must reach the cloud and a fresh replica of each store. Then an upgrade: a till
// whose database holds ops stamped with the old bare node id (pushed and still queued) and
// rows written with sync off starts with the new node id: every row reaches the cloud exactly
// once, nothing is sent again under a new id, and no new pairing code is needed.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import pino from 'pino';
import Database from 'better-sqlite3';
import type { RpcResult } from '../../app/contract';
import { backfillIfNeeded, demoProducts, openTerminalCore, type TerminalCore } from '../../app/core';
import { attachSyncOutbox, factOp, SyncClient } from '../../sync';
import { startProcess, type Proc } from './processes';
import { dropCloudSchema, postJson, quietLog, tempDir, waitFor } from './helpers';

const ADMIN = 'node-id-admin-token';
const cola = demoProducts().find((p) => p.nameEn === 'Coca-Cola 330ml')!;
// Nothing listens on port 9 of loopback: while the tills write, no server time reaches their clocks.
const NOWHERE = 'http://127.0.0.1:9';
const FIXED = Date.parse('2026-11-11T11:11:11.111Z');
const silent = pino({ level: 'silent' });

let schema = '';
let cloud: Proc;
const cores: TerminalCore[] = [];
const cloudUrl = () => `http://127.0.0.1:${cloud.info.port}`;
const admin = async (path: string) =>
  (await fetch(`${cloudUrl()}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } })).json() as Promise<any>;
const pairingCode = async (storeId: string) =>
  (await postJson(`${cloudUrl()}/sync/admin/enroll-codes`, { storeId }, ADMIN)).body.code as string;

async function ok<T>(p: Promise<RpcResult<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r;
}
function open(
  dataDir: string,
  storeId: string,
  terminalId: string,
  sync?: { cloudUrl: string; enrollCode: string },
  seedDemo = true,
): TerminalCore {
  const core = openTerminalCore({
    dataDir,
    seedDemo,
    storeId,
    terminalId,
    logger: silent,
    pinScryptN: 1024,
    sync: sync ? { ...sync, intervalMs: 200, maxBackoffMs: 1000 } : undefined,
  });
  cores.push(core);
  return core;
}
async function close(core: TerminalCore): Promise<void> {
  cores.splice(cores.indexOf(core), 1);
  await core.close();
}
async function sell(core: TerminalCore, qty: number): Promise<string> {
  const { token } = await ok(core.call('auth.login', { pin: '1234' }, {}));
  await ok(core.call('cart.add', { sku: cola.sku, quantity: qty }, { token }));
  return (await ok(core.call('cart.pay', { tenders: [{ type: 'cash', amount: 100000 }] }, { token }))).saleId;
}
async function drained(core: TerminalCore): Promise<void> {
  await waitFor(
    'till has nothing left to push',
    async () => {
      const s = await core.sync!.status();
      return s.lastSyncAt !== null && s.pendingOps === 0;
    },
    60_000,
    100,
  );
}
function opIds(file: string, where = '1 = 1'): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`SELECT id FROM sync_ops WHERE ${where} ORDER BY id`).all() as { id: string }[]).map(
      (r) => r.id,
    );
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  schema = `t_nodeid_${Date.now().toString(36)}_${process.pid}`;
  const dbEnv: Record<string, string> = process.env['DATABASE_URL']
    ? { DATABASE_URL: process.env['DATABASE_URL'], CLOUD_SCHEMA: schema }
    : { DATABASE_URL: '', CLOUD_DATA_DIR: tempDir('nodeid-cloud') };
  cloud = await startProcess('sync/cloud/main.ts', { ...dbEnv, CLOUD_PORT: '0', CLOUD_ADMIN_TOKEN: ADMIN });
}, 120_000);

afterAll(async () => {
  vi.useRealTimers();
  for (const c of cores.splice(0)) await c.close();
  await cloud?.stop();
  await dropCloudSchema(schema);
});

describe('node ids are unique across the chain', () => {
  it("two stores' T01 tills writing in the same millisecond both reach the cloud and their own store", async () => {
    const stores = ['S001', 'S002'] as const;
    const dirs = stores.map((s) => tempDir(`nodeid-${s}`));
    // 1. Both tills seed the demo stock and sell 3 cans with the clock stopped at one instant,
    //    sync on but no server answering: their HLCs hit the same milliseconds and counters.
    vi.useFakeTimers({ toFake: ['Date'], now: FIXED });
    const sales: string[] = [];
    for (const [i, store] of stores.entries()) {
      const core = open(dirs[i]!, store, 'T01', { cloudUrl: NOWHERE, enrollCode: 'unused' });
      sales.push(await sell(core, 3));
      await close(core);
    }
    vi.useRealTimers();
    const files = dirs.map((d) => join(d, 'terminal.db'));
    const stampsOf = (file: string) =>
      opIds(file, "t = 'mv'")
        .map((id) => id.slice(0, 12))
        .sort();
    // Same time + counter for every movement (opening counts and the sale): a collision for bare node ids.
    expect(stampsOf(files[0]!)).toEqual(stampsOf(files[1]!));
    expect(stampsOf(files[0]!).length).toBeGreaterThan(10);
    const shared = opIds(files[0]!).filter((id) => opIds(files[1]!).includes(id));
    expect(shared).toEqual([]);

    // 2. Both tills sync with the cloud (each store its own pairing code).
    const live = [];
    for (const [i, store] of stores.entries())
      live.push(open(dirs[i]!, store, 'T01', { cloudUrl: cloudUrl(), enrollCode: await pairingCode(store) }));
    for (const core of live) await drained(core);

    // 3. The cloud holds both stores' sales and the exact stock of each.
    for (const [i, store] of stores.entries()) {
      expect((await admin(`/api/sales?storeId=${store}`)).ids, store).toEqual([sales[i]]);
      expect((await admin(`/api/stock?storeId=${store}&sku=${cola.sku}`)).onHand, store).toBe(cola.initialStock - 3);
    }
    // 4. A fresh replica of each store (a new till that pulls everything) gets its store's sale and stock.
    for (const [i, store] of stores.entries()) {
      const fresh = open(
        tempDir(`nodeid-${store}-T09`),
        store,
        'T09',
        { cloudUrl: cloudUrl(), enrollCode: await pairingCode(store) },
        false,
      );
      const replica = fresh.sync!.outbox.storage;
      await waitFor(
        `${store}'s sale reaches a fresh till of the store`,
        async () => replica.hasFactSync('sale', sales[i]!),
        30_000,
        100,
      );
      await waitFor(
        `${store}'s stock reaches a fresh till of the store`,
        async () => (await replica.stock(store, cola.sku)).onHand === cola.initialStock - 3,
        30_000,
        100,
      );
    }
  }, 120_000);
});

describe('a till upgrading from bare node ids', () => {
  it('sends every row exactly once: nothing again under a new id, nothing lost, no new pairing code', async () => {
    const store = 'S003';
    const dir = tempDir('nodeid-upgrade');
    const file = join(dir, 'terminal.db');
    const code = await pairingCode(store);
    // 1. Sync off: sale A.
    let core = open(dir, store, 'T01');
    const saleA = await sell(core, 2);
    await close(core);
    // 2. The till as the previous version ran it: node id = terminal id `T01`. Its backfill
    //    stamped A's rows `…T01_bf`, it wrote its own config as `T01`, enrolled as T01 of S003
    //    and pushed. Then one more op (a shift fact) was queued but not pushed before the upgrade.
    {
      const db = new Database(file);
      const outbox = attachSyncOutbox(db, { nodeId: 'T01' });
      expect(backfillIfNeeded(outbox, { db, storeId: store, logger: silent })).toBeGreaterThan(10);
      outbox.append([outbox.ops.set(`store:${store}`, 'config', `${store}/T01`, 'receiptFooter', 'old till')]);
      const client = new SyncClient({
        storage: outbox.storage,
        clock: outbox.clock,
        log: quietLog,
        peers: [{ name: 'cloud', url: cloudUrl() }],
        enroll: { code, deviceId: 'T01', role: 'terminal', storeId: store },
      });
      await client.syncNow();
      expect((await admin(`/api/sales?storeId=${store}`)).ids).toEqual([saleA]);
      outbox.append([
        factOp(outbox.ops, store, 'shift', 'queued-before-upgrade', { event: 'note', at: new Date().toISOString() }),
        outbox.ops.set(`store:${store}`, 'config', `${store}/T01`, 'receiptFooter', 'queued'),
      ]);
      outbox.storage.setMetaSync('clock.last', outbox.clock.last());
      await client.stop();
      db.close();
    }
    const oldIds = opIds(file);
    expect(oldIds.every((id) => id.endsWith('T01') || id.endsWith('T01_bf'))).toBe(true);
    // 3. Sync off again: sale B (rows only; its ops will come from the backfill).
    core = open(dir, store, 'T01');
    const saleB = await sell(core, 1);
    await close(core);

    // 4. The upgraded till starts with sync on: same database, the credential it already holds.
    core = open(dir, store, 'T01', { cloudUrl: cloudUrl(), enrollCode: 'no-new-code-needed' });
    await drained(core);
    expect((await core.sync!.status()).state).toBe('ok');
    const newIds = opIds(file).filter((id) => !oldIds.includes(id));
    // Only sale B's rows (and the sales the login audited) were backfilled, under the new node.
    expect(newIds.length).toBeGreaterThan(0);
    expect(newIds.every((id) => id.endsWith('S003_T01') || id.endsWith('S003_T01_bf'))).toBe(true);

    // Every row exactly once at the cloud, with the exact stock; the queued old ops arrived too.
    const local = new Database(file, { readonly: true });
    const n = (sql: string) => (local.prepare(sql).get() as { n: number }).n;
    const rows = {
      movements: n('SELECT COUNT(*) AS n FROM stock_movements'),
      audit: n('SELECT COUNT(*) AS n FROM audit_log'),
      sales: n('SELECT COUNT(*) AS n FROM sales'),
    };
    local.close();
    expect(rows.sales).toBe(2);
    expect((await admin(`/api/sales?storeId=${store}`)).ids.sort()).toEqual([saleA, saleB].sort());
    expect((await admin(`/api/stock?storeId=${store}&sku=${cola.sku}`)).onHand).toBe(cola.initialStock - 3);
    // The cloud holds exactly the till's set of ops for the store (same count and id checksum).
    const mine = await core.sync!.outbox.storage.digests([`store:${store}`]);
    const health = (await (await fetch(`${cloudUrl()}/health`)).json()) as { digests: Record<string, string> };
    expect(health.digests[`store:${store}`]).toBe(mine[`store:${store}`]);
    const replica = core.sync!.outbox.storage;
    expect(replica.hasFactSync('shift', 'queued-before-upgrade')).toBe(true);
    const counts = replica.movementCountsSync(store).reduce((a, r) => a + r.count, 0);
    expect(counts).toBe(rows.movements);
    // A fresh replica of the store pulls the same rows.
    const fresh = open(
      tempDir('nodeid-S003-T09'),
      store,
      'T09',
      { cloudUrl: cloudUrl(), enrollCode: await pairingCode(store) },
      false,
    );
    const freshReplica = fresh.sync!.outbox.storage;
    await waitFor(
      'a fresh till of the store pulls the store',
      async () => freshReplica.hasFactSync('shift', 'queued-before-upgrade'),
      30_000,
      100,
    );
    expect(freshReplica.movementCountsSync(store).reduce((a, r) => a + r.count, 0)).toBe(rows.movements);
    expect(freshReplica.hasFactSync('sale', saleA) && freshReplica.hasFactSync('sale', saleB)).toBe(true);
    // The till's own config it wrote as `T01` before the upgrade was accepted as its own, not left out.
    expect(freshReplica.lwwFieldSync('config', [`${store}/T01`], 'receiptFooter', () => true).value).toBe('queued');
  }, 120_000);
});
