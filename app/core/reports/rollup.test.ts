// The per-day sales rollup must give exactly the reports that reading every sale fact gives.
// A store's replica on real SQLite: two tills sell through the core (cash, card, a weighed line,
// a return, a void), a third till's generated sales of six days arrive by pull (several lines
// of one product, two tenders of one kind, a product missing from the catalog, a sale with no
// lines), with costs on products (a weighed one, so grams are costed). Every report (sales by
// hour, category, product, tender and staff; waste) is read with the rollup and again, on the
// same database, with `reportRollups: false` from the facts — and must be equal, also after a
// late fact for a past day, ops delivered twice, a second op for the same sale, a rolled-back
// apply, a rebuild from scratch, a product moved to another category and a new time zone.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { HybridClock, OpFactory, type Op } from '../../../sync/core';
import { demoProducts, seededRandom } from '../seed';
import { openTestCore, PINS, type TestCore } from '../test-support';

const NOWHERE = 'http://127.0.0.1:9';
const SYNC = { cloudUrl: NOWHERE, enrollCode: 'DEMO-S001-2026', intervalMs: 600_000 };
const NOW = new Date('2026-11-28T12:00:00Z'); // 20:00 in Shanghai
const products = demoProducts();
const each = products.filter((p) => p.unit === 'each');
const weighed = products.filter((p) => p.unit === 'weighed');
const opened: TestCore[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) {
    await t.core.close().catch(() => undefined);
    rmSync(t.dataDir, { recursive: true, force: true });
  }
});

function open(terminalId: string, dataDir?: string, rollups = true): TestCore {
  const t = openTestCore(
    { storeId: 'S001', terminalId, sync: SYNC, reportRollups: rollups },
    ...(dataDir ? [dataDir] : []),
  );
  t.clock.now = NOW;
  return t;
}

/** uuid v7 of an instant, as the tills mint sale ids. */
function v7(ms: number, n: number): string {
  const h = ms.toString(16).padStart(12, '0');
  const r = n.toString(16).padStart(15, '0');
  return `${h.slice(0, 8)}-${h.slice(8)}-7${r.slice(0, 3)}-8${r.slice(3, 6)}-${r.slice(6).padStart(12, '0')}`;
}

/** Till T03's sales as its replica would publish them: `perDay` sales on each of the six days before NOW. */
function thirdTill(perDay: number) {
  let now = 0;
  const f = new OpFactory(new HybridClock({ nodeId: 'S001_T03', now: () => now }));
  const rnd = seededRandom(2121);
  let seq = 0;
  const sale = (at: number, lines: object[], tenders: object[]): Op => {
    now = at;
    const total = lines.reduce((a, l) => a + (l as { total: number }).total, 0);
    return f.fact('store:S001', 'sale', v7(at, seq++), {
      number: `T03-${seq}`,
      terminalId: 'T03',
      cashierId: `staff-${seq % 3}`,
      subtotal: total,
      discount: seq % 5 === 0 ? 50 : 0,
      rounding: 0,
      total,
      change: 0,
      createdAt: new Date(at).toISOString(),
      lines,
      tenders,
    });
  };
  const line = (p: (typeof products)[number], grams: number, qty: number) => {
    const total = p.unit === 'weighed' ? Math.round((p.price * grams) / 1000) : p.price * qty;
    return {
      lineId: `l${seq}-${p.sku}`,
      sku: p.sku,
      name: p.name,
      unit: p.unit,
      quantity: p.unit === 'weighed' ? 1 : qty,
      weightGrams: p.unit === 'weighed' ? grams : null,
      unitPrice: p.price,
      gross: total,
      discount: 0,
      total,
    };
  };
  const ops: Op[] = [];
  for (let d = 6; d >= 1; d--) {
    const day = NOW.getTime() - d * 86_400_000;
    for (let i = 0; i < perDay; i++) {
      // Local 06:00–23:59 in Shanghai: some sales fall on the next UTC date.
      const at = day - 6 * 3_600_000 + Math.floor(rnd() * 18 * 3_600_000);
      const lines = [];
      for (let n = 1 + Math.floor(rnd() * 4); n > 0; n--) {
        const pool = rnd() < 0.3 ? weighed.slice(0, 4) : each.slice(0, 12);
        lines.push(
          line(pool[Math.floor(rnd() * pool.length)]!, 150 + Math.floor(rnd() * 1200), 1 + Math.floor(rnd() * 3)),
        );
      }
      if (i % 17 === 0) lines.push({ ...line(each[0]!, 0, 1), sku: 'GONE-1', name: '旧商品' });
      const total = lines.reduce((a, l) => a + l.total, 0);
      const half = Math.floor(total / 2);
      const tenders =
        i % 7 === 0
          ? [
              { type: 'cash', amount: half },
              { type: 'cash', amount: total - half },
            ]
          : i % 3 === 0
            ? [{ type: 'payment_code', amount: total, provider: 'wechat-sandbox' }]
            : [{ type: 'card', amount: total }];
      ops.push(sale(at, lines, tenders));
    }
  }
  ops.push(sale(NOW.getTime() - 2 * 86_400_000, [], [])); // a sale with no lines
  return { ops, sale, line };
}

async function sell(
  t: TestCore,
  at: string,
  pin: string,
  items: Array<{ sku: string; quantity?: number; weightGrams?: number }>,
  card: boolean,
) {
  t.clock.now = new Date(at);
  const token = await t.login(pin);
  let total = 0;
  for (const i of items) total = (await t.ok('cart.add', i, token)).cart.total;
  const paid = await t.ok(
    'cart.pay',
    { tenders: [card ? { type: 'card', amount: total, reference: 'A1' } : { type: 'cash', amount: 100_000 }] },
    token,
  );
  return (await t.ok('sales.get', { id: paid.saleId }, token)).sale;
}

const GROUPS = ['hour', 'category', 'product', 'tender', 'staff'] as const;
const RANGE = { from: '2026-11-21', to: '2026-11-28' };

async function allReports(t: TestCore) {
  t.clock.now = NOW;
  const m = await t.login(PINS.manager);
  const out: Record<string, unknown> = {};
  for (const groupBy of GROUPS) out[groupBy] = (await t.ok('reports.sales', { ...RANGE, groupBy }, m)).report;
  out['day'] = (await t.ok('reports.sales', { from: '2026-11-26', groupBy: 'category' }, m)).report;
  out['waste'] = (await t.ok('reports.waste', RANGE, m)).report;
  return out;
}

/** Reports read with the rollup, then with the facts path on the same database (the core reopened). */
async function bothPaths(
  t: TestCore,
): Promise<{ rollup: Record<string, unknown>; facts: Record<string, unknown>; t: TestCore }> {
  const rollup = await allReports(t);
  await t.core.close();
  opened.splice(opened.indexOf(t), 1);
  const f = open('T01', t.dataDir, false);
  const facts = await allReports(f);
  await f.core.close();
  const back = open('T01', t.dataDir);
  opened.push(back);
  return { rollup, facts, t: back };
}

function sqlite(t: TestCore, run: (db: Database.Database) => void): void {
  const db = new Database(join(t.dataDir, 'terminal.db'));
  try {
    run(db);
  } finally {
    db.close();
  }
}

describe('report rollup', () => {
  it('gives the same reports as reading every sale, through late, duplicate and rolled-back ops, a rebuild, a category move and a new time zone', async () => {
    let t1 = open('T01');
    const t2 = open('T02');
    opened.push(t1, t2);
    const storage1 = () => t1.core.sync!.outbox.storage;
    // Costs: two products by the piece, one weighed (per kg, odd, so grams cost fractions of a fen).
    sqlite(t1, (db) => {
      db.prepare('UPDATE products SET cost = ? WHERE sku = ?').run(Math.floor(each[0]!.price * 0.6), each[0]!.sku);
      db.prepare('UPDATE products SET cost = ? WHERE sku = ?').run(Math.floor(each[3]!.price * 0.7), each[3]!.sku);
      db.prepare('UPDATE products SET cost = ? WHERE sku = ?').run(777, weighed[0]!.sku);
    });

    // Two tills sell through the core on two days; a return on T01 and a void on T02.
    const s1 = await sell(
      t1,
      '2026-11-26T02:00:00Z',
      PINS.cashier,
      [
        { sku: each[0]!.sku, quantity: 2 },
        { sku: weighed[0]!.sku, weightGrams: 433 },
      ],
      false,
    );
    await sell(t2, '2026-11-26T03:10:00Z', PINS.cashier2, [{ sku: each[3]!.sku }, { sku: each[0]!.sku }], true);
    await sell(t1, '2026-11-27T15:30:00Z', PINS.cashier, [{ sku: each[5]!.sku, quantity: 3 }], true); // 23:30 local
    t1.clock.now = new Date('2026-11-27T04:00:00Z');
    await t1.ok(
      'returns.create',
      {
        saleId: s1.id,
        lines: [{ lineId: s1.lines[0]!.lineId, quantity: 1 }],
        reason: 'damaged',
        managerPin: PINS.manager,
      },
      await t1.login(PINS.cashier),
    );
    t2.clock.now = new Date('2026-11-27T05:00:00Z');
    const tok2 = await t2.login(PINS.cashier2);
    await t2.ok('cart.add', { sku: each[1]!.sku, quantity: 2 }, tok2);
    await t2.ok('cart.void', { reason: 'customer left', managerPin: PINS.manager }, await t2.login(PINS.cashier2));
    const r1 = storage1();
    const r2 = t2.core.sync!.outbox.storage;
    await r1.apply(await r2.allOps('store:S001'), 'hub');
    const third = thirdTill(40);
    await r1.apply(third.ops, 'hub');
    // A waste write-off, so the loss rate has a numerator.
    const w = new OpFactory(new HybridClock({ nodeId: 'S001_T09', now: () => Date.parse('2026-11-25T03:00:00Z') }));
    await r1.apply(
      [
        {
          ...w.move('S001', each[0]!.sku, 'adjust', -2, 'w1'),
          b: { ref: 'w1', waste: 'spoiled', cost: 420, staff: 'm' },
        },
      ],
      'hub',
    );

    let run = await bothPaths(t1);
    t1 = run.t;
    expect(run.rollup).toEqual(run.facts);
    const hour = run.rollup['hour'] as {
      totals: { transactions: number; returnsCount: number; voids: number; cost: number };
    };
    expect(hour.totals.transactions).toBe(3 + third.ops.length);
    expect(hour.totals.returnsCount).toBe(1);
    expect(hour.totals.voids).toBe(1);
    expect(hour.totals.cost).toBeGreaterThan(0);

    // A late fact for three days ago, the whole batch delivered again, a second op for a sale
    // already held, and an apply that rolls back: the rollup follows the replica exactly.
    const late = third.sale(
      Date.parse('2026-11-25T05:00:00Z'),
      [third.line(weighed[0]!, 999, 1)],
      [{ type: 'cash', amount: 0 }],
    );
    await storage1().apply([late], 'hub');
    await storage1().apply(third.ops, 'hub');
    const again = new OpFactory(new HybridClock({ nodeId: 'S001_T07', now: () => Date.parse('2026-11-25T06:00:00Z') }));
    const first = third.ops[0]!;
    await storage1().apply([again.fact('store:S001', 'sale', first.k, first.b as Record<string, unknown>)], 'hub');
    const rolledBack = third.sale(Date.parse('2026-11-24T05:00:00Z'), [third.line(each[2]!, 0, 9)], []);
    expect(() =>
      storage1().db.transaction(() => {
        storage1().applySync([rolledBack], 'hub');
        throw new Error('network cut mid-batch');
      })(),
    ).toThrow('network cut');
    run = await bothPaths(t1);
    t1 = run.t;
    expect(run.rollup).toEqual(run.facts);
    expect((run.rollup['hour'] as typeof hour).totals.transactions).toBe(3 + third.ops.length + 1);

    // Rebuilt from scratch (a till upgraded to migration 0021 with a history), and a product
    // moved to another category after its sales were rolled up.
    await t1.core.close();
    sqlite(t1, (db) => {
      db.prepare('DELETE FROM report_rollup').run();
      db.prepare('DELETE FROM report_rollup_state').run();
      db.prepare("UPDATE products SET category = 'moved-here' WHERE sku = ?").run(each[3]!.sku);
    });
    opened.splice(opened.indexOf(t1), 1);
    t1 = open('T01', t1.dataDir);
    opened.push(t1);
    run = await bothPaths(t1);
    t1 = run.t;
    expect(run.rollup).toEqual(run.facts);
    const cats = (run.rollup['category'] as { rows: { key: string }[] }).rows.map((r) => r.key);
    expect(cats).toContain('moved-here');

    // Another time zone: days and hours move, the rollup is rebuilt for it.
    const tech = await t1.login(PINS.technician);
    await t1.ok('config.set', { patch: { timeZone: 'Asia/Tokyo' } }, tech);
    run = await bothPaths(t1);
    expect(run.rollup).toEqual(run.facts);
    expect((run.rollup['hour'] as { timeZone: string }).timeZone).toBe('Asia/Tokyo');
  });
});
