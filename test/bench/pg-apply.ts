// `npm run bench -- pg-apply`: the Postgres side of one push (issue #21). How much CPU the
// Postgres backend and Node spend per op when a 200-op batch of a till's mix (1 sale fact + 3
// movements per sale) is written, for each way of calling the write:
//   current     PgSyncStorage.apply (apply_ops_v3: one JSON array per column)
//   v2          apply_ops_v2 with the batch as one JSON array of rows (the previous version)
//   extract_*   only the extraction of each payload shape into rows, nothing written
// Backend CPU is read from /proc/<backend pid>/schedstat, Node's from process.cpuUsage(), so the
// figures hold on a loaded machine; the variants take turns batch by batch so none is favoured
// by a smaller table. Real Postgres (DATABASE_URL). Last line: JSON, µs per op.
// PG_APPLY_DROP=<index,…> drops those indexes of `ops` first (to price each index).
import { randomUUID } from 'node:crypto';
import { HybridClock, OpFactory, opHash, PgSyncStorage, poolDriver, type Op } from '../../sync';
import { cpuSecondsOf } from './fixtures/cpu-meter';

const url = process.env['DATABASE_URL'];
if (!url) {
  console.error('pg-apply needs a real Postgres: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
  process.exit(2);
}
const STORES = 50;
const BATCH = 200;
const ROUNDS = Number(process.argv[3] ?? 60);
const WARM = 5;

const factories = Array.from({ length: STORES }, (_, i) => {
  let t = Date.now() - 86_400_000;
  const storeId = `A${String(i).padStart(4, '0')}`;
  return {
    storeId,
    t: () => (t += 1000),
    f: new OpFactory(new HybridClock({ nodeId: `${storeId}_T01`, now: () => t })),
  };
});
let sale = 0;
function batch(store: number): Op[] {
  const { storeId, f, t } = factories[store % STORES]!;
  const ops: Op[] = [];
  while (ops.length < BATCH) {
    t();
    const saleId = randomUUID();
    const n = sale++;
    ops.push(f.fact(`store:${storeId}`, 'sale', saleId, { n, total: 1290, lines: [['6901', 1, 1290]] }));
    for (let j = 0; j < 3; j++) ops.push(f.move(storeId, `sku${(n + j) % 300}`, 'sale', 1, saleId));
  }
  return ops;
}

const run = Date.now().toString(36);
const driver = poolDriver(url, 1);
const storage = await PgSyncStorage.open(driver, `bench_apply_${run}`);
const T = storage.table;
for (const index of (process.env['PG_APPLY_DROP'] ?? '').split(',').filter(Boolean))
  await driver.query(`DROP INDEX ${T}."${index.replace(/"/g, '')}"`);
const backend = async () =>
  Number((await driver.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);

const v2Payload = (ops: Op[]) =>
  JSON.stringify(ops.map((o) => [o.id, o.s, o.t, o.e, o.k, o.f, o.n, o.b ?? null, opHash(o.id)]));

// The column shape of apply_ops_v3 (PgSyncStorage.apply), for the extraction-only variant.
const colsJson = `SELECT r.id, r.s, r.t, r.e, r.k, r.f, r.n::bigint AS n, NULLIF(r.b::text, 'null') AS b, r.h::bigint AS h
  FROM ROWS FROM (json_array_elements_text(p_id), json_array_elements_text(p_s), json_array_elements_text(p_t),
    json_array_elements_text(p_e), json_array_elements_text(p_k), json_array_elements_text(p_f),
    json_array_elements_text(p_n), json_array_elements(p_b), json_array_elements_text(p_h)) AS r(id, s, t, e, k, f, n, b, h)`;
const columns = (ops: Op[]) => [
  ops.map((o) => o.id),
  ops.map((o) => o.s),
  ops.map((o) => o.t),
  ops.map((o) => o.e),
  ops.map((o) => o.k),
  ops.map((o) => o.f),
  ops.map((o) => o.n),
  ops.map((o) => o.b ?? null),
  ops.map((o) => opHash(o.id)),
];
// Extraction alone: every column is used, so none is optimised away.
const EVAL = `sum(length(id) + length(s) + length(t) + length(e) + length(k) + length(f) + coalesce(n, 0) + coalesce(length(b), 0) + h % 7)`;
const COLS = ['id', 's', 't', 'e', 'k', 'f', 'n', 'b', 'h'];
const jsonColumns = (ops: Op[]) => columns(ops).map((c) => JSON.stringify(c));

type Variant = (ops: Op[]) => Promise<unknown>;
const variants: Record<string, Variant> = {
  current: (ops) => storage.apply(ops, 'bench'),
  v2: (ops) =>
    driver.query(`SELECT ${T}.apply_ops_v2($1::json, $2, $3::text[], true)`, [v2Payload(ops), 'bench', [ops[0]!.s]]),
  extract_v2: (ops) =>
    driver.query(
      `SELECT ${EVAL} FROM (SELECT r->>0 AS id, r->>1 AS s, r->>2 AS t, r->>3 AS e, r->>4 AS k, r->>5 AS f,
         (r->>6)::bigint AS n, CASE WHEN json_typeof(r->7) = 'null' THEN NULL ELSE (r->7)::text END AS b,
         (r->>8)::bigint AS h FROM json_array_elements($1::json) AS r) x`,
      [v2Payload(ops)],
    ),
  extract_v3: (ops) =>
    driver.query(
      `SELECT ${EVAL} FROM (${colsJson.replace(/\bp_(id|s|t|e|k|f|n|b|h)\b/g, (_, c: string) => `$${COLS.indexOf(c) + 1}::json`)}) x`,
      jsonColumns(ops),
    ),
};

const cpu: Record<string, { pg: number; node: number; wall: number }> = {};
for (const name of Object.keys(variants)) cpu[name] = { pg: 0, node: 0, wall: 0 };
let store = 0;
for (let round = 0; round < WARM + ROUNDS; round++) {
  for (const [name, call] of Object.entries(variants)) {
    const ops = batch(store++);
    const pid = await backend();
    const pg0 = cpuSecondsOf(pid);
    const n0 = process.cpuUsage();
    const w0 = performance.now();
    await call(ops);
    const wall = performance.now() - w0;
    const n1 = process.cpuUsage(n0);
    // The pid query itself is a round trip on the same backend: read its CPU before it.
    const pg1 = cpuSecondsOf(pid);
    if (round < WARM) continue;
    cpu[name]!.pg += pg1 - pg0;
    cpu[name]!.node += (n1.user + n1.system) / 1e6;
    cpu[name]!.wall += wall / 1000;
  }
}
const ops = ROUNDS * BATCH;
const figures: Record<string, number> = {};
for (const [name, c] of Object.entries(cpu)) {
  figures[`${name}_pg_us_per_op`] = Math.round((c.pg * 1e6 * 10) / ops) / 10;
  figures[`${name}_node_us_per_op`] = Math.round((c.node * 1e6 * 10) / ops) / 10;
  figures[`${name}_wall_us_per_op`] = Math.round((c.wall * 1e6 * 10) / ops) / 10;
}
const rows = Number((await driver.query<{ n: string }>(`SELECT count(*) AS n FROM ${T}.ops`)).rows[0]!.n);
await storage.dropSchema();
await storage.close();
console.log(
  `pg-apply: ${ROUNDS} rounds × ${Object.keys(variants).length} variants × ${BATCH} ops, one connection, ${rows} rows written`,
);
for (const name of Object.keys(variants))
  console.log(
    `  ${name.padEnd(12)} Postgres ${figures[`${name}_pg_us_per_op`]} µs/op, Node ${figures[`${name}_node_us_per_op`]} µs/op, wall ${figures[`${name}_wall_us_per_op`]} µs/op`,
  );
console.log(JSON.stringify(figures));
process.exit(0);
