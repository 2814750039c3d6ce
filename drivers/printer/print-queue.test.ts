// Print queue against the printer emulator over real TCP sockets on 127.0.0.1, decoded back.
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Reconnector } from '../device';
import { encodeReceipt, sampleReceipt } from '../escpos';
import { PrinterEmulator } from '../emulators';
import { createDeviceTables, PrintJobStore } from '../storage';
import { TcpTransport } from '../transports';
import { PrintQueue } from './print-queue';
import { ReceiptPrinter, type PrinterStatusEvent } from './receipt-printer';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(sim?: (e: PrinterEmulator) => void) {
  const emu = new PrinterEmulator({ port: 0 });
  await emu.start();
  sim?.(emu);
  const db = new Database(join(mkdtempSync(join(tmpdir(), 'pos-q-')), 'till.db'));
  createDeviceTables(db);
  const store = new PrintJobStore(db);
  const printer = new ReceiptPrinter('p1', new TcpTransport(emu.uri!, '127.0.0.1', emu.port!), {
    pollMs: 100,
    statusTimeoutMs: 500,
  });
  const statuses: PrinterStatusEvent[] = [];
  printer.on('statusUpdate', (s) => statuses.push(s));
  const link = new Reconnector(printer, 'test', { minMs: 50, maxMs: 200 });
  const queue = new PrintQueue(store, 'p1', printer, link, { idleMs: 50 });
  link.start();
  queue.start();
  cleanups.push(async () => {
    await queue.stop();
    await link.stop();
    await emu.stop();
    db.close();
  });
  return { emu, store, queue, statuses, printer };
}

function enqueue(store: PrintJobStore, queue: PrintQueue, sale: string, reprint = false) {
  const { job } = store.enqueue({
    printerId: 'p1',
    kind: 'receipt',
    saleId: sale,
    reprint,
    jobKey: reprint ? null : `receipt:${sale}`,
    payload: encodeReceipt(sampleReceipt({ lines: 12, saleNumber: sale }), { width: 80, reprint }),
  });
  queue.wake();
  return job.id;
}

const until = async (cond: () => boolean, ms = 8000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('print queue over TCP to the emulator', () => {
  it('prints a receipt once, decoded back, and marks it done only after the acknowledgement', async () => {
    const { emu, store, queue } = await setup();
    const id = enqueue(store, queue, 'S-1');
    await until(() => store.get(id)?.state === 'done');
    expect(emu.receipts).toHaveLength(1);
    expect(emu.receipts[0]!.text).toContain('单号 No. S-1');
    expect(emu.receipts[0]!.qr).toEqual(['S-1']);
    // Idempotent per sale: the same original is not queued twice.
    expect(enqueue(store, queue, 'S-1')).toBe(id);
    await new Promise((r) => setTimeout(r, 200));
    expect(emu.receipts).toHaveLength(1);
  });

  it('printer unplugged mid-job, then back: the job completes exactly once', async () => {
    const { emu, store, queue } = await setup((e) => e.simulate({ unplugAfterLines: 5, unplugForMs: 400 }));
    const id = enqueue(store, queue, 'S-2');
    await until(() => store.get(id)?.state === 'done');
    expect(emu.partialReceipts).toHaveLength(1);
    expect(emu.receipts.filter((r) => r.text.includes('S-2'))).toHaveLength(1);
    expect(store.get(id)!.attempts).toBe(2);
  });

  it('paper out before the job, then refill: prints once, nothing sent while out', async () => {
    const { emu, store, queue, statuses } = await setup((e) => e.setStatus({ paperOut: true }));
    const id = enqueue(store, queue, 'S-3');
    await until(() => statuses.some((s) => s.status === 'paper_out'));
    await new Promise((r) => setTimeout(r, 300));
    expect(store.get(id)!.state).toBe('queued');
    expect(emu.receipts).toHaveLength(0);
    emu.setStatus({ paperOut: false });
    await until(() => store.get(id)?.state === 'done');
    expect(emu.receipts).toHaveLength(1);
    expect(store.get(id)!.attempts).toBe(1);
  });

  it('paper runs out mid-receipt, then refill: the rest prints, no duplicate', async () => {
    const { emu, store, queue, statuses } = await setup((e) => e.simulate({ paperOutAfterLines: 6 }));
    const id = enqueue(store, queue, 'S-4');
    await until(() => statuses.some((s) => s.status === 'paper_out'));
    expect(store.get(id)!.state).toBe('sending');
    emu.setStatus({ paperOut: false });
    await until(() => store.get(id)?.state === 'done');
    expect(emu.receipts).toHaveLength(1);
    expect(emu.receipts[0]!.text).toContain('谢谢惠顾');
    expect(store.get(id)!.attempts).toBe(1);
  });

  it('cover opens mid-receipt: a status event with a plain message, then completes once', async () => {
    const { emu, store, queue, statuses } = await setup((e) => e.simulate({ coverOpenAfterLines: 4 }));
    const id = enqueue(store, queue, 'S-5');
    await until(() => statuses.some((s) => s.status === 'cover_open'));
    const ev = statuses.find((s) => s.status === 'cover_open')!;
    expect(ev.message).toBe('Printer cover is open. Close the cover to continue.');
    emu.setStatus({ coverOpen: false });
    await until(() => store.get(id)?.state === 'done');
    expect(emu.receipts).toHaveLength(1);
    expect(statuses.map((s) => s.status).join(',')).toMatch(/cover_open.*ok$/);
  });

  it('reprints are new jobs, marked REPRINT on paper and audited', async () => {
    const { emu, store, queue } = await setup();
    const a = enqueue(store, queue, 'S-6');
    const b = enqueue(store, queue, 'S-6', true);
    expect(b).not.toBe(a);
    await until(() => store.get(b)?.state === 'done' && store.get(a)?.state === 'done');
    expect(emu.receipts.map((r) => r.text.includes('REPRINT'))).toEqual([false, true]);
    expect(store.auditFor('S-6').map((x) => x.action)).toEqual(['reprint', 'printed', 'printed']);
  });
});
