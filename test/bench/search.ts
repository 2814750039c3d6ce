// `npm run bench -- search`: builds the product search index over 100,000 generated products
// and times pinyin key generation, index build and a mixed set of cashier queries.
// Prints one JSON object on its last line.
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  createProductSearchIndex,
  pinyinKeys,
  type ProductSearchIndex,
  type SearchableProduct,
} from '../../app/core/search';
import { generateCatalog, seededRandom } from './fixtures/food-catalog';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const round = (n: number) => Math.round(n * 1000) / 1000;

const COUNT = 100_000;
const catalog = generateCatalog(COUNT);

// Pinyin keys are computed once per product and stored (the core keeps them in SQLite).
let t = performance.now();
const withKeys: SearchableProduct[] = catalog.map((p) => {
  const k = pinyinKeys(p.name);
  return { ...p, fullPinyin: k.full, initials: k.initials };
});
const pinyinMs = performance.now() - t;

t = performance.now();
const buildCpu = process.cpuUsage();
let index: ProductSearchIndex | null = createProductSearchIndex(withKeys);
const buildMs = performance.now() - t;
const buildCpuMs = process.cpuUsage(buildCpu).user / 1000;
const keepSample = withKeys.slice(0, 2000);
withKeys.length = 0;
catalog.length = 0;
gc();
const heapWithIndex = process.memoryUsage().heapUsed;
const stats = index.stats();

// Cashier-like queries: Chinese words, pinyin (prefix/full/spaced), initials, English, SKU,
// barcode prefix, single characters, typos and misses.
const fixed = [
  '牛奶',
  '有机牛奶',
  '伊利',
  '苹果',
  '红富士',
  '大米5kg',
  '三文鱼',
  '酱油',
  'niunai',
  'youji',
  'youjiniunai',
  'you ji niu nai',
  'yjnn',
  'ymn',
  'yl',
  'nfsq',
  'milk',
  'organic mi',
  'fuji apple',
  'Soy',
  'SKU0123',
  'SKU09999',
  '6901',
  '69123',
  'n',
  '牛',
  'a',
  'zzzz',
  '榴莲',
  'xhs',
];
const rnd = seededRandom(7);
const queries: string[] = [];
for (let i = 0; i < 3000; i++) {
  if (i % 3 === 0) queries.push(fixed[i % fixed.length]!);
  else {
    const p = keepSample[Math.floor(rnd() * keepSample.length)]!;
    const kind = Math.floor(rnd() * 6);
    const cut = (s: string) => s.slice(0, 2 + Math.floor(rnd() * Math.max(1, s.length - 1)));
    queries.push(
      kind === 0
        ? cut(p.name)
        : kind === 1
          ? cut(p.fullPinyin!)
          : kind === 2
            ? cut(p.initials!)
            : kind === 3
              ? cut(p.nameEn.toLowerCase())
              : kind === 4
                ? p.barcodes![0]!.slice(0, 7)
                : p.sku,
    );
  }
}
// Wall time suffers when other processes share the 2 cores; CPU time per query shows the work itself.
const times: number[] = [];
const cpuTimes: number[] = [];
const cpu = process.cpuUsage();
for (const q of queries) {
  const c = process.cpuUsage();
  const s = performance.now();
  index.search(q, 20);
  times.push(performance.now() - s);
  const used = process.cpuUsage(c);
  cpuTimes.push((used.user + used.system) / 1000);
}
const cpuMsPerQuery = process.cpuUsage(cpu).user / 1000 / queries.length;
const rss = process.memoryUsage().rss;
const samples = { 有机牛奶: index.search('有机牛奶', 3), ymn: index.search('ymn', 3), milk: index.search('milk', 3) };

// What the index itself holds: JS heap (column strings, SKU map) plus typed-array backing stores.
index = null;
gc();
const heapIndex = heapWithIndex - process.memoryUsage().heapUsed;
const externalIndex = stats.typedArrayBytes;

console.log(
  `${COUNT} products; index heap ${mb(heapIndex)} MB + typed arrays ${mb(externalIndex)} MB; rss ${mb(rss)} MB; ${queries.length} queries, ${round(cpuMsPerQuery)} ms CPU each; load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
console.log('sample:', JSON.stringify(samples));
console.log(
  JSON.stringify({
    products: COUNT,
    index_build_ms: Math.round(buildMs),
    search_p50_ms: round(pct(times, 50)),
    search_p95_ms: round(pct(times, 95)),
    search_p99_ms: round(pct(times, 99)),
    search_max_ms: round(Math.max(...times)),
    pinyin_keys_per_s: Math.round(COUNT / (pinyinMs / 1000)),
    search_cpu_p95_ms: round(pct(cpuTimes, 95)),
    search_cpu_mean_ms: round(cpuMsPerQuery),
    index_build_cpu_ms: Math.round(buildCpuMs),
    heap_mb: mb(heapIndex + externalIndex),
    rss_mb: mb(rss),
  }),
);
