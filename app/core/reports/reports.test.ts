// Store-wide reports against real SQLite replicas: two tills of store S001 sell a generated day
// (seeded random baskets, cash and card, a return, a void, a shift close), each till's ops reach
// the other the way a pull applies them, waste write-offs and door-camera intervals arrive as the
// stock-work and edge-agent writers publish them, and every figure is checked against what was
// actually sold — recomputed here from the sales themselves, not from the report code. Both tills
// must show the same figures.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sale, SalesReport } from '../../contract';
import { HybridClock, OpFactory, type Op } from '../../../sync/core';
import { demoProducts, seededRandom } from '../seed';
import { openTestCore, PINS, type TestCore } from '../test-support';

const NOWHERE = 'http://127.0.0.1:9';
const products = demoProducts();
const bySku = new Map(products.map((p) => [p.sku, p]));
const each = products.filter((p) => p.unit === 'each');
const picks = [each[0]!, each[1]!, each[40]!, each[41]!, each[90]!, each[91]!];
const weighed = products.find((p) => p.unit === 'weighed')!;
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

interface Sold {
  sale: Sale;
  tender: 'cash' | 'card';
}

/** Sells a random basket at `at`; pays card for the exact total or cash with change. */
async function sell(t: TestCore, at: string, pin: string, rnd: () => number, card: boolean): Promise<Sold> {
  t.clock.now = new Date(at);
  const token = await t.login(pin);
  const n = 1 + Math.floor(rnd() * 3);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const p = picks[Math.floor(rnd() * picks.length)]!;
    total = (await t.ok('cart.add', { sku: p.sku, quantity: 1 + Math.floor(rnd() * 3) }, token)).cart.total;
  }
  if (rnd() < 0.3)
    total = (await t.ok('cart.add', { sku: weighed.sku, weightGrams: 250 + Math.floor(rnd() * 900) }, token)).cart
      .total;
  const paid = await t.ok(
    'cart.pay',
    { tenders: [card ? { type: 'card', amount: total, reference: 'A1' } : { type: 'cash', amount: 100_000 }] },
    token,
  );
  return { sale: (await t.ok('sales.get', { id: paid.saleId }, token)).sale, tender: card ? 'card' : 'cash' };
}

/** Local (UTC+8) hour label of an ISO instant. */
const localHour = (iso: string) => `${String((new Date(iso).getUTCHours() + 8) % 24).padStart(2, '0')}:00`;

function sumBy<T>(xs: T[], key: (x: T) => string, value: (x: T) => number): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + value(x));
  return m;
}

const rowsOf = (r: SalesReport, field: 'sales' | 'transactions' | 'returns' | 'entries') =>
  new Map(r.rows.filter((x) => (x[field] ?? 0) !== 0).map((x) => [x.key, x[field] ?? 0]));

async function exchange(a: TestCore, b: TestCore): Promise<void> {
  const ra = a.core.sync!.outbox.storage;
  const rb = b.core.sync!.outbox.storage;
  await rb.apply(await ra.allOps('store:S001'), 'hub');
  await ra.apply(await rb.allOps('store:S001'), 'hub');
}

function stockWorkOps(): { waste(sku: string, qty: number, reason: string, cost: number, at: string): Op } {
  let now = 0;
  const f = new OpFactory(new HybridClock({ nodeId: 'S001_T09', now: () => now }));
  return {
    waste(sku, qty, reason, cost, at) {
      now = Date.parse(at);
      const op = f.move('S001', sku, 'adjust', -qty, `w-${sku}-${at}`);
      return { ...op, b: { ref: `w-${sku}-${at}`, waste: reason, cost, staff: 'staff-manager' } };
    },
  };
}

describe('store-wide reports', () => {
  it('every till shows the same day: by hour, category, product, tender and staff, checked against the sales', async () => {
    const t1 = till('T01');
    const t2 = till('T02');
    const rnd = seededRandom(17);
    const sold: Sold[] = [];
    // 2026-11-28 local 08:00 (00:00Z) onwards, every 25 minutes, alternating tills and cashiers.
    for (let i = 0; i < 20; i++) {
      const at = new Date(Date.parse('2026-11-28T00:00:00Z') + i * 25 * 60_000 + 7_000).toISOString();
      sold.push(await sell(i % 2 ? t2 : t1, at, i % 2 ? PINS.cashier2 : PINS.cashier, rnd, i % 3 === 0));
    }
    // Outside the day: 23:55 local the day before, 00:05 the day after.
    await sell(t1, '2026-11-27T15:55:00Z', PINS.cashier, rnd, false);
    await sell(t2, '2026-11-28T16:05:00Z', PINS.cashier2, rnd, false);

    // A return on T02 at 12:30 local of the first line of the second sale (one item).
    const returned = sold[1]!.sale;
    const rLine = returned.lines[0]!;
    t2.clock.now = new Date('2026-11-28T04:30:00Z');
    const tok2 = await t2.login(PINS.cashier2);
    const ret = await t2.ok(
      'returns.create',
      {
        saleId: returned.id,
        lines: [
          {
            lineId: rLine.lineId,
            ...(rLine.unit === 'weighed' ? { weightGrams: rLine.weightGrams } : { quantity: 1 }),
          },
        ],
        reason: 'damaged',
        managerPin: PINS.manager,
      },
      tok2,
    );
    // A void on T01 at 13:00 local by the cashier, approved by the manager.
    t1.clock.now = new Date('2026-11-28T05:00:00Z');
    const tok1 = await t1.login(PINS.cashier);
    const voided = (await t1.ok('cart.add', { sku: picks[0]!.sku, quantity: 2 }, tok1)).cart.total;
    await t1.ok('cart.void', { reason: 'customer left', managerPin: PINS.manager }, tok1);

    await exchange(t1, t2);
    // Door cameras: 10:00 local quarter with 9 in; waste: two write-offs of T09's stock work.
    const ff = new OpFactory(new HybridClock({ nodeId: 'ES001', now: () => Date.parse('2026-11-28T06:00:00Z') }));
    const sw = stockWorkOps();
    const extra = [
      ff.footfall('S001', 'door1', '2026-11-28T02:00:00.000Z', '2026-11-28T02:15:00.000Z', 9, 4),
      sw.waste(picks[0]!.sku, 3, 'spoiled', 450, '2026-11-28T03:00:00Z'),
      sw.waste(weighed.sku, 800, 'expired', 1_600, '2026-11-28T09:00:00Z'),
      sw.waste(picks[2]!.sku, 1, 'damaged', 999, '2026-11-29T09:00:00Z'), // next day
    ];
    for (const t of [t1, t2]) await t.core.sync!.outbox.storage.apply(extra, 'hub');

    const sales = sold.map((s) => s.sale);
    const lines = sales.flatMap((s) => s.lines.map((l) => ({ sale: s, line: l })));
    const total = sales.reduce((a, s) => a + s.total, 0);

    for (const t of [t1, t2]) {
      t.clock.now = new Date('2026-11-28T14:00:00Z');
      const m = await t.login(PINS.manager);
      const byHour = (await t.ok('reports.sales', { from: '2026-11-28', to: '2026-11-28', groupBy: 'hour' }, m)).report;
      expect(byHour.source).toBe('replica');
      expect(byHour.terminals).toEqual(['T01', 'T02']);
      expect(byHour.rows).toHaveLength(24);
      expect(byHour.totals).toMatchObject({
        transactions: 20,
        sales: total,
        returnsCount: 1,
        returns: ret.return.amount,
        net: total - ret.return.amount,
        averageBasket: Math.round(total / 20),
        voids: 1,
        voidAmount: voided,
        entries: 9,
        cost: null,
        margin: null,
      });
      expect(rowsOf(byHour, 'sales')).toEqual(
        sumBy(
          lines,
          (x) => localHour(x.sale.createdAt),
          (x) => x.line.total,
        ),
      );
      expect(rowsOf(byHour, 'transactions')).toEqual(
        sumBy(
          sales,
          (s) => localHour(s.createdAt),
          () => 1,
        ),
      );
      expect(rowsOf(byHour, 'returns')).toEqual(new Map([['12:00', ret.return.amount]]));
      expect(byHour.rows.find((r) => r.key === '10:00')).toMatchObject({ entries: 9 });

      const byCat = (await t.ok('reports.sales', { from: '2026-11-28', groupBy: 'category' }, m)).report;
      expect(rowsOf(byCat, 'sales')).toEqual(
        sumBy(
          lines,
          (x) => bySku.get(x.line.sku)!.category,
          (x) => x.line.total,
        ),
      );
      expect(byCat.rows.map((r) => r.sales)).toEqual([...byCat.rows.map((r) => r.sales)].sort((a, b) => b - a));

      const byProduct = (await t.ok('reports.sales', { from: '2026-11-28', groupBy: 'product' }, m)).report;
      const expected = sumBy(
        lines,
        (x) => x.line.sku,
        (x) => x.line.total,
      );
      expect(rowsOf(byProduct, 'sales')).toEqual(expected);
      expect(byProduct.rows[0]!.key).toBe([...expected].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0]);
      expect(byProduct.rows.find((r) => r.key === rLine.sku)!.returns).toBe(ret.return.amount);
      const grams = lines.filter((x) => x.line.unit === 'weighed').reduce((a, x) => a + (x.line.weightGrams ?? 0), 0);
      expect(byProduct.totals.weightGrams).toBe(grams);

      const byTender = (await t.ok('reports.sales', { from: '2026-11-28', groupBy: 'tender' }, m)).report;
      expect(rowsOf(byTender, 'sales')).toEqual(
        sumBy(
          sold,
          (s) => s.tender,
          (s) => s.sale.total,
        ),
      );

      const byStaff = (await t.ok('reports.sales', { from: '2026-11-28', groupBy: 'staff' }, m)).report;
      expect(rowsOf(byStaff, 'sales')).toEqual(
        sumBy(
          lines,
          (x) => x.sale.cashier.id,
          (x) => x.line.total,
        ),
      );
      const cashier = sales.find((s) => s.terminalId === 'T01')!.cashier.id;
      expect(byStaff.rows.find((r) => r.key === cashier)).toMatchObject({ voids: 1, voidAmount: voided });

      // Waste of the day at cost, and the trend per day of the range.
      const waste = (await t.ok('reports.waste', { from: '2026-11-28', to: '2026-11-29' }, m)).report;
      expect(waste.byReason.map((r) => [r.key, r.cost])).toEqual([
        ['expired', 1_600],
        ['damaged', 999],
        ['spoiled', 450],
      ]);
      expect(waste.byReason.find((r) => r.key === 'expired')).toMatchObject({
        weightGrams: 800,
        items: 0,
        labelEn: 'Expired',
      });
      expect(waste.totals.cost).toBe(3_049);
      expect(waste.totals.lossRate).toBeNull(); // no product has a cost yet
      expect(waste.days.map((d) => [d.date, d.waste])).toEqual([
        ['2026-11-28', 2_050],
        ['2026-11-29', 999],
      ]);
    }
  });

  it('gross margin and loss rate where cost is known, and Z reports of every till with over/short per cashier', async () => {
    const t1 = till('T01');
    const t2 = till('T02');
    const rnd = seededRandom(5);
    const sold: Sold[] = [];
    for (let i = 0; i < 6; i++)
      sold.push(
        await sell(i % 2 ? t2 : t1, `2026-11-28T0${i + 1}:00:00Z`, i % 2 ? PINS.cashier2 : PINS.cashier, rnd, false),
      );
    // T02's cashier closes short by 50 fen, T01's over by 120.
    const closes = [];
    for (const [t, pin, delta] of [
      [t2, PINS.cashier2, -50],
      [t1, PINS.cashier, 120],
    ] as const) {
      t.clock.now = new Date('2026-11-28T10:00:00Z');
      const tok = await t.login(pin);
      const m = await t.login(PINS.manager);
      const x = (await t.ok('shift.xReport', {}, m)).report;
      closes.push((await t.ok('shift.close', { countedCash: x.expectedCash + delta }, tok)).report);
    }
    await exchange(t1, t2);
    const sw = stockWorkOps();
    await t1.core.sync!.outbox.storage.apply(
      [sw.waste(picks[0]!.sku, 2, 'spoiled', 300, '2026-11-28T08:00:00Z')],
      'hub',
    );

    // Costs are a product field (migration 0010, set by receiving): two products costed.
    const db = new Database(join(t1.dataDir, 'terminal.db'));
    const costs = new Map([
      [picks[0]!.sku, Math.floor(picks[0]!.price * 0.6)],
      [picks[2]!.sku, Math.floor(picks[2]!.price * 0.7)],
    ]);
    for (const [sku, c] of costs) db.prepare('UPDATE products SET cost = ? WHERE sku = ?').run(c, sku);
    db.close();

    t1.clock.now = new Date('2026-11-28T14:00:00Z');
    const m = await t1.login(PINS.manager);
    const r = (await t1.ok('reports.sales', { groupBy: 'product' }, m)).report;
    expect(r.from).toBe('2026-11-28');
    const lines = sold.flatMap((s) => s.sale.lines);
    const costed = lines.filter((l) => costs.has(l.sku));
    const cost = costed.reduce((a, l) => a + costs.get(l.sku)! * l.quantity, 0);
    const costedSales = costed.reduce((a, l) => a + l.total, 0);
    expect(costed.length).toBeGreaterThan(0);
    expect(r.totals.cost).toBe(cost);
    expect(r.totals.margin).toBe(costedSales - cost);
    expect(r.totals.costCoverage).toBeCloseTo(costedSales / lines.reduce((a, l) => a + l.total, 0), 10);
    for (const row of r.rows) expect(row.margin === null).toBe(!costs.has(row.key));

    const waste = (await t1.ok('reports.waste', {}, m)).report;
    expect(waste.totals.salesAtCost).toBe(cost);
    expect(waste.totals.lossRate).toBeCloseTo(300 / cost, 10);

    const z = (await t1.ok('reports.zHistory', { from: '2026-11-28' }, m)).report;
    expect(z.entries.map((e) => e.terminalId).sort()).toEqual(['T01', 'T02']);
    expect(z.entries.map((e) => e.report.overShort).sort()).toEqual([-50, 120]);
    expect(z.entries.find((e) => e.terminalId === 'T02')!.report).toEqual(closes[0]);
    expect(z.byCashier.map((c) => [c.staff?.name, c.shifts, c.overShort])).toEqual([
      [sold[1]!.sale.cashier.name, 1, -50],
      [sold[0]!.sale.cashier.name, 1, 120],
    ]);
  });

  it('with sync off a till reports its own sales; bad ranges are refused; cashiers may not read reports', async () => {
    const t = till('T01', false);
    const rnd = seededRandom(9);
    const sold = [
      await sell(t, '2026-11-28T01:00:00Z', PINS.cashier, rnd, true),
      await sell(t, '2026-11-28T02:30:00Z', PINS.cashier, rnd, false),
    ];
    t.clock.now = new Date('2026-11-28T12:00:00Z');
    const m = await t.login(PINS.manager);
    const r = (await t.ok('reports.sales', { groupBy: 'tender' }, m)).report;
    expect(r.source).toBe('this-till');
    expect(r.totals.transactions).toBe(2);
    expect(rowsOf(r, 'sales')).toEqual(new Map(sold.map((s) => [s.tender, s.sale.total])));
    expect((await t.fail('reports.sales', { from: '2026-11-29', to: '2026-11-28' }, m)).details).toMatchObject({
      reason: 'range-reversed',
    });
    expect((await t.fail('reports.sales', { from: '2024-01-01', to: '2026-11-28' }, m)).details).toMatchObject({
      reason: 'range-too-long',
    });
    expect((await t.fail('reports.sales', { from: '2026-02-30' }, m)).code).toBe('BAD_INPUT');
    expect((await t.fail('reports.sales', {}, await t.login(PINS.cashier))).code).toBe('FORBIDDEN');
  });

  it('exports a report as CSV and as XLSX whose cells hold the figures', async () => {
    const t = till('T01', false);
    const rnd = seededRandom(3);
    const sold = [
      await sell(t, '2026-11-28T01:00:00Z', PINS.cashier, rnd, true),
      await sell(t, '2026-11-28T03:10:00Z', PINS.cashier, rnd, false),
    ];
    t.clock.now = new Date('2026-11-28T12:00:00Z');
    const m = await t.login(PINS.manager);
    const report = (await t.ok('reports.sales', { groupBy: 'category' }, m)).report;

    const csv = (await t.ok('reports.export', { report: 'sales', format: 'csv', groupBy: 'category' }, m)).file;
    expect(csv.fileName).toBe('sales-category_S001_2026-11-28_2026-11-28.csv');
    const text = Buffer.from(csv.base64, 'base64').toString('utf8');
    expect(text.startsWith('\uFEFFcategory,name,name_en,transactions')).toBe(true);
    const rows = text.trim().split('\r\n').slice(1);
    expect(rows).toHaveLength(report.rows.length + 1);
    const first = report.rows[0]!;
    expect(rows[0]!.split(',').slice(0, 4)).toEqual([
      first.key,
      first.label,
      first.labelEn,
      String(first.transactions),
    ]);
    expect(rows[0]!.split(',')[6]).toBe((first.sales / 100).toFixed(2));
    const total = sold.reduce((a, s) => a + s.sale.total, 0);
    expect(rows.at(-1)!.split(',')[6]).toBe((total / 100).toFixed(2));

    const x = (await t.ok('reports.export', { report: 'sales', format: 'xlsx', groupBy: 'category' }, m)).file;
    expect(x.fileName.endsWith('.xlsx')).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(x.base64, 'base64') as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('sales-category')!;
    expect(ws.getRow(1).getCell(1).value).toBe('category');
    expect(ws.getRow(2).getCell(1).value).toBe(first.key);
    expect(ws.getRow(2).getCell(2).value).toBe(first.label);
    expect(ws.getRow(2).getCell(7).value).toBe(first.sales / 100);
    expect(ws.getRow(2).getCell(7).numFmt).toBe('#,##0.00');
    expect(ws.getRow(report.rows.length + 2).getCell(7).value).toBe(total / 100);

    const z = (await t.ok('reports.export', { report: 'zHistory', format: 'xlsx' }, m)).file;
    expect(z.fileName).toMatch(/^z-reports_S001_/);
    const audit = (await t.ok('audit.list', {}, m)).entries.filter((e) => e.action === 'report.export');
    expect(audit.map((e) => e.detail['format'])).toEqual(['xlsx', 'xlsx', 'csv']);
  });
});
