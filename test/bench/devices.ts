// Device layer benchmark: `npm run bench -- devices`. Last line is one JSON object:
//   receipt_encode_ms       median time to encode a 60-line Chinese receipt to ESC/POS (80 mm, GB18030)
//   print_queue_jobs_per_s  durable queue -> printer emulator over TCP on 127.0.0.1, acknowledged jobs per second
//   scan_event_latency_ms   median time from serial bytes written on a PTY to the parsed scan event
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BarcodeScanner,
  createDeviceHub,
  createPtyPair,
  createTransport,
  encodeReceipt,
  PrinterEmulator,
  sampleReceipt,
  SerialScannerEmulator,
} from '../../drivers';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

// 1. Receipt encoding
const doc = sampleReceipt({ lines: 60 });
const tCold = performance.now();
encodeReceipt(doc, { width: 80 });
const coldMs = round(performance.now() - tCold);
// Warm up like a till that has rung up a few sales, then measure the steady state.
for (let i = 0; i < 30; i++) encodeReceipt(doc, { width: 80 });
const encodeTimes: number[] = [];
for (let i = 0; i < 100; i++) {
  const t = performance.now();
  encodeReceipt(doc, { width: 80, encoding: 'gb18030' });
  encodeTimes.push(performance.now() - t);
}
const receipt_encode_ms = round(median(encodeTimes));
console.log(
  `receipt encode (60 lines, GB18030): median ${receipt_encode_ms} ms, p90 ${round([...encodeTimes].sort((a, b) => a - b)[90]!)} ms, first (cold) ${coldMs} ms`,
);

// 2. Print queue throughput to the emulator over TCP
const emu = new PrinterEmulator({ port: 0 });
await emu.start();
const db = new Database(join(mkdtempSync(join(tmpdir(), 'pos-bench-')), 'till.db'));
db.pragma('journal_mode = WAL');
const hub = createDeviceHub({
  db,
  logger: { info() {}, warn() {}, error() {} },
  config: { terminalId: 'B1', devices: [{ deviceId: 'p', kind: 'printer', uri: emu.uri! }] },
});
await hub.start();
const JOBS = 100;
const small = sampleReceipt({ lines: 8 });
let done = 0;
hub.on('printed', () => {
  done++;
});
const t0 = performance.now();
for (let i = 0; i < JOBS; i++) hub.printReceipt(small, { saleId: `bench-${i}` });
while (done < JOBS) await new Promise((r) => setTimeout(r, 5));
const elapsed = (performance.now() - t0) / 1000;
const print_queue_jobs_per_s = round(JOBS / elapsed, 1);
console.log(`print queue: ${JOBS} jobs acknowledged in ${round(elapsed)} s (${emu.receipts.length} receipts decoded)`);
await hub.stop();
await emu.stop();
db.close();

// 3. Scan event latency over a PTY pair
const pty = await createPtyPair();
const scanEmu = new SerialScannerEmulator(pty.a);
await scanEmu.open();
const scanner = new BarcodeScanner('s', createTransport(`serial:${pty.b}?baud=115200`), { protocol: 'serial' });
await scanner.start('bench');
const lat: number[] = [];
for (let i = 0; i < 60; i++) {
  const got = new Promise<number>((resolve) => scanner.once('data', () => resolve(performance.now())));
  const t = performance.now();
  await scanEmu.scan(`690123456789${i % 10}`, ']E0');
  lat.push((await got) - t);
}
await scanner.close();
await scanEmu.close();
await pty.close();
const scan_event_latency_ms = round(median(lat.slice(10)));
console.log(`scan latency (PTY bytes -> scan event): median ${scan_event_latency_ms} ms`);

console.log(JSON.stringify({ receipt_encode_ms, print_queue_jobs_per_s, scan_event_latency_ms }));
