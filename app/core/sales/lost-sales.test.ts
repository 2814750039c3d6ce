// A power cut that damages one frame of the WAL: SQLite's recovery then drops that frame and
// every committed transaction after it, `integrity_check` still says ok, and (before the sale
// journal) the next sale took a number already printed. These tests take the database files
// while the till is running (what the disk holds at a power cut), damage the copy, start a
// till on it and check: the loss is noticed, selling stops with TILL_NEEDS_TECHNICIAN, and
// after a technician's audited acknowledgement no printed number is ever issued again.
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoProducts } from '../seed';
import { makeTempDir, openTestCore, PINS, type TestCore } from '../test-support';
import { formatJournalLine, openSqlite, parseJournal } from '../db';
import { JOURNAL_COMPACT_AFTER } from './index';

const cola = demoProducts().find((p) => p.nameEn === 'Coca-Cola 330ml')!;
const cores: TestCore[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.cleanup();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function ringUpSales(t: TestCore, count: number): Promise<string[]> {
  const token = await t.login();
  const numbers: string[] = [];
  for (let i = 0; i < count; i++) {
    await t.ok('cart.add', { sku: cola.sku }, token);
    numbers.push((await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 10_000 }] }, token)).saleNumber);
    t.clock.advance(60_000);
  }
  return numbers;
}

/** What the disk holds if the power goes now: every file of the data directory, WAL included, unchekpointed. */
function powerCutCopy(dataDir: string): string {
  const copy = makeTempDir('pos-powercut-');
  dirs.push(copy);
  for (const f of ['terminal.db', 'terminal.db-wal', 'terminal.sale-journal']) {
    if (existsSync(join(dataDir, f))) copyFileSync(join(dataDir, f), join(copy, f));
  }
  return copy;
}

function walFrames(walFile: string): number {
  const wal = readFileSync(walFile);
  return Math.floor((wal.length - 32) / (24 + wal.readUInt32BE(8)));
}

/** Flips bytes inside the page of one WAL frame (by default the one halfway through the file). */
function damageMiddleFrame(walFile: string, frame?: number): { frames: number; damaged: number } {
  const wal = readFileSync(walFile);
  const pageSize = wal.readUInt32BE(8);
  const frames = Math.floor((wal.length - 32) / (24 + pageSize));
  const damaged = frame ?? Math.floor(frames / 2);
  const at = 32 + damaged * (24 + pageSize) + 24 + 200;
  for (let i = 0; i < 8; i++) wal[at + i] = wal[at + i]! ^ 0xff;
  writeFileSync(walFile, wal);
  return { frames, damaged };
}

const seqOf = (number: string): number => Number(number.split('-').pop());

describe('sales lost from a damaged WAL (power cut)', () => {
  it('notices the loss, refuses to sell, and after the technician acknowledges never reuses a printed number', async () => {
    const t = openTestCore();
    cores.push(t);
    const printed = await ringUpSales(t, 12);
    const copy = powerCutCopy(t.dataDir);
    const { frames } = damageMiddleFrame(join(copy, 'terminal.db-wal'));
    expect(frames).toBeGreaterThan(20);

    const after = openTestCore({}, copy);
    cores.push(after);
    // The silent part of the defect: SQLite recovered a shorter history and calls it healthy.
    const db = openSqlite(join(copy, 'terminal.db'));
    const kept = (db.prepare('SELECT COUNT(*) AS n FROM sales').get() as { n: number }).n;
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    expect(kept).toBeLessThan(printed.length);

    const cashier = await after.login();
    const status = await after.ok('system.status', {}, cashier);
    expect(status.saleRecords?.state).toBe('needs_technician');
    expect(status.saleRecords?.reason).toBe('wal_damaged');
    expect(status.saleRecords?.journalHighWater).toBe(seqOf(printed.at(-1)!));
    expect(status.saleRecords?.missingSales.length).toBe(printed.length - kept);
    expect(status.saleRecords?.walCopy).toMatch(/terminal\.db-wal\.damaged-/);
    expect((await after.fail('cart.add', { sku: cola.sku }, cashier)).code).toBe('TILL_NEEDS_TECHNICIAN');
    const refused = await after.fail('cart.pay', { tenders: [{ type: 'cash', amount: 10_000 }] }, cashier);
    expect(refused.code).toBe('TILL_NEEDS_TECHNICIAN');
    expect(refused.message).toMatch(/technician/);

    // Only a technician may resume selling, and it is audited.
    expect((await after.fail('system.acknowledgeSaleLoss', { note: 'checked the hub' }, cashier)).code).toBe(
      'FORBIDDEN',
    );
    const tech = await after.login(PINS.technician);
    const ack = await after.ok(
      'system.acknowledgeSaleLoss',
      { note: 'power cut, WAL frame damaged; hub has the sales' },
      tech,
    );
    expect(ack.saleRecords.state).toBe('ok');
    const manager = await after.login(PINS.manager);
    const audit = (await after.ok('audit.list', { limit: 20 }, manager)).entries.find(
      (e) => e.action === 'sale_records.loss_acknowledged',
    );
    expect(audit).toBeTruthy();

    const next = (await ringUpSales(after, 1))[0]!;
    expect(seqOf(next)).toBeGreaterThan(Math.max(...printed.map(seqOf)));
    expect(printed).not.toContain(next);
    expect(ack.nextSaleNumber).toBe(next);

    // The acknowledgement holds across a restart, and numbering stays above the floor.
    after.reopen();
    const again = await after.login();
    expect((await after.ok('system.status', {}, again)).saleRecords?.state).toBe('ok');
    const later = (await ringUpSales(after, 1))[0]!;
    expect(seqOf(later)).toBe(seqOf(next) + 1);
  });

  it('notices sales missing when the WAL is gone altogether (journal ahead of the database)', async () => {
    const t = openTestCore();
    cores.push(t);
    const printed = await ringUpSales(t, 3);
    const copy = powerCutCopy(t.dataDir);
    rmSync(join(copy, 'terminal.db-wal'));
    const after = openTestCore({}, copy);
    cores.push(after);
    const cashier = await after.login();
    const status = (await after.ok('system.status', {}, cashier)).saleRecords!;
    expect(status.state).toBe('needs_technician');
    expect(status.reason).toBe('sales_missing');
    expect(status.missingSales.length).toBe(printed.length);
    expect((await after.fail('cart.pay', { tenders: [{ type: 'cash', amount: 10_000 }] }, cashier)).code).toBe(
      'TILL_NEEDS_TECHNICIAN',
    );
  });

  it('an ordinary restart, or a power cut with an intact WAL, does not stop the till', async () => {
    const t = openTestCore();
    cores.push(t);
    const printed = await ringUpSales(t, 3);
    const copy = powerCutCopy(t.dataDir);
    t.reopen();
    const token = await t.login();
    expect((await t.ok('system.status', {}, token)).saleRecords?.state).toBe('ok');
    const tech = await t.login(PINS.technician);
    expect((await t.fail('system.acknowledgeSaleLoss', { note: 'nothing wrong' }, tech)).code).toBe('CONFLICT');

    const after = openTestCore({}, copy);
    cores.push(after);
    const next = (await ringUpSales(after, 1))[0]!;
    expect(seqOf(next)).toBe(seqOf(printed.at(-1)!) + 1);
  });

  it('damage that lost no sale (only later cart edits) still stops the till, across restarts, until acknowledged', async () => {
    const t = openTestCore();
    cores.push(t);
    await ringUpSales(t, 2);
    const token = await t.login();
    const framesAfterSales = walFrames(join(t.dataDir, 'terminal.db-wal'));
    for (let i = 0; i < 4; i++) await t.ok('cart.add', { sku: cola.sku }, token);
    const copy = powerCutCopy(t.dataDir);
    damageMiddleFrame(join(copy, 'terminal.db-wal'), framesAfterSales);

    const after = openTestCore({}, copy);
    cores.push(after);
    const cashier = await after.login();
    const first = (await after.ok('system.status', {}, cashier)).saleRecords!;
    expect(first).toMatchObject({ state: 'needs_technician', reason: 'wal_damaged', missingSales: [] });
    // The WAL was emptied once seen; the finding lives on in the journal.
    after.reopen();
    const again = await after.login();
    expect((await after.ok('system.status', {}, again)).saleRecords).toMatchObject({
      state: 'needs_technician',
      reason: 'wal_damaged',
      walCopy: first.walCopy,
    });
    const tech = await after.login(PINS.technician);
    await after.ok('system.acknowledgeSaleLoss', { note: 'cart edits lost, no sales' }, tech);
    after.reopen();
    const third = await after.login();
    expect((await after.ok('system.status', {}, third)).saleRecords?.state).toBe('ok');
  });

  it('a journal that cannot be written keeps the paid sale but stops the next one', async () => {
    const t = openTestCore();
    cores.push(t);
    t.reopen(); // the journal exists now and is opened again at the first sale
    const journal = join(t.dataDir, 'terminal.sale-journal');
    rmSync(journal);
    mkdirSync(journal); // appending to it now fails, like a full or read-only disk
    const [paid] = await ringUpSales(t, 1);
    expect(paid).toBeTruthy();
    const token = await t.login();
    expect((await t.ok('system.status', {}, token)).saleRecords).toMatchObject({
      state: 'needs_technician',
      reason: 'journal_unwritable',
    });
    expect((await t.fail('cart.add', { sku: cola.sku }, token)).code).toBe('TILL_NEEDS_TECHNICIAN');
  });

  it('a long journal is folded into one mark at a healthy start, keeping its high-water mark', async () => {
    const t = openTestCore();
    cores.push(t);
    const [first] = await ringUpSales(t, 1);
    const journal = join(t.dataDir, 'terminal.sale-journal');
    const at = t.clock.now.toISOString();
    let text = readFileSync(journal, 'utf8');
    for (let i = 0; i <= JOURNAL_COMPACT_AFTER; i++)
      text += formatJournalLine({ k: 'mark', floor: 40, why: 'start', at });
    writeFileSync(journal, text);
    t.reopen();
    expect(parseJournal(readFileSync(journal, 'utf8'))).toMatchObject({
      records: 1,
      highWater: 40,
      lastMark: { why: 'compact', floor: 40 },
    });
    const token = await t.login();
    expect((await t.ok('system.status', {}, token)).saleRecords?.state).toBe('ok');
    expect(seqOf((await ringUpSales(t, 1))[0]!)).toBe(41);
    expect(seqOf(first!)).toBe(1);
  });

  it('a journal that cannot even be read at start-up still lets the till open, without selling', async () => {
    const t = openTestCore();
    cores.push(t);
    const journal = join(t.dataDir, 'terminal.sale-journal');
    rmSync(journal);
    mkdirSync(journal);
    t.reopen();
    const token = await t.login();
    expect((await t.ok('system.status', {}, token)).saleRecords).toMatchObject({
      state: 'needs_technician',
      reason: 'journal_unwritable',
    });
    expect((await t.fail('cart.add', { sku: cola.sku }, token)).code).toBe('TILL_NEEDS_TECHNICIAN');
  });
});
