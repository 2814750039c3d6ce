// Bench for the store-wide reports: `npm run bench -- reports`.
// A terminal replica (real SQLite file, sync attached) holding a store of 10 tills: today with
// DAY_SALES sales of LINES lines each (5,000 × 5 = 25,000 lines by default), and HISTORY_DAYS days
// before it with HISTORY_SALES sales a day (every line a real demo product, so categories resolve),
// plus waste write-offs. Prints, as one JSON line, the median and max of RUNS calls of:
//   report_day_ms  — reports.sales for today grouped by category (every fact of the day read and
//                    aggregated; other groupings cost the same reads)
//   report_90d_ms  — reports.sales over the last 90 days by category and by hour (the two calls summed)
//   report_90d_costed_ms — the same after every product got a cost (margins, daily loss rates)
// and the targets from issue 17 (report_day_ms ≤ 200, report_90d_ms ≤ 1,500) with pass/fail.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HybridClock, OpFactory, type Op } from '../../sync/core';
import { openTestCore, PINS } from '../../app/core/test-support';
import { demoProducts, seededRandom } from '../../app/core';

const TILLS = 10;
const DAY_SALES = Number(process.env['DAY_SALES'] ?? 5_000);
const LINES = Number(process.env['LINES'] ?? 5);
const HISTORY_DAYS = Number(process.env['HISTORY_DAYS'] ?? 90);
const HISTORY_SALES = Number(process.env['HISTORY_SALES'] ?? 1_000);
const RUNS = Number(process.env['RUNS'] ?? 7);
const TARGETS = { report_day_ms: 200, report_90d_ms: 1_500, report_90d_costed_ms: 1_500 };
const DAY = 86_400_000;
const v7 = (ms: number, n: number) => {
  const h = ms.toString(16).padStart(12, '0');
  const r = n.toString(16).padStart(15, '0');
  return `${h.slice(0, 8)}-${h.slice(8)}-7${r.slice(0, 3)}-8${r.slice(3, 6)}-${r.slice(6).padStart(12, '0')}`;
};
const today = Date.parse('2026-11-28T00:00:00+08:00');
const products = demoProducts();
const rnd = seededRandom(2026);

// Where a report's time goes (the core reports its steps through `timing`), per call.
const steps = new Map<string, number[]>();
const t = openTestCore({
  timing: (name, ms) => steps.set(name, [...(steps.get(name) ?? []), ms]),
  storeId: 'S001',
  terminalId: 'T01',
  sync: { cloudUrl: 'http://127.0.0.1:9', enrollCode: 'X', intervalMs: 3_600_000 },
});
t.clock.now = new Date(today + 21 * 3_600_000);
const storage = t.core.sync!.outbox.storage;
let now = today - HISTORY_DAYS * DAY;
const tills = Array.from(
  { length: TILLS },
  (_, i) => new OpFactory(new HybridClock({ nodeId: `S001_T${String(i + 2).padStart(2, '0')}`, now: () => now })),
);
let ops: Op[] = [];
let total = 0;
let seq = 0;
const flush = async () => {
  await storage.apply(ops, 'hub');
  total += ops.length;
  ops = [];
};
const setup = performance.now();
for (let d = HISTORY_DAYS; d >= 0; d--) {
  const dayStart = today - d * DAY;
  const n = d === 0 ? DAY_SALES : HISTORY_SALES;
  for (let i = 0; i < n; i++) {
    now = dayStart + 7 * 3_600_000 + Math.floor((i / n) * 14 * 3_600_000);
    const lines = [];
    let sum = 0;
    for (let l = 0; l < LINES; l++) {
      const p = products[Math.floor(rnd() * products.length)]!;
      const weighed = p.unit === 'weighed';
      const grams = 200 + Math.floor(rnd() * 1000);
      const lineTotal = weighed ? Math.round((p.price * grams) / 1000) : p.price;
      sum += lineTotal;
      lines.push({
        lineId: `l${l}`,
        sku: p.sku,
        name: p.name,
        unit: p.unit,
        quantity: 1,
        weightGrams: weighed ? grams : null,
        unitPrice: p.price,
        gross: lineTotal,
        discount: 0,
        total: lineTotal,
      });
    }
    const till = i % TILLS;
    ops.push(
      tills[till]!.fact('store:S001', 'sale', v7(now, seq++), {
        number: `T${till + 2}-${seq}`,
        terminalId: `T${String(till + 2).padStart(2, '0')}`,
        cashierId: `staff-${till}`,
        subtotal: sum,
        discount: 0,
        rounding: 0,
        total: sum,
        change: 0,
        createdAt: new Date(now).toISOString(),
        lines,
        tenders: [{ type: i % 3 ? 'cash' : 'payment_code', amount: sum, provider: i % 3 ? null : 'wechat-sandbox' }],
      }),
    );
    if (i % 100 === 0) {
      const p = products[Math.floor(rnd() * products.length)]!;
      const op = tills[till]!.move('S001', p.sku, 'adjust', -1, `w${seq}`);
      ops.push({ ...op, b: { ref: `w${seq}`, waste: 'spoiled', cost: 300, staff: 'staff-m' } });
    }
    if (ops.length >= 20_000) await flush();
  }
}
await flush();
const setupMs = performance.now() - setup;

const token = await t.login(PINS.manager);
async function time(input: Record<string, unknown>[]): Promise<{ median: number; max: number; last: unknown }> {
  const ms: number[] = [];
  let last: unknown;
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    for (const x of input) last = await t.ok('reports.sales', x, token);
    ms.push(performance.now() - s);
  }
  ms.sort((a, b) => a - b);
  return { median: +ms[Math.floor(RUNS / 2)]!.toFixed(1), max: +ms[RUNS - 1]!.toFixed(1), last };
}
const day = await time([{ from: '2026-11-28', groupBy: 'category' }]);
steps.clear();
const from = new Date(today - 89 * DAY + 8 * 3_600_000).toISOString().slice(0, 10);
const range = await time([
  { from, to: '2026-11-28', groupBy: 'category' },
  { from, to: '2026-11-28', groupBy: 'hour' },
]);
// The same with every product costed (as after receiving): margins, and the days' loss rates
// read each day's product rows of costed products.
const costDb = new Database(join(t.dataDir, 'terminal.db'));
costDb.prepare('UPDATE products SET cost = (price * 6) / 10').run();
costDb.close();
const costed = await time([
  { from, to: '2026-11-28', groupBy: 'category' },
  { from, to: '2026-11-28', groupBy: 'hour' },
]);
const dayTotals = (day.last as { report: { totals: { transactions: number; sales: number } } }).report.totals;
const rangeTotals = (range.last as { report: { totals: { transactions: number } } }).report.totals;
if (dayTotals.transactions !== DAY_SALES) throw new Error(`day report counted ${dayTotals.transactions} sales`);
const median = (xs: number[]) => +[...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(1);
const rangeSteps = Object.fromEntries(
  [...steps].filter(([k]) => k.startsWith('report_')).map(([k, v]) => [`90d_${k}_median`, median(v)]),
);
const figures = {
  report_day_ms: day.median,
  report_90d_ms: range.median,
  report_90d_costed_ms: costed.median,
};
console.log(
  JSON.stringify({
    tills: TILLS,
    day_sales: DAY_SALES,
    day_lines: DAY_SALES * LINES,
    history_days: HISTORY_DAYS,
    history_sales_per_day: HISTORY_SALES,
    range_transactions: rangeTotals.transactions,
    replica_ops: total,
    setup_s: +(setupMs / 1000).toFixed(1),
    ...figures,
    report_day_max_ms: day.max,
    report_90d_max_ms: range.max,
    ...rangeSteps,
    targets: TARGETS,
    pass: Object.fromEntries(Object.entries(TARGETS).map(([k, v]) => [k, figures[k as keyof typeof figures] <= v])),
  }),
);
await t.core.close();
rmSync(t.dataDir, { recursive: true, force: true });
