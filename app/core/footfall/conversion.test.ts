// footfall.conversion against real SQLite replicas: two terminals of store S001 sell (with sync
// attached, outbox only: the peer URL refuses connections), the second terminal's ops and an edge
// agent's footfall interval ops from two cameras are applied to the first terminal's replica the
// way a pull would apply them, and the manager's report is checked hour by hour.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { HybridClock, OpFactory } from '../../../sync/core';
import { demoProducts } from '../seed';
import { openTestCore, PINS, type TestCore } from '../test-support';
import { storeDay, withoutCovered, zoneOffsetMinutes, conversionRate, uuidV7Keys } from '../footfall-math';

const NOWHERE = 'http://127.0.0.1:9';
const cola = demoProducts().find((p) => p.nameEn === 'Coca-Cola 330ml')!;
const opened: TestCore[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) {
    await t.core.close();
    rmSync(t.dataDir, { recursive: true, force: true });
  }
});

function till(terminalId: string, syncOn = true): TestCore {
  const t = openTestCore({
    storeId: 'S001',
    terminalId,
    ...(syncOn ? { sync: { cloudUrl: NOWHERE, enrollCode: 'DEMO-S001-2026', intervalMs: 600_000 } } : {}),
  });
  opened.push(t);
  return t;
}

/** One sale of `qty` cans at instant `at` (the till's clock), returns the sale id. */
async function sellAt(t: TestCore, at: string, qty = 1): Promise<string> {
  t.clock.now = new Date(at);
  const token = await t.login(PINS.cashier);
  await t.ok('cart.add', { sku: cola.sku, quantity: qty }, token);
  const paid = await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 100_000 }] }, token);
  return paid.saleId;
}

/** The edge agent's `ff` ops (its own node and clock), stamped in call order. */
function agentOps() {
  let now = Date.parse('2026-11-28T06:00:00Z');
  const f = new OpFactory(new HybridClock({ nodeId: 'ES001', now: () => now }));
  return (camera: string, start: string, minutes: number, inCount: number, outCount: number) => {
    now += 5;
    const s = Date.parse(start);
    return f.footfall(
      'S001',
      camera,
      new Date(s).toISOString(),
      new Date(s + minutes * 60_000).toISOString(),
      inCount,
      outCount,
    );
  };
}

describe('footfall.conversion', () => {
  it("sums both cameras per local hour, counts every terminal's sales once, never a return, and keeps the day boundary", async () => {
    const t1 = till('T01');
    const t2 = till('T02');
    // Shanghai is UTC+8: 15:50Z on the 27th is 23:50 local on the 27th; 16:10Z is 00:10 on the 28th.
    await sellAt(t2, '2026-11-27T15:50:00Z');
    await sellAt(t2, '2026-11-27T16:10:00Z');
    const mine = await sellAt(t1, '2026-11-28T01:30:00Z', 2); // 09:30
    const theirs = await sellAt(t2, '2026-11-28T01:40:00Z'); // 09:40
    await sellAt(t2, '2026-11-28T02:05:00Z'); // 10:05
    // A return on T02 at 10:20 is not a transaction.
    t2.clock.now = new Date('2026-11-28T02:20:00Z');
    const token2 = await t2.login(PINS.cashier);
    const sale = (await t2.ok('sales.get', { id: theirs }, token2)).sale;
    await t2.ok(
      'returns.create',
      {
        saleId: theirs,
        lines: [{ lineId: sale.lines[0]!.lineId, quantity: 1 }],
        reason: '破损',
        managerPin: PINS.manager,
      },
      token2,
    );

    const replica = t1.core.sync!.outbox.storage;
    // T02's ops reach T01 (twice: re-delivery is harmless), T01's own sale fact is already there.
    const fromT2 = await t2.core.sync!.outbox.storage.allOps('store:S001');
    expect(fromT2.some((o) => o.t === 'fact' && o.e === 'return')).toBe(true);
    await replica.apply(fromT2, 'hub');
    await replica.apply(fromT2.slice(0, 5), 'cloud');

    const ff = agentOps();
    await replica.apply(
      [
        // 09:00–10:00 local = 01:00Z–02:00Z. door1 quarters 3+1+2+4, then the last quarter re-sent grown to 6.
        ff('door1', '2026-11-28T01:00:00Z', 15, 3, 0),
        ff('door1', '2026-11-28T01:15:00Z', 15, 1, 1),
        ff('door1', '2026-11-28T01:30:00Z', 15, 2, 0),
        ff('door1', '2026-11-28T01:45:00Z', 15, 4, 2),
        ff('door2', '2026-11-28T01:15:00Z', 15, 2, 1),
        // 10:00 local: a quarter, then an hour fact for the same camera and start (they share the
        // LWW key, the later hour wins) and two more quarters inside that hour: the hour covers them.
        ff('door1', '2026-11-28T02:00:00Z', 15, 5, 0),
        ff('door1', '2026-11-28T02:00:00Z', 60, 20, 9),
        ff('door1', '2026-11-28T02:15:00Z', 15, 5, 3),
        ff('door1', '2026-11-28T02:30:00Z', 15, 5, 3),
        // day boundary: 23:45 on the 27th, 00:00 on the 28th
        ff('door1', '2026-11-27T15:45:00Z', 15, 7, 7),
        ff('door2', '2026-11-27T16:00:00Z', 15, 1, 0),
        // newest interval held: 13:00–13:15 local
        ff('door2', '2026-11-28T05:00:00Z', 15, 0, 0),
      ],
      'hub',
    );
    await replica.apply([ff('door1', '2026-11-28T01:45:00Z', 15, 6, 2)], 'hub');

    t1.clock.now = new Date('2026-11-28T06:00:00Z');
    const manager = await t1.login(PINS.manager);
    const { report } = await t1.ok('footfall.conversion', { date: '2026-11-28' }, manager);
    expect(report).toMatchObject({
      storeId: 'S001',
      date: '2026-11-28',
      timeZone: 'Asia/Shanghai',
      cameras: ['door1', 'door2'],
      footfallAsOf: '2026-11-28T05:15:00.000Z',
    });
    expect(report.hours).toHaveLength(24);
    expect(report.hours[0]).toEqual({
      start: '2026-11-27T16:00:00.000Z',
      label: '00:00',
      entries: 1,
      exits: 0,
      transactions: 1,
      conversion: 1,
    });
    // 09:00: door1 3+1+2+6 + door2 2 = 14 in; T01's sale and T02's sale = 2 transactions.
    expect(report.hours[9]).toEqual({
      start: '2026-11-28T01:00:00.000Z',
      label: '09:00',
      entries: 14,
      exits: 4,
      transactions: 2,
      conversion: conversionRate(2, 14),
    });
    // 10:00: the hour fact alone (20), not 20 + 5 + 5; the 10:20 return is not a transaction.
    expect(report.hours[10]).toMatchObject({
      label: '10:00',
      entries: 20,
      exits: 9,
      transactions: 1,
      conversion: 0.05,
    });
    expect(report.hours[13]).toMatchObject({ entries: 0, transactions: 0, conversion: null });
    expect(report.totals).toEqual({ entries: 35, exits: 13, transactions: 4, conversion: conversionRate(4, 35) });
    expect(report.hours.reduce((a, h) => a + h.transactions, 0)).toBe(report.totals.transactions);
    expect(mine).not.toBe(theirs);

    // The 27th: 23:45 footfall and the 23:50 sale land in hour 23 of the previous day.
    const prev = (await t1.ok('footfall.conversion', { date: '2026-11-27' }, manager)).report;
    expect(prev.hours[23]).toMatchObject({ label: '23:00', entries: 7, exits: 7, transactions: 1 });
    expect(prev.totals).toMatchObject({ entries: 7, transactions: 1 });
    // No date = today in store time (06:00Z is 14:00 on the 28th in Shanghai).
    expect((await t1.ok('footfall.conversion', {}, manager)).report.date).toBe('2026-11-28');

    // Roles and bad input.
    const cashier = await t1.login(PINS.cashier);
    expect((await t1.fail('footfall.conversion', { date: '2026-11-28' }, cashier)).code).toBe('FORBIDDEN');
    const bad = await t1.fail('footfall.conversion', { date: '2026-02-30' }, manager);
    expect(bad.code).toBe('BAD_INPUT');
    expect(bad).toMatchObject({ code: 'BAD_INPUT', details: { reason: 'bad-date' } });
    expect(bad.message).toMatch(/Invalid date/);
    expect((await t1.fail('footfall.conversion', { date: '28/11/2026' }, manager)).code).toBe('BAD_INPUT');
  });

  it('uses the time zone a technician sets with config.set; a bad zone is refused', async () => {
    const t1 = till('T01');
    await sellAt(t1, '2026-11-28T01:30:00Z');
    const tech = await t1.login(PINS.technician);
    expect((await t1.fail('config.set', { patch: { timeZone: 'Mars/Olympus' } }, tech)).code).toBe('BAD_INPUT');
    expect((await t1.ok('config.set', { patch: { timeZone: 'Europe/London' } }, tech)).config.timeZone).toBe(
      'Europe/London',
    );
    const manager = await t1.login(PINS.manager);
    const { report } = await t1.ok('footfall.conversion', { date: '2026-11-28' }, manager);
    expect(report.timeZone).toBe('Europe/London');
    expect(report.hours[1]).toMatchObject({ start: '2026-11-28T01:00:00.000Z', label: '01:00', transactions: 1 });
  });

  it('falls back to Asia/Shanghai when a mirrored config carries an unknown zone', async () => {
    const t1 = till('T01');
    await sellAt(t1, '2026-11-28T01:30:00Z');
    const db = new Database(join(t1.dataDir, 'terminal.db'));
    try {
      const row = db.prepare("SELECT value FROM kv WHERE key = 'till-config'").get() as { value: string } | undefined;
      const cfg = { ...(row ? (JSON.parse(row.value) as object) : {}), timeZone: 'Mars/Olympus' };
      db.prepare(
        "INSERT INTO kv (key, value, updated_at) VALUES ('till-config', ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      ).run(JSON.stringify(cfg), new Date().toISOString());
    } finally {
      db.close();
    }
    const manager = await t1.login(PINS.manager);
    const { report } = await t1.ok('footfall.conversion', { date: '2026-11-28' }, manager);
    expect(report.timeZone).toBe('Asia/Shanghai');
    expect(report.hours[9]).toMatchObject({ label: '09:00', transactions: 1 });
  });

  it("with sync off: this till's own sales only, no footfall, entries 0 and conversion null", async () => {
    const t = till('T01', false);
    await sellAt(t, '2026-11-28T03:10:00Z');
    await sellAt(t, '2026-11-28T03:50:00Z');
    t.clock.now = new Date('2026-11-28T04:00:00Z');
    const manager = await t.login(PINS.manager);
    const { report } = await t.ok('footfall.conversion', { date: '2026-11-28' }, manager);
    expect(report.footfallAsOf).toBeNull();
    expect(report.cameras).toEqual([]);
    expect(report.hours[11]).toMatchObject({ label: '11:00', entries: 0, transactions: 2, conversion: null });
    expect(report.totals).toEqual({ entries: 0, exits: 0, transactions: 2, conversion: null });
  });
});

describe('conversion math', () => {
  it('store days across DST changes and half-hour zones', () => {
    expect(storeDay('Asia/Shanghai', '2026-11-28').hours.map((h) => h.label)).toEqual(
      Array.from({ length: 24 }, (_, i) => `${String(i).padStart(2, '0')}:00`),
    );
    expect(storeDay('Europe/Berlin', '2026-03-29').hours).toHaveLength(23);
    expect(storeDay('Europe/Berlin', '2026-10-25').hours).toHaveLength(25);
    expect(storeDay('Asia/Kolkata', '2026-11-28').start).toBe(Date.parse('2026-11-27T18:30:00Z'));
    expect(storeDay({ offsetMinutes: 480 }, '2026-11-28').start).toBe(Date.parse('2026-11-27T16:00:00Z'));
    expect(zoneOffsetMinutes('America/New_York', Date.parse('2026-07-01T12:00:00Z'))).toBe(-240);
    expect(() => storeDay('Asia/Shanghai', '2026-13-01')).toThrow(RangeError);
  });

  it('an interval inside a longer one of the same camera is dropped, other cameras are kept', () => {
    const h = Date.parse('2026-11-28T02:00:00Z');
    const q = 15 * 60_000;
    const kept = withoutCovered([
      { camera: 'a', start: h + q, end: h + 2 * q, in: 5, out: 0 },
      { camera: 'a', start: h, end: h + 4 * q, in: 20, out: 0 },
      { camera: 'b', start: h + q, end: h + 2 * q, in: 1, out: 0 },
      { camera: 'a', start: h + 4 * q, end: h + 5 * q, in: 2, out: 0 },
    ]);
    expect(kept.map((i) => [i.camera, i.in])).toEqual([
      ['a', 20],
      ['b', 1],
      ['a', 2],
    ]);
  });

  it('uuid v7 keys from a day before the start to a week after the end', () => {
    const from = Date.UTC(2026, 10, 28);
    const r = uuidV7Keys(from, from + 86_400_000);
    const key = (ms: number) => {
      const h = ms.toString(16).padStart(12, '0');
      return `${h.slice(0, 8)}-${h.slice(8)}`;
    };
    expect(r).toEqual({ fromKey: key(from - 86_400_000), toKey: key(from + 8 * 86_400_000) });
    expect(r.fromKey < `${key(from)}-7000-8000-000000000000` && `${key(from)}-7000-8000-000000000000` < r.toKey).toBe(
      true,
    );
  });
});
