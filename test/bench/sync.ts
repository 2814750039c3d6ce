// `npm run bench -- sync`: sync apply throughput (SQLite, Postgres or PGlite), wire bytes per op,
// and how long a terminal holding 100,000 offline ops takes to get them all into its hub and the
// cloud (real cloud and hub processes on loopback). Last line: one JSON object.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import pino from 'pino';
import {
  HybridClock,
  OpFactory,
  SqliteSyncStorage,
  PgSyncStorage,
  poolDriver,
  pgliteDriver,
  encodeBatch,
  createSyncClient,
  type Op,
} from '../../sync';
import { startProcess } from '../sync/processes';

const SKUS = Array.from({ length: 400 }, (_, i) => `69${String(10_000_000_000 + i * 7919).padStart(11, '0')}`);

/** A realistic till mix: per sale one sale fact and 3 stock movements. */
function tillOps(node: string, count: number, storeId = 'S001'): Op[] {
  let t = Date.now() - 3 * 86_400_000;
  const f = new OpFactory(new HybridClock({ nodeId: node, now: () => t }));
  const ops: Op[] = [];
  let n = 0;
  while (ops.length < count) {
    t += 1500 + (n % 7) * 300;
    const saleId = randomUUID();
    const lines = [0, 1, 2].map((j) => ({
      sku: SKUS[(n * 3 + j * 17) % SKUS.length]!,
      qty: 1 + ((n + j) % 3),
      price: 390 + ((n * 13 + j) % 50) * 10,
    }));
    const total = lines.reduce((s, l) => s + l.qty * l.price, 0);
    ops.push(
      f.fact(`store:${storeId}`, 'sale', saleId, {
        n: `${node}-${String(n).padStart(6, '0')}`,
        total,
        tender: n % 3 ? 'payment_code' : 'cash',
        lines: lines.map((l) => [l.sku, l.qty, l.price]),
      }),
    );
    for (const l of lines) ops.push(f.move(storeId, l.sku, 'sale', l.qty, saleId));
    n++;
  }
  return ops.slice(0, count);
}

async function timeApply(apply: (batch: Op[]) => Promise<unknown>, ops: Op[], batch = 5000): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < ops.length; i += batch) await apply(ops.slice(i, i + batch));
  return ops.length / ((performance.now() - start) / 1000);
}

const dir = mkdtempSync(join(tmpdir(), 'bench-sync-'));
const log = pino({ level: 'silent' });

// 1. SQLite apply.
const sqliteDb = new Database(join(dir, 'apply.db'));
sqliteDb.pragma('journal_mode = WAL');
sqliteDb.pragma('synchronous = NORMAL');
const sqlite = new SqliteSyncStorage(sqliteDb);
const sqliteOps = tillOps('TB1', 100_000);
const sqliteRate = await timeApply((b) => sqlite.apply(b, 'hub'), sqliteOps);
sqliteDb.close();
console.log(`sqlite apply: ${Math.round(sqliteRate)} ops/s (100,000 ops, batches of 5,000, file in WAL mode)`);

// 2. Postgres (DATABASE_URL) or PGlite apply.
const url = process.env['DATABASE_URL'];
const driver = url ? poolDriver(url, 2) : await pgliteDriver(join(dir, 'pglite'));
const pgStorage = await PgSyncStorage.open(driver, `bench_${Date.now().toString(36)}`);
const pgOps = tillOps('TB2', 50_000);
const pgRate = await timeApply((b) => pgStorage.apply(b, 'hub'), pgOps);
await pgStorage.dropSchema();
await pgStorage.close();
const pgKind = url ? 'postgres (DATABASE_URL)' : 'pglite (embedded; DATABASE_URL not set)';
console.log(`${pgKind} apply: ${Math.round(pgRate)} ops/s (50,000 ops, batches of 5,000)`);

// 3. Wire size of a push batch of the till mix.
const wireOps = tillOps('T01', 5000);
const bytesPerOp = encodeBatch(wireOps).length / wireOps.length;
console.log(
  `wire: ${bytesPerOp.toFixed(1)} bytes/op (gzip columnar JSON, batch of 5,000 till ops: 1 sale fact + 3 movements per sale)`,
);

// 4. 100,000 offline ops reconnect: terminal (this process) -> hub process -> cloud process.
const schema = `bench_conv_${Date.now().toString(36)}`;
const cloud = await startProcess(
  'sync/cloud/main.ts',
  url
    ? {
        DATABASE_URL: url,
        CLOUD_SCHEMA: schema,
        CLOUD_PORT: '0',
        CLOUD_DEMO: '1',
        DEMO_ENROLL_CODE: 'BENCH',
        DEMO_STORE_ID: 'S001',
      }
    : {
        DATABASE_URL: '',
        CLOUD_DATA_DIR: join(dir, 'cloud'),
        CLOUD_PORT: '0',
        CLOUD_DEMO: '1',
        DEMO_ENROLL_CODE: 'BENCH',
        DEMO_STORE_ID: 'S001',
      },
);
const cloudUrl = `http://127.0.0.1:${cloud.info.port}`;
const hub = await startProcess('sync/hub/main.ts', {
  HUB_PORT: '0',
  HUB_DATA_DIR: join(dir, 'hub'),
  CLOUD_URL: cloudUrl,
  ENROLL_CODE: 'BENCH',
  STORE_ID: 'S001',
  HUB_SYNC_INTERVAL_MS: '200',
});
const hubUrl = `http://127.0.0.1:${hub.info.port}`;
const termDb = new Database(join(dir, 'terminal.db'));
termDb.pragma('journal_mode = WAL');
const terminal = createSyncClient({
  db: termDb,
  hubUrl,
  cloudUrl,
  enrollCode: 'BENCH',
  storeId: 'S001',
  terminalId: 'T01',
  log,
  intervalMs: 200,
});
// Enroll first (pairing happens once, before the outage), then go offline for "days".
await terminal.syncNow();
const offline = tillOps('T01', 100_000);
for (let i = 0; i < offline.length; i += 5000) terminal.outbox.append(offline.slice(i, i + 5000));
const target = await terminal.outbox.storage.digests(['store:S001']);
const start = performance.now();
terminal.start();
const health = async (u: string) => {
  try {
    return (await (await fetch(`${u}/health`)).json()) as { digests: Record<string, string> };
  } catch {
    return { digests: {} as Record<string, string> };
  }
};
let hubDoneS: number | null = null;
for (;;) {
  const [h, c] = await Promise.all([health(hubUrl), health(cloudUrl)]);
  if (hubDoneS === null && h.digests['store:S001'] === target['store:S001'])
    hubDoneS = (performance.now() - start) / 1000;
  if (h.digests['store:S001'] === target['store:S001'] && c.digests['store:S001'] === target['store:S001']) break;
  await new Promise((r) => setTimeout(r, 500));
}
const convergeS = (performance.now() - start) / 1000;
console.log(
  `converge: 100,000 offline ops held by the hub after ${hubDoneS?.toFixed(2)} s, by hub and cloud after ${convergeS.toFixed(2)} s (cloud on ${url ? 'postgres' : 'pglite'})`,
);
await terminal.stop();
termDb.close();
await hub.stop();
await cloud.stop();
if (url) {
  const d = poolDriver(url, 1);
  await d.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await d.close();
}
rmSync(dir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    sqlite_apply_ops_per_s: Math.round(sqliteRate),
    postgres_apply_ops_per_s: Math.round(pgRate),
    postgres_backend: url ? 'postgres' : 'pglite',
    bytes_per_op: Number(bytesPerOp.toFixed(1)),
    converge_100k_offline_s: Number(convergeS.toFixed(2)),
  }),
);
