// `npm run bench -- till`: the till on a generated catalog of 100,000 products.
// Figures (last line, one JSON object): barcode lookup, search, durable checkout commit,
// scan-to-line in Chromium (wedge burst end → cart line rendered), and core RSS.
// RSS and the UI figure come from the real web host in its own process (as a till runs it);
// lookup, search and checkout are timed in-process on the same database afterwards.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openTerminalDatabase,
  seedDemoData,
  seedSyntheticCatalog,
  syntheticCatalog,
  DEMO_STORE_ID,
  DEMO_TERMINAL_ID,
} from '../../app/core';
import { productCount, resolveScan } from '../../app/core/catalog';
import pino from 'pino';
import { openTerminalCore } from '../../app/core';
import { measureScanToLine } from '../e2e/measure-scan';
import { ensureRendererBuilt } from '../../app/build';

const CATALOG = 100_000;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, idx)] ?? NaN) * 1000) / 1000;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

ensureRendererBuilt();
const dataDir = mkdtempSync(join(tmpdir(), 'pos-bench-till-'));
const t0 = performance.now();
{
  const db = openTerminalDatabase(dataDir);
  seedDemoData(db, { at: new Date(), terminalId: DEMO_TERMINAL_ID, storeId: DEMO_STORE_ID });
  const missing = CATALOG - productCount(db);
  seedSyntheticCatalog(db, missing, new Date());
  db.close();
}
const seedMs = performance.now() - t0;

// The till's web host in its own process, without devices, on the seeded catalog.
const root = join(import.meta.dirname, '../..');
const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'app/host/main.ts')], {
  cwd: root,
  env: { ...process.env, POS_PORT: '0', POS_DATA_DIR: dataDir, POS_DEVICES: 'none', POS_DEMO: '0', LOG_LEVEL: 'error' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve, reject) => {
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    const m = out.match(/open (http:\/\/[\d.:]+)/);
    if (m) resolve(m[1]!);
  });
  child.on('exit', (code) => reject(new Error(`web host exited ${code}`)));
});
async function http(method: string, body: unknown, token?: string): Promise<any> {
  const res = await fetch(`${url}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return res.json();
}
// Warm the search index (built from SQLite on first use) so RSS reflects the loaded catalog.
const hostToken = (await http('auth.login', { pin: '1234' })).token as string;
await http('catalog.search', { query: 'nai' }, hostToken);
const loadMs = performance.now() - t0 - seedMs;
const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? NaN);
const rssMb = Math.round(rssKb / 1024);
const lookupDb = openTerminalDatabase(dataDir);
const products = productCount(lookupDb);

const random = rng(7);
// The synthetic catalog is deterministic, so regenerating it yields the seeded barcodes.
// Variable-measure item keys are skipped: those need a weight on the label to scan.
const barcodes = Array.from(syntheticCatalog(CATALOG - 200), (p) => p.ean13).filter((b): b is string => !!b);

// Scan to line in the real renderer: wedge burst typed into Chromium, line rendered.
const uiCodes = Array.from({ length: 60 }, () => barcodes[Math.floor(random() * barcodes.length)]!);
let ui: number[] = [];
try {
  ui = await measureScanToLine(url, uiCodes);
} catch (err) {
  console.error(`scan-to-line measurement failed: ${(err as Error).message}`);
}

child.kill('SIGTERM');
const commitMs: number[] = [];
const journalMs: number[] = [];
const core = openTerminalCore({
  dataDir,
  seedDemo: false,
  logger: pino({ level: 'silent' }),
  timing: (name, ms) => {
    if (name === 'checkout_commit_ms') commitMs.push(ms);
    if (name === 'sale_journal_fsync_ms') journalMs.push(ms);
  },
});

// Barcode lookup: parse + catalog lookup of a random known barcode.
const lookups: number[] = [];
for (let i = 0; i < 20_000; i++) {
  const code = barcodes[Math.floor(random() * barcodes.length)]!;
  const s = performance.now();
  resolveScan(lookupDb, code);
  lookups.push(performance.now() - s);
}

// Search: a mix of Chinese, full pinyin, initials and English queries.
const queries = [
  '有机',
  '牛奶',
  'niunai',
  'ymn',
  'yjnn',
  'milk',
  'apple',
  '苹果',
  'dami',
  'rice',
  'pg',
  'xian',
  '进口',
  'juice',
  'jd',
  'mian',
];
const token = ((await core.call('auth.login', { pin: '1234' }, {})) as { token: string }).token;
const searches: number[] = [];
for (let i = 0; i < 2_000; i++) {
  const q = queries[i % queries.length]!;
  const s = performance.now();
  await core.call('catalog.search', { query: q, limit: 20 }, { token });
  searches.push(performance.now() - s);
}

// Checkout: cart.pay on a 5-line cart. The commit figure is the sale's transaction up to its
// durable fsync (WAL + synchronous=FULL), reported by the core; the call figure is the whole
// cart.pay (tender checks, commit, reading the sale back, receipt layout).
const commits: number[] = [];
for (let i = 0; i < 300; i++) {
  for (let j = 0; j < 5; j++)
    await core.call('cart.scan', { code: barcodes[Math.floor(random() * barcodes.length)]! }, { token });
  const cart = (await core.call('cart.get', {}, { token })) as unknown as { cart: { total: number } };
  const s = performance.now();
  const paid = await core.call(
    'cart.pay',
    { tenders: [{ type: 'cash', amount: cart.cart.total + 10_000 }] },
    { token },
  );
  commits.push(performance.now() - s);
  if (!paid.ok) throw new Error(`checkout failed: ${paid.error.code} ${paid.error.message}`);
}

lookupDb.close();
await core.close();

const result = {
  products,
  barcode_lookup_p99_ms: percentile(lookups, 99),
  search_p95_ms: percentile(searches, 95),
  checkout_commit_p99_ms: percentile(commitMs, 99),
  checkout_commit_p50_ms: percentile(commitMs, 50),
  checkout_call_p99_ms: percentile(commits, 99),
  // The sale journal's append + fsync after the commit (part of the call figure).
  sale_journal_fsync_p50_ms: percentile(journalMs, 50),
  sale_journal_fsync_p99_ms: percentile(journalMs, 99),
  scan_to_line_ui_p95_ms: ui.length ? percentile(ui, 95) : null,
  core_rss_mb: rssMb,
  seed_s: Math.round(seedMs / 100) / 10,
  core_open_s: Math.round(loadMs / 100) / 10,
};
console.log(
  `catalog ${products} products; lookups ${lookups.length}, searches ${searches.length}, checkouts ${commits.length}, ui scans ${ui.length}`,
);
console.log(JSON.stringify(result));
