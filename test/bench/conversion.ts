// Bench for footfall.conversion on a big store replica: `npm run bench -- conversion`.
// A terminal replica (real SQLite file, sync attached) holding DAYS days of a busy store: sale facts
// from three tills and two cameras' 15-minute intervals, each re-sent three times as it grew (what
// the agent's 10 s publishing produces). Prints the call time (median and max of RUNS) for today
// and for a day two months back as one JSON line.
import { rmSync } from 'node:fs';
import { HybridClock, OpFactory, type Op } from '../../sync/core';
import { openTestCore, PINS } from '../../app/core/test-support';

const DAYS = Number(process.env['DAYS'] ?? 90);
const SALES_PER_DAY = Number(process.env['SALES_PER_DAY'] ?? 800);
const RUNS = 20;
const DAY = 86_400_000;
// uuid v7 from the sale's own time (the core's uuidv7() keeps ids monotonic per process, and the
// test template was seeded at a later fake time, which would push every id here after it).
const v7 = (ms: number, n: number) => {
  const h = ms.toString(16).padStart(12, '0');
  const r = n.toString(16).padStart(15, '0');
  return `${h.slice(0, 8)}-${h.slice(8)}-7${r.slice(0, 3)}-8${r.slice(3, 6)}-${r.slice(6).padStart(12, '0')}`;
};
const today = Date.parse('2026-11-28T00:00:00+08:00');

const t = openTestCore({
  storeId: 'S001',
  terminalId: 'T01',
  sync: { cloudUrl: 'http://127.0.0.1:9', enrollCode: 'X', intervalMs: 3_600_000 },
});
t.clock.now = new Date(today + 20 * 3_600_000);
const storage = t.core.sync!.outbox.storage;
let now = today - DAYS * DAY;
const tills = ['T02', 'T03', 'T04'].map((n) => new OpFactory(new HybridClock({ nodeId: n, now: () => now })));
const agent = new OpFactory(new HybridClock({ nodeId: 'ES001', now: () => now }));
let ops: Op[] = [];
let total = 0;
const flush = async () => {
  await storage.apply(ops, 'hub');
  total += ops.length;
  ops = [];
};
for (let d = DAYS; d >= 0; d--) {
  const dayStart = today - d * DAY;
  for (let i = 0; i < SALES_PER_DAY; i++) {
    now = dayStart + 7 * 3_600_000 + Math.floor((i / SALES_PER_DAY) * 15 * 3_600_000);
    const iso = new Date(now).toISOString();
    ops.push(
      tills[i % 3]!.fact('store:S001', 'sale', v7(now, d * SALES_PER_DAY + i), {
        createdAt: iso,
        total: 1000 + i,
        lines: [{ sku: 'x', quantity: 1, total: 1000 + i }],
        tenders: [{ type: 'cash', amount: 1000 + i }],
      }),
    );
  }
  for (let q = 0; q < 96; q++) {
    const start = new Date(dayStart + q * 900_000).toISOString();
    const end = new Date(dayStart + (q + 1) * 900_000).toISOString();
    for (const cam of ['door1', 'door2'])
      for (let r = 1; r <= 3; r++) {
        now = dayStart + q * 900_000 + r * 1000;
        ops.push(agent.footfall('S001', cam, start, end, r * 3, r * 2));
      }
  }
  if (ops.length > 20_000) await flush();
}
await flush();

const token = await t.login(PINS.manager);
const time = async (date: string) => {
  const ms: number[] = [];
  let last: unknown;
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    last = await t.ok('footfall.conversion', { date }, token);
    ms.push(performance.now() - s);
  }
  ms.sort((a, b) => a - b);
  return {
    median: +ms[Math.floor(RUNS / 2)]!.toFixed(2),
    max: +ms[RUNS - 1]!.toFixed(2),
    totals: (last as { report: { totals: unknown } }).report.totals,
  };
};
const recent = await time('2026-11-28');
const old = await time('2026-09-28');
console.log(
  JSON.stringify({
    replica_ops: total,
    days: DAYS,
    sales_per_day: SALES_PER_DAY,
    conversion_today_ms: recent.median,
    conversion_today_max_ms: recent.max,
    conversion_60_days_back_ms: old.median,
    conversion_60_days_back_max_ms: old.max,
    today_totals: recent.totals,
  }),
);
await t.core.close();
rmSync(t.dataDir, { recursive: true, force: true });
