// `npm run bench -- barcode`: parses a deterministic mix of what scanners send at a till
// (EAN-13/8, UPC-A/E, scale labels, GS1-128, DataMatrix, Digital Link, garbage) and reports
// per-parse latency and throughput. Prints one JSON object on its last line.
import { loadavg } from 'node:os';
import { gs1CheckDigit, parseBarcode } from '../../app/core/barcode';
import { seededRandom } from './fixtures/food-catalog';

const rnd = seededRandom(42);
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
const withCheck = (d: string) => d + gs1CheckDigit(d);
const GS = '\u001d';

const makers: (() => string)[] = [
  () => withCheck('69' + digits(10)) + '\r\n', // EAN-13 with CR/LF suffix
  () => withCheck('69' + digits(10)),
  () => withCheck(digits(7)), // EAN-8 (or UPC-E)
  () => withCheck('0' + digits(10)), // UPC-A
  () => withCheck(`2${Math.floor(rnd() * 10)}${digits(10)}`), // scale label
  () => `]C101${withCheck('0952' + digits(9))}17${'26'}${'12'}${'31'}10LOT${digits(3)}${GS}21${digits(8)}`,
  () => `]d201${withCheck('0952' + digits(9))}3103${digits(6)}3922${digits(4)}`,
  () => `(01)${withCheck('0952' + digits(9))}(17)270228(10)B${digits(4)}`,
  () => `https://id.example.com/01/${withCheck('0952' + digits(9))}/10/AB${digits(2)}?17=261231`,
  () => withCheck('69' + digits(10)).slice(0, 12) + 'X', // garbage
  () => digits(Math.floor(rnd() * 20)), // random digits
];
const codes = Array.from({ length: 20_000 }, (_, i) => makers[i % makers.length]!());

// Warm up the JIT, then time each parse.
for (const c of codes) parseBarcode(c);
const times: number[] = [];
let ok = 0;
const start = performance.now();
for (let round = 0; round < 5; round++) {
  for (const c of codes) {
    const s = performance.now();
    const r = parseBarcode(c);
    times.push(performance.now() - s);
    if (r.ok) ok++;
  }
}
const totalMs = performance.now() - start;
times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!;
console.log(
  `${times.length} parses (${Math.round((ok / times.length) * 100)}% valid); load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
console.log(
  JSON.stringify({
    parses: times.length,
    barcode_parse_p50_ms: Math.round(pct(50) * 10000) / 10000,
    barcode_parse_p99_ms: Math.round(pct(99) * 10000) / 10000,
    parses_per_s: Math.round(times.length / (totalMs / 1000)),
  }),
);
