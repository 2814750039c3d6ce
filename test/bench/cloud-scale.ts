// `npm run bench -- cloud-scale [stores] [opsPerStore]`: the cloud under a chain's load, on real
// Postgres (DATABASE_URL). Real `npm run cloud` processes; simulated stores are the real sync
// client (SyncClient over an in-memory SQLite replica) pushing batches of 200 like a till, spread
// over CLOUD_SCALE_GENERATORS load generator processes (default 4).
//   phase 1: one instance;  phase 2: two instances sharing the schema (stores split between
//   them, like a load balancer);  phase 3: two instances, one SIGKILLed mid-load, its stores
//   fail over to the other.
// While phases 1 and 2 run, a probe device pushes one op every 100 ms to one instance and another
// device of its store pulls from the other until it sees it: the cross-instance visibility.
// After each phase every store pulls its whole scope back (echo on) and must get exactly what it
// pushed, each op once. Targets (issue #21) are checked here, never in tests. Last line: JSON.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { poolDriver } from '../../sync';
import { startProcess, type Proc } from '../sync/processes';
import { CpuMeter, PgBackendCpu, interruptSeconds, kernelThreadPids } from './fixtures/cpu-meter';

const url = process.env['DATABASE_URL'];
if (!url) {
  console.error('cloud-scale needs a real Postgres: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
  process.exit(2);
}
const STORES = Number(process.argv[3] ?? 50);
const OPS_PER_STORE = Number(process.argv[4] ?? 2000);
const BATCH = 200;
/** Load generator processes the stores are spread over (CLOUD_SCALE_GENERATORS, default 4). */
const GENERATORS = Math.max(1, Number(process.env['CLOUD_SCALE_GENERATORS'] ?? 4));
/**
 * Niceness of the load generator processes (CLOUD_SCALE_GEN_NICE, default 10; 0: none). They
 * stand in for the stores' own machines: on this one box they would otherwise take the CPU on
 * equal terms with the cloud and Postgres they measure, and a pull would queue behind them. Their
 * CPU is still spent here and counted (the CPU split below); only who waits when the cores are
 * busy changes.
 */
const GEN_NICE = Math.max(0, Math.min(19, Number(process.env['CLOUD_SCALE_GEN_NICE'] ?? 10)));
const ADMIN = 'cloud-scale-bench-admin-token';
const run = Date.now().toString(36);
/** The cloud processes' Postgres connections carry this name, so their backends' CPU can be read. */
const PG_APP = `cloud-scale-${run}`;

const TARGETS = {
  cloud_ingest_ops_per_s_1: 40_000,
  scale_2_over_1: 1.3,
  cloud_pull_visibility_p95_ms: 100,
};

// Push latency as the real clients saw it, reported by the generator processes.
const pushTimes: number[] = [];

function p(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

// CLOUD_SCALE_PROF_DIR=<dir>: every cloud process writes a V8 CPU profile there when it stops
// (open it in Chrome DevTools or speedscope; docs/bench.md, cloud-scale, says where the time went).
const profDir = process.env['CLOUD_SCALE_PROF_DIR'];

async function startCloud(schema: string): Promise<Proc> {
  return startProcess(
    'sync/cloud/main.ts',
    { DATABASE_URL: url!, CLOUD_SCHEMA: schema, CLOUD_PORT: '0', CLOUD_ADMIN_TOKEN: ADMIN, PGAPPNAME: PG_APP },
    90_000,
    profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [],
  );
}

async function post(base: string, path: string, body: unknown, token?: string): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

async function enroll(base: string, storeId: string, deviceId: string): Promise<string> {
  const r = await post(base, '/sync/admin/enroll-codes', { storeId }, ADMIN);
  if (!r.ok) throw new Error(`enroll code for ${storeId}: HTTP ${r.status}`);
  const { code } = (await r.json()) as { code: string };
  const e = await post(base, '/sync/enroll', { code, deviceId });
  if (!e.ok) throw new Error(`enroll ${storeId}/${deviceId}: HTTP ${e.status}`);
  return ((await e.json()) as { token: string }).token;
}

// If the bench dies, take the generators with it rather than orphan them.
const liveGenerators = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveGenerators) child.kill('SIGKILL');
});

type GenMessage =
  | { type: 'ready' | 'pushed' }
  | { type: 'push'; ms: number }
  | { type: 'verified'; lost: number; duplicated: number; extra: number }
  | { type: 'error'; message: string };

/**
 * The simulated stores, spread over GENERATORS processes (fixtures/cloud-scale-stores-child.ts)
 * so the load generator's event loop is not the bottleneck. Store i's home is instance i mod n.
 */
class Generators {
  private constructor(
    private readonly children: { child: ChildProcess; next: (type: string) => Promise<GenMessage> }[],
  ) {}

  /** The generator processes' pids (their CPU is the load generator's cost). */
  get pids(): number[] {
    return this.children.map((c) => c.child.pid!).filter((pid) => pid !== undefined);
  }

  static async start(bases: string[], tag: string, onPush: (ms: number) => void): Promise<Generators> {
    const ids = Array.from({ length: STORES }, (_, i) => `${tag}${String(i).padStart(4, '0')}`);
    const children: { child: ChildProcess; next: (type: string) => Promise<GenMessage>; ready: Promise<unknown> }[] =
      [];
    for (let g = 0; g < Math.min(GENERATORS, STORES); g++) {
      const mine = ids.map((id, i) => ({ id, home: i % bases.length })).filter((_, i) => i % GENERATORS === g);
      const child = fork(join(import.meta.dirname, 'fixtures', 'cloud-scale-stores-child.ts'), [], {
        execArgv: ['--import', 'tsx'],
        env: {
          ...process.env,
          GEN_BASES: bases.join(','),
          GEN_STORES: mine.map((m) => m.id).join(','),
          GEN_HOMES: mine.map((m) => m.home).join(','),
          GEN_OPS: String(OPS_PER_STORE),
          GEN_BATCH: String(BATCH),
          GEN_ADMIN: ADMIN,
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      if (GEN_NICE && child.pid) setPriority(child.pid, GEN_NICE);
      liveGenerators.add(child);
      child.once('exit', () => liveGenerators.delete(child));
      const waiting: { type: string; resolve: (m: GenMessage) => void; reject: (e: Error) => void }[] = [];
      child.on('message', (m: GenMessage) => {
        if (m.type === 'push') return onPush(m.ms);
        const i = waiting.findIndex((w) => w.type === m.type || m.type === 'error');
        if (i < 0) return;
        const [w] = waiting.splice(i, 1);
        if (m.type === 'error') w!.reject(new Error(`load generator ${g}: ${m.message}`));
        else w!.resolve(m);
      });
      child.on('exit', (code) => {
        for (const w of waiting.splice(0)) w.reject(new Error(`load generator ${g} exited with ${code}`));
      });
      const next = (type: string) =>
        new Promise<GenMessage>((resolve, reject) => waiting.push({ type, resolve, reject }));
      children.push({ child, next, ready: next('ready') });
    }
    // Pairing and loading the replicas happens before the clock starts.
    await Promise.all(children.map((c) => c.ready));
    return new Generators(children);
  }

  /** Every store pushes all its ops; answers the wall time in seconds. */
  async pushAll(): Promise<number> {
    const t0 = performance.now();
    await Promise.all(
      this.children.map((c) => {
        const done = c.next('pushed');
        c.child.send({ cmd: 'push' });
        return done;
      }),
    );
    return (performance.now() - t0) / 1000;
  }

  /** Every store pulls from cursor 0 on `base`: exactly its ops, each once? */
  async exactness(base: string): Promise<{ exact: boolean; lost: number; duplicated: number; extra: number }> {
    const r = { lost: 0, duplicated: 0, extra: 0 };
    for (const c of this.children) {
      const done = c.next('verified');
      c.child.send({ cmd: 'verify', base });
      const m = (await done) as { lost: number; duplicated: number; extra: number };
      r.lost += m.lost;
      r.duplicated += m.duplicated;
      r.extra += m.extra;
    }
    return { exact: r.lost === 0 && r.duplicated === 0 && r.extra === 0, ...r };
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(async ({ child }) => {
        if (child.exitCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        child.send({ cmd: 'stop' });
        await exited;
      }),
    );
  }
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
    pid: child.child.pid,
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

/** The whole machine's busy and total CPU seconds so far (/proc/stat). */
function machineCpu(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0) / 100;
  return { busy: total - (f[3]! + f[4]!) / 100, total };
}

/** CPU microseconds per op of each part, and the machine's busy share, over one push phase. */
interface CpuSplit {
  generatorsUsPerOp: number;
  cloudUsPerOp: number;
  postgresUsPerOp: number;
  /** The probe and this bench process. */
  benchUsPerOp: number;
  /** Postgres' background processes (WAL writer, checkpointer, autovacuum), shared with other users of the server. */
  pgBackgroundUsPerOp: number;
  /** Interrupts, softirqs (loopback network, disk) and kernel threads. */
  kernelUsPerOp: number;
  /** Everything else that ran on the machine meanwhile (other work, Postgres' own background processes). */
  restUsPerOp: number;
  machineBusyPct: number;
}

/** Measures the CPU of every part of the bench while `work` runs (generators, cloud, Postgres backends, probe). */
async function cpuSplit<T>(
  ops: number,
  parts: { generators: number[]; cloud: number[]; bench: number[] },
  work: () => Promise<T>,
): Promise<{ result: T; split: CpuSplit; cloudSeconds: number }> {
  const meters = { generators: new CpuMeter(), cloud: new CpuMeter(), bench: new CpuMeter(), kernel: new CpuMeter() };
  const kthreads = kernelThreadPids();
  const sampleAll = () => {
    for (const k of ['generators', 'cloud', 'bench'] as const)
      meters[k].sample([...parts[k], ...(k === 'bench' ? [process.pid] : [])]);
    meters.kernel.sample(kthreads);
  };
  const pg = new PgBackendCpu(url!, PG_APP);
  const pgBackground = new PgBackendCpu(url!, null);
  await pg.start();
  await pgBackground.start();
  sampleAll();
  const m0 = machineCpu();
  const irq0 = interruptSeconds();
  const result = await work();
  const m1 = machineCpu();
  const irq1 = interruptSeconds();
  sampleAll();
  const pgSeconds = await pg.stop();
  const pgBackgroundSeconds = await pgBackground.stop();
  const us = (seconds: number) => Math.round((seconds * 1e6) / ops);
  const busy = m1.busy - m0.busy;
  const split: CpuSplit = {
    generatorsUsPerOp: us(meters.generators.seconds()),
    cloudUsPerOp: us(meters.cloud.seconds()),
    postgresUsPerOp: us(pgSeconds),
    benchUsPerOp: us(meters.bench.seconds()),
    pgBackgroundUsPerOp: us(pgBackgroundSeconds),
    kernelUsPerOp: us(meters.kernel.seconds() + irq1 - irq0),
    restUsPerOp: 0,
    machineBusyPct: Math.round((100 * busy) / Math.max(1e-9, m1.total - m0.total)),
  };
  split.restUsPerOp =
    us(busy) -
    split.generatorsUsPerOp -
    split.cloudUsPerOp -
    split.postgresUsPerOp -
    split.benchUsPerOp -
    split.pgBackgroundUsPerOp -
    split.kernelUsPerOp;
  return { result, split, cloudSeconds: meters.cloud.seconds() };
}

function describeSplit(s: CpuSplit): string {
  const sum = s.generatorsUsPerOp + s.cloudUsPerOp + s.postgresUsPerOp + s.benchUsPerOp;
  return (
    `  CPU µs per op: load generators ${s.generatorsUsPerOp}, cloud ${s.cloudUsPerOp}, Postgres backends ` +
    `${s.postgresUsPerOp}, probe + bench ${s.benchUsPerOp} (sum ${sum}: at most ${Math.round(2e6 / Math.max(1, sum))} ` +
    `ops/s on 2 cores); Postgres background ${s.pgBackgroundUsPerOp}, kernel (interrupts, kernel threads) ` +
    `${s.kernelUsPerOp}, the rest of the machine ${s.restUsPerOp}; machine busy ${s.machineBusyPct} % of its cores`
  );
}

/** Phase 0: the generators alone against a cloud that stores nothing (fixtures/null-cloud-child.ts). */
async function nullPhase(): Promise<{ opsPerS: number; generatorsUsPerOp: number }> {
  const nul = await startProcess('test/bench/fixtures/null-cloud-child.ts', {});
  try {
    const gens = await Generators.start([`http://127.0.0.1:${nul.info.port}`], 'N', () => {});
    const total = STORES * OPS_PER_STORE;
    const meter = new CpuMeter();
    meter.sample(gens.pids);
    const seconds = await gens.pushAll();
    meter.sample(gens.pids);
    await gens.stop();
    const r = { opsPerS: Math.round(total / seconds), generatorsUsPerOp: Math.round((meter.seconds() * 1e6) / total) };
    console.log(
      `0 (null cloud): the load generators alone push ${total} ops in ${seconds.toFixed(2)} s = ${r.opsPerS} ops/s, ` +
        `${r.generatorsUsPerOp} µs of generator CPU per op`,
    );
    return r;
  } finally {
    await nul.stop();
  }
}

interface PhaseResult {
  cpu: CpuSplit;
  cpuMsPerPush: number;
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
    pushTimes.length = 0;
    const gens = await Generators.start(bases, `L${instances}`, (ms) => pushTimes.push(ms));
    const probeStore = `P${instances}`;
    const writer = await enroll(bases[0]!, probeStore, 'W1');
    const reader = await enroll(bases[bases.length - 1]!, probeStore, 'R1');
    pushTimes.length = 0;
    // The bench process's own event-loop delay (it only counts push times now; the stores run
    // in the generator processes and the probe in one of its own).
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const probeProc = await visibilityProbe(bases[0]!, bases[bases.length - 1]!, writer, reader, probeStore);
    const {
      result: seconds,
      split: cpu,
      cloudSeconds: cloudCpu,
    } = await cpuSplit(
      STORES * OPS_PER_STORE,
      { generators: gens.pids, cloud: procs.map((c) => c.child.pid!), bench: [probeProc.pid!] },
      () => gens.pushAll(),
    );
    const probe = await probeProc.stop();
    lag.disable();
    const total = STORES * OPS_PER_STORE;
    const result = {
      cpu,
      opsPerS: Math.round(total / seconds),
      cpuMsPerPush: Math.round((cloudCpu * 1000 * 10) / (total / BATCH)) / 10,
      pushP95: Math.round(p(pushTimes, 0.95)),
      visP50: Math.round(p(probe.times, 0.5)),
      visP95: Math.round(p(probe.times, 0.95)),
      exact: false,
      bytesPerOp: await bytesPerOp(schema),
    };
    const ex = await gens.exactness(bases[bases.length - 1]!);
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
    // Where the machine's CPU went while the stores pushed: each part's CPU per op, and how busy
    // the whole box was (other work on a shared machine shows as "the rest").
    console.log(
      `  cloud process CPU ${cloudCpu.toFixed(1)} s in ${seconds.toFixed(1)} s of push (${result.cpuMsPerPush} ms per ` +
        `${BATCH}-op push, ${Math.round((100 * cloudCpu) / seconds)} % of one core)`,
    );
    console.log(describeSplit(cpu));
    await gens.stop();
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
    const victim = procs[1]!;
    let killedAfter = 0;
    // SIGKILL the second instance once about a third of the pushes went through.
    const target = Math.round((STORES * OPS_PER_STORE) / BATCH / 3);
    pushTimes.length = 0;
    const gens = await Generators.start(bases, 'K', (ms) => {
      pushTimes.push(ms);
      // Killed by a signal its exitCode stays null: the count marks that it happened.
      if (killedAfter === 0 && pushTimes.length >= target) {
        killedAfter = pushTimes.length;
        victim.child.kill('SIGKILL');
      }
    });
    await gens.pushAll();
    const ex = await gens.exactness(bases[0]!);
    const counts = await dbCounts(schema);
    const duplicated = ex.duplicated + (counts.rows - counts.distinct);
    console.log(
      `kill: instance 2 SIGKILLed after ${killedAfter} pushes; every store then pulled from instance 1: lost ${ex.lost}, ` +
        `duplicated ${duplicated}, extra ${ex.extra}; ${counts.rows} rows stored for ${STORES * OPS_PER_STORE} ops pushed`,
    );
    await gens.stop();
    return { lost: ex.lost, duplicated, exact: ex.exact && counts.rows === STORES * OPS_PER_STORE, killedAfter };
  } finally {
    // The killed one has exited already (by signal: its exitCode stays null, so stop() would wait).
    for (const c of procs) if (c.child.signalCode === null) await c.stop();
    await dropSchema(schema);
  }
}

console.log(
  `cloud-scale: ${STORES} stores x ${OPS_PER_STORE} ops, batches of ${BATCH}, real client in ${GENERATORS} load ` +
    `generator processes (nice ${GEN_NICE}), Postgres at DATABASE_URL`,
);
const zero = await nullPhase();
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
  cloud_cpu_ms_per_push_1: one.cpuMsPerPush,
  cloud_cpu_ms_per_push_2: two.cpuMsPerPush,
  // CPU µs per op of each part (phase 1, one instance; _2: two), and the generators alone.
  cpu_us_per_op_1: { ...one.cpu },
  cpu_us_per_op_2: { ...two.cpu },
  generator_null_ops_per_s: zero.opsPerS,
  generator_null_cpu_us_per_op: zero.generatorsUsPerOp,
  stores: STORES,
  ops_per_store: OPS_PER_STORE,
  generator_nice: GEN_NICE,
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
