// `npm run bench -- stockops`: posting a 2,000-line stocktake on a till with the demo store plus
// 2,000 generated products (each with a receipt and a few sales in its ledger). Times
// stocktake.post through the core (variance + one count movement per line + audit, one SQLite
// transaction) over several sessions. Target (issue #17): stocktake_post_ms ≤ 500.
// Prints one JSON object on its last line.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { RpcResult } from '../../app/contract';
import {
  DEMO_STORE_ID,
  DEMO_TERMINAL_ID,
  openTerminalCore,
  openTerminalDatabase,
  seedDemoData,
  seedSyntheticCatalog,
} from '../../app/core';

const LINES = 2000;
const ROUNDS = 5;
const TARGET_MS = 500;

async function ok<T>(p: Promise<RpcResult<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r;
}

const dataDir = mkdtempSync(join(tmpdir(), 'pos-bench-stockops-'));
{
  const db = openTerminalDatabase(dataDir);
  seedDemoData(db, { at: new Date(), terminalId: DEMO_TERMINAL_ID, storeId: DEMO_STORE_ID });
  seedSyntheticCatalog(db, LINES, new Date(), { skuPrefix: 'B' });
  db.close();
}
const core = openTerminalCore({ dataDir, logger: pino({ level: 'silent' }), pinScryptN: 1024 });
const { token } = await ok(core.call('auth.login', { pin: '8888' }, {}));
const db = openTerminalDatabase(dataDir);
const skus = (db.prepare("SELECT sku FROM products WHERE sku LIKE 'B%' ORDER BY sku").all() as { sku: string }[])
  .slice(0, LINES)
  .map((r) => r.sku);
db.close();
// A ledger to sum over: a receipt per product.
for (let i = 0; i < skus.length; i += 250) {
  await ok(
    core.call(
      'stock.receive',
      { lines: skus.slice(i, i + 250).map((sku) => ({ sku, quantity: 100, weightGrams: 10_000, unitCost: 150 })) },
      { token },
    ),
  );
}
const times: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const { stocktakeId } = await ok(core.call('stocktake.start', { skus }, { token }));
  for (const [i, sku] of skus.entries())
    await ok(
      core.call('stocktake.count', { stocktakeId, sku, quantity: 90 + (i % 20), weightGrams: 9000 + i }, { token }),
    );
  const s = performance.now();
  const posted = await ok(core.call('stocktake.post', { stocktakeId }, { token }));
  times.push(performance.now() - s);
  if (posted.posted !== LINES) throw new Error(`posted ${posted.posted} lines, expected ${LINES}`);
}
await core.close();
rmSync(dataDir, { recursive: true, force: true });
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
console.log(
  `${ROUNDS} posts of ${LINES} lines; load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
console.log(
  JSON.stringify({
    suite: 'stockops',
    stocktake_post_ms: Math.round(median * 10) / 10,
    stocktake_post_max_ms: Math.round(times[times.length - 1]! * 10) / 10,
    lines: LINES,
    target_ms: TARGET_MS,
    meets_target: median <= TARGET_MS,
  }),
);
