// `npm run bench -- push-cpu`: Node CPU per 200-op push on the cloud's push path, stage by stage,
// without HTTP or Postgres (issue #21: where the event loop's time goes). 50 stores' batches of
// a till's mix (1 sale fact + 3 movements per sale), each stage timed over 30 rounds after 10
// rounds of warm-up; the previous path (rows + zod per op, admission per op, a clock check per
// op) beside the current one (validateOpColumns, admitPushedOps, one check of the newest
// stamp). Last line: JSON, microseconds per push.
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import {
  HybridClock,
  OpFactory,
  admitPushedOp,
  admitPushedOps,
  batchOps,
  decodeBatch,
  encodeBatch,
  opHash,
  validateOps,
  type Op,
} from '../../sync';

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

const STORES = 50;
const storeId = (i: number) => `L${String(i).padStart(4, '0')}`;
const bodies = Array.from({ length: STORES }, (_, i) => encodeBatch(storeOps(storeId(i), 200)));
const clock = new HybridClock({ nodeId: 'Cdeadbeef', now: Date.now });
const micros: Record<string, number> = {};
function time<T>(name: string, fn: () => T): T {
  const t0 = performance.now();
  const r = fn();
  micros[name] = (micros[name] ?? 0) + (performance.now() - t0) * 1000;
  return r;
}
const WARM = 10;
const ROUNDS = 30;
for (let round = 0; round < WARM + ROUNDS; round++) {
  if (round === WARM) for (const k of Object.keys(micros)) micros[k] = 0;
  for (let i = 0; i < STORES; i++) {
    const body = bodies[i]!;
    const pusher = { deviceId: 'T01', role: 'terminal', storeId: storeId(i) };
    time('gunzip_us', () => gunzipSync(body));
    const batch = time('decode_us', () => decodeBatch(body)); // gunzip + JSON.parse + column checks
    const rows = time('old_rows_us', () => batch.rows);
    const ops = time('old_zod_us', () => validateOps(rows));
    time('old_admit_us', () => ops.map((o) => admitPushedOp(o, pusher, 'cloud')));
    time('old_clock_us', () => ops.filter((o) => clock.isTooFarAhead(o.id)));
    time('old_payload_us', () =>
      JSON.stringify(
        ops.map((o) => [o.id, o.s, o.t, o.e, o.k, o.f, o.n, o.b == null ? null : JSON.stringify(o.b), opHash(o.id)]),
      ),
    );
    const fresh = decodeBatch(body);
    const ops2 = time('new_validate_us', () => batchOps(fresh));
    time('new_admit_us', () => admitPushedOps(ops2, pusher, 'cloud'));
    time('new_clock_us', () => {
      let newest = '';
      for (const o of ops2) if (o.id > newest) newest = o.id;
      return clock.isTooFarAhead(newest);
    });
    time('new_payload_us', () =>
      JSON.stringify(ops2.map((o) => [o.id, o.s, o.t, o.e, o.k, o.f, o.n, o.b ?? null, opHash(o.id)])),
    );
  }
}
const per = Object.fromEntries(Object.entries(micros).map(([k, v]) => [k, Math.round(v / (ROUNDS * STORES))]));
const sum = (keys: string[]) => keys.reduce((s, k) => s + (per[k] ?? 0), 0);
const figures = {
  ...per,
  old_push_cpu_us: sum(['decode_us', 'old_rows_us', 'old_zod_us', 'old_admit_us', 'old_clock_us', 'old_payload_us']),
  new_push_cpu_us: sum(['decode_us', 'new_validate_us', 'new_admit_us', 'new_clock_us', 'new_payload_us']),
};
console.log(`push path CPU per 200-op push (µs), ${ROUNDS} rounds × ${STORES} batches`);
console.log(JSON.stringify(figures));
