// `npm run bench -- cloud-scale [stores] [opsPerStore]`: the cloud under a chain's load, on real
// Postgres (DATABASE_URL). Real `npm run cloud` processes; simulated stores are the real sync
// client (SyncClient over an in-memory SQLite replica) pushing batches of 200 like a till.
//   phase 1: one instance;  phase 2: two instances sharing the schema (stores split between
//   them, like a load balancer);  phase 3: two instances, one SIGKILLed mid-load, its stores
//   fail over to the other.
// While phases 1 and 2 run, a probe device pushes one op every 100 ms to one instance and another
// device of its store pulls from the other until it sees it: the cross-instance visibility.
// After each phase every store pulls its whole scope back (echo on) and must get exactly what it
// pushed, each op once. Targets (issue #21) are checked here, never in tests. Last line: JSON.
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pino from 'pino';
import { HybridClock, OpFactory, SqliteSyncStorage, SyncClient, decodeBatch, poolDriver, type Op } from '../../sync';
import { startProcess, type Proc } from '../sync/processes';

const url = process.env['DATABASE_URL'];
if (!url) {
  console.error('cloud-scale needs a real Postgres: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
  process.exit(2);
}
const STORES = Number(process.argv[3] ?? 50);
const OPS_PER_STORE = Number(process.argv[4] ?? 2000);
const BATCH = 200;
const ADMIN = 'cloud-scale-bench-admin-token';
const log = pino({ level: 'silent' });
const run = Date.now().toString(36);

const TARGETS = {
  cloud_ingest_ops_per_s_1: 40_000,
  scale_2_over_1: 1.3,
  cloud_pull_visibility_p95_ms: 100,
};

// Push latency, measured where the real client sends: every POST /sync/push of this process.
const pushTimes: number[] = [];
const realFetch = globalThis.fetch;
globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
  const target = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (!target.endsWith('/sync/push')) return realFetch(input, init);
  const t0 = performance.now();
  const r = await realFetch(input, init);
  pushTimes.push(performance.now() - t0);
  return r;
}) as typeof fetch;

function p(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/** A till's mix: per sale one sale fact and 3 stock movements. */
function storeOps(storeId: string, count: number): Op[] {
  let t = Date.now() - 86_400_000;
  const f = new OpFactory(new HybridClock({ nodeId: `${storeId}_T01`, now: () => t }));
  const ops: Op[] = [];
  for (let n = 0; ops.length < count; n++) {
    t += 1000;
    const saleId = randomUUID();
    ops.push(f.fact(`store:${storeId}`, 'sale', saleId, { n, total: 1290, lines: [['6901', 1, 1290]] }));
    for (let j = 0; j < 3; j++) ops.push(f.move(storeId, `sku${(n + j) % 300}`, 'sale', 1, saleId));
  }
  return ops.slice(0, count);
}

// CLOUD_SCALE_PROF_DIR=<dir>: every cloud process writes a V8 CPU profile there when it stops
// (open it in Chrome DevTools or speedscope; docs/bench.md, cloud-scale, says where the time went).
const profDir = process.env['CLOUD_SCALE_PROF_DIR'];

async function startCloud(schema: string): Promise<Proc> {
  return startProcess(
    'sync/cloud/main.ts',
    { DATABASE_URL: url!, CLOUD_SCHEMA: schema, CLOUD_PORT: '0', CLOUD_ADMIN_TOKEN: ADMIN },
    90_000,
    profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [],
  );
}

async function post(base: string, path: string, body: unknown, token?: string): Promise<Response> {
  return realFetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

async function enrollCode(base: string, storeId: string): Promise<string> {
  const r = await post(base, '/sync/admin/enroll-codes', { storeId }, ADMIN);
  if (!r.ok) throw new Error(`enroll code for ${storeId}: HTTP ${r.status}`);
  return ((await r.json()) as { code: string }).code;
}

async function enroll(base: string, storeId: string, deviceId: string): Promise<string> {
  const r = await post(base, '/sync/enroll', { code: await enrollCode(base, storeId), deviceId });
  if (!r.ok) throw new Error(`enroll ${storeId}/${deviceId}: HTTP ${r.status}`);
  return ((await r.json()) as { token: string }).token;
}

/** Every op of the device's scopes from cursor 0 (echo on: its own ops too). */
async function pullAll(base: string, token: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor = 0;
  for (;;) {
    const r = await post(base, '/sync/pull', { cursor, limit: 5000, echo: true }, token);
    if (!r.ok) throw new Error(`pull: HTTP ${r.status}`);
    const batch = decodeBatch(Buffer.from(await r.arrayBuffer()));
    ids.push(...batch.rows.map((o) => (o as { id: string }).id));
    cursor = Number(batch.extra['cursor']);
    if (!batch.extra['more']) return ids;
  }
}

interface Store {
  id: string;
  ops: Op[];
  client: SyncClient;
  storage: SqliteSyncStorage;
  db: Database.Database;
  home: number;
  /** The store device's credential, for the exactness pulls. */
  token: string;
}

async function makeStores(bases: string[], tag: string): Promise<Store[]> {
  const stores: Store[] = [];
  for (let i = 0; i < STORES; i++) {
    const id = `${tag}${String(i).padStart(4, '0')}`;
    const home = i % bases.length;
    const db = new Database(':memory:');
    const storage = new SqliteSyncStorage(db);
    const code = await enrollCode(bases[home]!, id);
    // One logical peer "cloud" behind a load balancer: the store's home instance first, the
    // other as the fall-back (same cursor, so a fail-over re-sends only what was not acknowledged).
    const peers = [bases[home]!, ...bases.filter((_, j) => j !== home)].map((u) => ({ name: 'cloud', url: u }));
    const client = new SyncClient({
      storage,
      clock: new HybridClock({ nodeId: `${id}_T01`, now: Date.now }),
      peers,
      enroll: { code, deviceId: 'T01', role: 'terminal', storeId: id },
      log,
      batchSize: BATCH,
      requestTimeoutMs: 60_000,
    });
    stores.push({ id, ops: storeOps(id, OPS_PER_STORE), client, storage, db, home, token: '' });
  }
  // Pair every store before the clock starts (pairing happens once, long before a busy hour),
  // then the day's sales land in each store's replica, waiting to be pushed.
  await Promise.all(
    stores.map(async (s) => {
      await s.client.syncNow();
      s.token = (JSON.parse((await s.storage.getMeta('sync.credential'))!) as { token: string }).token;
      await s.storage.apply(s.ops, '');
    }),
  );
  return stores;
}

/** Pushes every store's ops through its client; answers the wall time in seconds. */
async function pushAll(stores: Store[], onProgress?: (done: number) => void): Promise<number> {
  let done = 0;
  const t0 = performance.now();
  await Promise.all(
    stores.map(async (s) => {
      for (let attempt = 0; ; attempt++) {
        try {
          await s.client.syncNow();
          break;
        } catch (err) {
          if (attempt > 20) throw err;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      done += 1;
      onProgress?.(done);
    }),
  );
  return (performance.now() - t0) / 1000;
}

/** Probe (its own process): push one op on `writeBase`, time until a pull on `readBase` returns it. */
async function visibilityProbe(writeBase: string, readBase: string, writer: string, reader: string, storeId: string) {
  const child = await startProcess('test/bench/fixtures/visibility-probe-child.ts', {
    PROBE_WRITE_URL: writeBase,
    PROBE_READ_URL: readBase,
    PROBE_WRITER_TOKEN: writer,
    PROBE_READER_TOKEN: reader,
    PROBE_STORE: storeId,
  });
  return {
    async stop(): Promise<{ times: number[]; pullTimes: number[] }> {
      await child.stop();
      const line = child
        .output()
        .split('\n')
        .find((l) => l.startsWith('{"times"'));
      if (!line) throw new Error(`visibility probe printed no result:\n${child.output().slice(-2000)}`);
      return JSON.parse(line) as { times: number[]; pullTimes: number[] };
    },
  };
}

async function exactness(
  stores: Store[],
  base: string,
): Promise<{ exact: boolean; lost: number; duplicated: number; extra: number }> {
  let lost = 0;
  let duplicated = 0;
  let extra = 0;
  for (const s of stores) {
    const got = await pullAll(base, s.token);
    const want = new Set(s.ops.map((o) => o.id));
    const seen = new Set<string>();
    for (const id of got) {
      if (seen.has(id)) duplicated++;
      else if (!want.has(id)) extra++;
      seen.add(id);
    }
    for (const id of want) if (!seen.has(id)) lost++;
  }
  return { exact: lost === 0 && duplicated === 0 && extra === 0, lost, duplicated, extra };
}

async function dbCounts(schema: string): Promise<{ rows: number; distinct: number }> {
  const d = poolDriver(url!, 1);
  try {
    const r = await d.query<{ rows: string; distinct: string }>(
      `SELECT count(*) AS rows, count(DISTINCT id) AS distinct FROM "${schema}".ops`,
    );
    return { rows: Number(r.rows[0]!.rows), distinct: Number(r.rows[0]!.distinct) };
  } finally {
    await d.close();
  }
}

/** Postgres bytes per stored op: the ops table with its indexes and TOAST, plus the digests. */
async function bytesPerOp(schema: string): Promise<number> {
  const d = poolDriver(url!, 1);
  try {
    const r = await d.query<{ bytes: string; n: string }>(
      `SELECT pg_total_relation_size('"${schema}".ops') + pg_total_relation_size('"${schema}".digest') AS bytes,
              (SELECT count(*) FROM "${schema}".ops) AS n`,
    );
    return Math.round(Number(r.rows[0]!.bytes) / Math.max(1, Number(r.rows[0]!.n)));
  } finally {
    await d.close();
  }
}

async function dropSchema(schema: string): Promise<void> {
  const d = poolDriver(url!, 1);
  try {
    await d.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await d.close();
  }
}

interface PhaseResult {
  opsPerS: number;
  pushP95: number;
  visP50: number;
  visP95: number;
  exact: boolean;
  bytesPerOp: number;
}

async function phase(instances: number): Promise<PhaseResult> {
  const schema = `bench_scale_${run}_${instances}`;
  const procs: Proc[] = [];
  try {
    for (let i = 0; i < instances; i++) procs.push(await startCloud(schema));
    const bases = procs.map((c) => `http://127.0.0.1:${c.info.port}`);
    const stores = await makeStores(bases, `L${instances}`);
    const probeStore = `P${instances}`;
    const writer = await enroll(bases[0]!, probeStore, 'W1');
    const reader = await enroll(bases[bases.length - 1]!, probeStore, 'R1');
    pushTimes.length = 0;
    // The load generator's own event-loop delay, reported so a slow bench process is not
    // mistaken for a slow cloud (the probe runs in a process of its own).
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const probeProc = await visibilityProbe(bases[0]!, bases[bases.length - 1]!, writer, reader, probeStore);
    const seconds = await pushAll(stores);
    const probe = await probeProc.stop();
    lag.disable();
    const total = STORES * OPS_PER_STORE;
    const result = {
      opsPerS: Math.round(total / seconds),
      pushP95: Math.round(p(pushTimes, 0.95)),
      visP50: Math.round(p(probe.times, 0.5)),
      visP95: Math.round(p(probe.times, 0.95)),
      exact: false,
      bytesPerOp: await bytesPerOp(schema),
    };
    const ex = await exactness(stores, bases[bases.length - 1]!);
    result.exact = ex.exact;
    console.log(
      `${instances} instance(s): ${total} ops from ${STORES} stores in ${seconds.toFixed(2)} s = ${result.opsPerS} ops/s; ` +
        `push p95 ${result.pushP95} ms (${pushTimes.length} pushes); visibility p50 ${result.visP50} ms, p95 ${result.visP95} ms ` +
        `(${probe.times.length} probes); pulls exact: ${ex.exact} (lost ${ex.lost}, duplicated ${ex.duplicated}, extra ${ex.extra}); ` +
        `${result.bytesPerOp} Postgres bytes per op`,
    );
    console.log(
      `  probe pull requests: p50 ${Math.round(p(probe.pullTimes, 0.5))} ms, p95 ${Math.round(p(probe.pullTimes, 0.95))} ms ` +
        `(${probe.pullTimes.length}); bench event-loop delay p50 ${Math.round(lag.percentile(50) / 1e6)} ms, ` +
        `p99 ${Math.round(lag.percentile(99) / 1e6)} ms`,
    );
    for (const s of stores) {
      await s.client.stop();
      s.db.close();
    }
    return result;
  } finally {
    for (const c of procs) await c.stop();
    await dropSchema(schema);
  }
}

async function killPhase(): Promise<{ lost: number; duplicated: number; exact: boolean; killedAfter: number }> {
  const schema = `bench_scale_${run}_kill`;
  const procs: Proc[] = [];
  try {
    for (let i = 0; i < 2; i++) procs.push(await startCloud(schema));
    const bases = procs.map((c) => `http://127.0.0.1:${c.info.port}`);
    const stores = await makeStores(bases, 'K');
    const victim = procs[1]!;
    let killedAfter = 0;
    // SIGKILL the second instance once about a third of the pushes went through.
    const target = Math.round((STORES * OPS_PER_STORE) / BATCH / 3);
    pushTimes.length = 0;
    const watcher = setInterval(() => {
      // Killed by a signal its exitCode stays null: the count marks that it happened.
      if (killedAfter === 0 && pushTimes.length >= target) {
        killedAfter = pushTimes.length;
        victim.child.kill('SIGKILL');
      }
    }, 5);
    await pushAll(stores);
    clearInterval(watcher);
    const ex = await exactness(stores, bases[0]!);
    const counts = await dbCounts(schema);
    const duplicated = ex.duplicated + (counts.rows - counts.distinct);
    console.log(
      `kill: instance 2 SIGKILLed after ${killedAfter} pushes; every store then pulled from instance 1: lost ${ex.lost}, ` +
        `duplicated ${duplicated}, extra ${ex.extra}; ${counts.rows} rows stored for ${STORES * OPS_PER_STORE} ops pushed`,
    );
    for (const s of stores) {
      await s.client.stop();
      s.db.close();
    }
    return { lost: ex.lost, duplicated, exact: ex.exact && counts.rows === STORES * OPS_PER_STORE, killedAfter };
  } finally {
    // The killed one has exited already (by signal: its exitCode stays null, so stop() would wait).
    for (const c of procs) if (c.child.signalCode === null) await c.stop();
    await dropSchema(schema);
  }
}

console.log(
  `cloud-scale: ${STORES} stores x ${OPS_PER_STORE} ops, batches of ${BATCH}, real client, Postgres at DATABASE_URL`,
);
const one = await phase(1);
const two = await phase(2);
const kill = await killPhase();
const figures = {
  cloud_ingest_ops_per_s_1: one.opsPerS,
  cloud_ingest_ops_per_s_2: two.opsPerS,
  cloud_push_p95_ms: two.pushP95,
  cloud_push_p95_ms_1: one.pushP95,
  cloud_pull_visibility_p95_ms: two.visP95,
  cloud_pull_visibility_p50_ms: two.visP50,
  cloud_pull_visibility_p95_ms_1: one.visP95,
  pulls_exact: one.exact && two.exact && kill.exact,
  kill_lost: kill.lost,
  kill_duplicated: kill.duplicated,
  cloud_pg_bytes_per_op: one.bytesPerOp,
  stores: STORES,
  ops_per_store: OPS_PER_STORE,
};
const met = {
  ingest_1: figures.cloud_ingest_ops_per_s_1 >= TARGETS.cloud_ingest_ops_per_s_1,
  ingest_2: figures.cloud_ingest_ops_per_s_2 >= TARGETS.scale_2_over_1 * figures.cloud_ingest_ops_per_s_1,
  visibility: figures.cloud_pull_visibility_p95_ms <= TARGETS.cloud_pull_visibility_p95_ms,
  exact: figures.pulls_exact && kill.lost === 0 && kill.duplicated === 0,
};
console.log(
  `targets: ingest_1 >= ${TARGETS.cloud_ingest_ops_per_s_1} ${met.ingest_1 ? 'met' : 'MISSED'}; ` +
    `ingest_2 >= ${TARGETS.scale_2_over_1} x ingest_1 ${met.ingest_2 ? 'met' : 'MISSED'}; ` +
    `visibility p95 <= ${TARGETS.cloud_pull_visibility_p95_ms} ms ${met.visibility ? 'met' : 'MISSED'}; ` +
    `exact, 0 lost, 0 duplicated ${met.exact ? 'met' : 'MISSED'}`,
);
console.log(JSON.stringify({ ...figures, targets_met: met }));
process.exit(0);
