// Replenishment backtest: `npm run bench -- forecast`. Two synthetic years of a store (six
// product families × 5 products, seed 1 and — as a second, never-tuned store — seed 2):
// methods and service levels are chosen on the 8 weeks before the held-out final 8 weeks, then
// the held-out weeks are forecast (WAPE, MAPE, bias per family against the seasonal naive) and
// replayed on the shelf simulation (waste and fill rate of the suggested orders against "order
// what sold last week"). Also the time of one replenishment.suggest on the demo till.
// Targets: WAPE ≥ 20 % better than seasonal naive; waste ≥ 15 % lower at the same or better
// availability. Last line: JSON.
import { generateStoreHistory, runBacktest, type BacktestReport } from '../../app/core/forecast';
import { openTestCore, PINS } from '../../app/core/test-support';

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

function show(seed: number, r: BacktestReport): void {
  console.log(
    `store seed ${seed}: training ${r.windows.training.join('…')}, tuning ${r.windows.tuning.join('…')}, held-out ${r.windows.heldout.join('…')}`,
  );
  console.log('family   method          WAPE   naive  bias    waste sugg/last   fill sugg/last');
  for (const f of r.families)
    console.log(
      `${f.family.padEnd(8)} ${f.method.padEnd(15)} ${f.chosen.wape.toFixed(3)}  ${f.heldout.seasonal_naive.wape.toFixed(3)}  ${f.chosen.bias.toFixed(3).padStart(6)}  ${pct(f.policy.suggested.wasteRate).padStart(7)} / ${pct(f.policy.lastWeek.wasteRate).padEnd(7)} ${pct(f.policy.suggested.fillRate)} / ${pct(f.policy.lastWeek.fillRate)}`,
    );
  const o = r.overall;
  console.log(
    `overall: WAPE ${o.chosen.wape.toFixed(3)} vs naive ${o.seasonalNaive.wape.toFixed(3)} (${pct(o.wapeImprovement)} better); waste ${o.policy.suggested.wasted} vs ${o.policy.lastWeek.wasted} units (${pct(o.policy.wasteReduction)} less); fill ${pct(o.policy.suggested.fillRate)} vs ${pct(o.policy.lastWeek.fillRate)}`,
  );
}

const figures: Record<string, number | boolean> = {};
for (const seed of [1, 2]) {
  const t0 = performance.now();
  const r = runBacktest(generateStoreHistory({ seed }));
  figures[`backtest_ms_seed${seed}`] = Math.round(performance.now() - t0);
  show(seed, r);
  const o = r.overall;
  figures[`wape_seed${seed}`] = Number(o.chosen.wape.toFixed(3));
  figures[`wape_naive_seed${seed}`] = Number(o.seasonalNaive.wape.toFixed(3));
  figures[`wape_improvement_seed${seed}`] = o.wapeImprovement;
  figures[`waste_reduction_seed${seed}`] = o.policy.wasteReduction;
  figures[`fill_suggested_seed${seed}`] = o.policy.suggested.fillRate;
  figures[`fill_last_week_seed${seed}`] = o.policy.lastWeek.fillRate;
  figures[`meets_targets_seed${seed}`] =
    o.wapeImprovement >= 0.2 &&
    o.policy.wasteReduction >= 0.15 &&
    o.policy.suggested.fillRate >= o.policy.lastWeek.fillRate;
}

const t = openTestCore();
try {
  const token = await t.login(PINS.manager);
  await t.ok('replenishment.suggest', {}, token);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    await t.ok('replenishment.suggest', {}, token);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  figures['suggest_demo_ms_median'] = Math.round(times[2]!);
} finally {
  t.cleanup();
}
console.log(JSON.stringify(figures));
