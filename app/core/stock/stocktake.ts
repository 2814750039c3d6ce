// Stocktake (盘点): a blind count session over a category or a list of SKUs. Staff count from
// a phone or the back office (the sheet never shows the expected level); each count is kept
// with the time it was taken. Posting writes one `count` movement per counted SKU — only what
// was counted is reset. Sales while the shelf was being counted are handled by the ledger: the
// level posted is the counted quantity plus every movement of that SKU since it was counted,
// so a sale rung up between the count and the post still takes its goods off.
import { PosError, type StaffView, type StocktakeSummary } from '../../contract';
import { writeAudit } from '../audit';
import type { CoreContext } from '../context';
import { uuidv7 } from '../ids';
import { addStockMovement, stockOnHand } from './stock-ledger';
import { valueAtCost } from './stock-work';

export interface StocktakeSheetLine {
  sku: string;
  name: string;
  nameEn: string;
  unit: 'each' | 'weighed';
  counted: number | null;
}

export interface StocktakeVarianceLine {
  sku: string;
  name: string;
  unit: 'each' | 'weighed';
  /** What the ledger holds now. */
  expected: number;
  /** Counted quantity carried forward to now (counted + movements since the count). */
  counted: number;
  variance: number;
  /** Variance at cost in fen (0 when the product has no cost). */
  value: number;
}

interface SessionRow {
  id: string;
  scope_kind: 'category' | 'shelf' | 'skus';
  scope: string;
  status: 'open' | 'posted';
}

function session(ctx: CoreContext, id: string): SessionRow {
  const s = ctx.db.prepare('SELECT id, scope_kind, scope, status FROM stocktakes WHERE id = ?').get(id) as
    SessionRow | undefined;
  if (!s) throw new PosError('NOT_FOUND', { reason: 'stocktake', id });
  return s;
}

function openSession(ctx: CoreContext, id: string): SessionRow {
  const s = session(ctx, id);
  if (s.status !== 'open') throw new PosError('CONFLICT', { reason: 'stocktake-posted', id });
  return s;
}

function sessionSkus(ctx: CoreContext, s: SessionRow): string[] {
  if (s.scope_kind === 'skus') return JSON.parse(s.scope) as string[];
  // A shelf is a category here until products carry a shelf location.
  return (
    ctx.db.prepare('SELECT sku FROM products WHERE category = ? AND active = 1 ORDER BY sku').all(s.scope) as {
      sku: string;
    }[]
  ).map((r) => r.sku);
}

export function startStocktake(
  ctx: CoreContext,
  staff: StaffView,
  input: { category?: string; skus?: string[] },
): { stocktakeId: string; lines: StocktakeSheetLine[] } {
  if (!input.category && !input.skus?.length)
    throw new PosError('BAD_INPUT', { reason: 'schema', fields: 'category or skus' });
  const at = ctx.clock();
  const id = uuidv7(at);
  const kind = input.category ? 'category' : 'skus';
  const scope = input.category ?? JSON.stringify(input.skus);
  ctx.db.transaction(() => {
    ctx.db
      .prepare(
        "INSERT INTO stocktakes (id, scope_kind, scope, status, started_by, started_at) VALUES (?, ?, ?, 'open', ?, ?)",
      )
      .run(id, kind, scope, staff.id, at.toISOString());
    writeAudit(ctx.db, ctx.terminalId, at, {
      action: 'stocktake.start',
      staffId: staff.id,
      detail: { stocktakeId: id, [kind]: input.category ?? input.skus?.length ?? 0 },
    });
  })();
  return { stocktakeId: id, lines: stocktakeSheet(ctx, id) };
}

/**
 * Sessions to count on (the 100 newest open ones) and the last 20 posted, with how far each count
 * is; and the active categories a session may cover. Never an expected level (blind).
 */
export function listStocktakes(ctx: CoreContext): {
  stocktakes: StocktakeSummary[];
  categories: { category: string; products: number }[];
} {
  const rows = ctx.db
    .prepare(
      `SELECT s.id, s.scope_kind, s.scope, s.status, s.started_at, s.posted_at,
              (SELECT COUNT(*) FROM stocktake_counts c WHERE c.stocktake_id = s.id) AS counted
       FROM stocktakes s
       WHERE s.id IN (SELECT id FROM stocktakes WHERE status = 'open' ORDER BY id DESC LIMIT 100)
          OR s.id IN (SELECT id FROM stocktakes WHERE status = 'posted' ORDER BY id DESC LIMIT 20)
       ORDER BY s.status = 'open' DESC, s.id DESC`,
    )
    .all() as (SessionRow & { started_at: string; posted_at: string | null; counted: number })[];
  const categories = ctx.db
    .prepare('SELECT category, COUNT(*) AS products FROM products WHERE active = 1 GROUP BY category ORDER BY category')
    .all() as { category: string; products: number }[];
  const inCategory = new Map(categories.map((c) => [c.category, c.products]));
  const stocktakes = rows.map((r) => ({
    id: r.id,
    scopeKind: r.scope_kind,
    scope: r.scope_kind === 'skus' ? '' : r.scope,
    status: r.status,
    startedAt: r.started_at,
    postedAt: r.posted_at,
    lines: r.scope_kind === 'skus' ? (JSON.parse(r.scope) as string[]).length : (inCategory.get(r.scope) ?? 0),
    counted: r.counted,
  }));
  return { stocktakes, categories };
}

/** The count sheet: what to count and what was counted so far, never the expected level (blind). */
export function stocktakeSheet(ctx: CoreContext, id: string): StocktakeSheetLine[] {
  const s = session(ctx, id);
  const counts = new Map(
    (
      ctx.db.prepare('SELECT sku, quantity FROM stocktake_counts WHERE stocktake_id = ?').all(id) as {
        sku: string;
        quantity: number;
      }[]
    ).map((r) => [r.sku, r.quantity]),
  );
  const skus = sessionSkus(ctx, s);
  const rows = ctx.db.prepare('SELECT sku, name, name_en, unit FROM products WHERE sku = ?');
  return skus.flatMap((sku) => {
    const p = rows.get(sku) as { sku: string; name: string; name_en: string; unit: 'each' | 'weighed' } | undefined;
    return p ? [{ sku, name: p.name, nameEn: p.name_en, unit: p.unit, counted: counts.get(sku) ?? null }] : [];
  });
}

export function countStocktake(
  ctx: CoreContext,
  staff: StaffView,
  input: { stocktakeId: string; sku: string; quantity?: number; weightGrams?: number; add?: boolean },
): { sku: string; counted: number } {
  const s = openSession(ctx, input.stocktakeId);
  if (!sessionSkus(ctx, s).includes(input.sku))
    throw new PosError('NOT_FOUND', { reason: 'not-in-stocktake', sku: input.sku });
  const p = ctx.db.prepare('SELECT unit FROM products WHERE sku = ?').get(input.sku) as { unit: string };
  const q = p.unit === 'weighed' ? input.weightGrams : input.quantity;
  if (q === undefined)
    throw new PosError(p.unit === 'weighed' ? 'WEIGHT_REQUIRED' : 'BAD_INPUT', {
      reason: p.unit === 'weighed' ? 'weigh-it' : 'schema',
      sku: input.sku,
      fields: 'quantity',
    });
  const at = ctx.clock();
  const prev = ctx.db
    .prepare('SELECT quantity FROM stocktake_counts WHERE stocktake_id = ? AND sku = ?')
    .get(input.stocktakeId, input.sku) as { quantity: number } | undefined;
  // "add" sums counts of the same product found in several places on the shelf.
  const counted = input.add && prev ? prev.quantity + q : q;
  ctx.db
    .prepare(
      `INSERT INTO stocktake_counts (stocktake_id, sku, quantity, counted_by, counted_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(stocktake_id, sku) DO UPDATE SET quantity = excluded.quantity, counted_by = excluded.counted_by, counted_at = excluded.counted_at`,
    )
    .run(input.stocktakeId, input.sku, counted, staff.id, at.toISOString());
  return { sku: input.sku, counted };
}

/** Movements of a SKU after an instant (sales, receipts, waste rung up while the shelf was counted). */
function movedSince(ctx: CoreContext, sku: string, since: string): number {
  const r = ctx.db
    .prepare(
      "SELECT COALESCE(SUM(quantity), 0) AS q FROM stock_movements WHERE sku = ? AND kind <> 'count' AND created_at > ?",
    )
    .get(sku, since) as { q: number };
  return r.q;
}

export function stocktakeVariance(ctx: CoreContext, id: string): { lines: StocktakeVarianceLine[]; value: number } {
  session(ctx, id);
  const rows = ctx.db
    .prepare(
      `SELECT c.sku, c.quantity, c.counted_at, p.name, p.unit, p.cost FROM stocktake_counts c
       JOIN products p ON p.sku = c.sku WHERE c.stocktake_id = ? ORDER BY c.sku`,
    )
    .all(id) as {
    sku: string;
    quantity: number;
    counted_at: string;
    name: string;
    unit: 'each' | 'weighed';
    cost: number | null;
  }[];
  const lines = rows.map((r) => {
    const expected = stockOnHand(ctx.db, r.sku);
    const counted = r.quantity + movedSince(ctx, r.sku, r.counted_at);
    const variance = counted - expected;
    const value = valueAtCost(r.unit, r.cost ?? 0, Math.abs(variance)) * Math.sign(variance);
    return { sku: r.sku, name: r.name, unit: r.unit, expected, counted, variance, value };
  });
  return { lines, value: lines.reduce((s, l) => s + l.value, 0) };
}

export function postStocktake(
  ctx: CoreContext,
  staff: StaffView,
  id: string,
): { stocktakeId: string; posted: number; lines: StocktakeVarianceLine[]; value: number } {
  const at = ctx.clock();
  let report: { lines: StocktakeVarianceLine[]; value: number } = { lines: [], value: 0 };
  ctx.db.transaction(() => {
    openSession(ctx, id);
    report = stocktakeVariance(ctx, id);
    for (const l of report.lines) {
      addStockMovement(ctx.db, ctx.terminalId, at, {
        sku: l.sku,
        kind: 'count',
        quantity: l.counted,
        refId: `${id}:${l.sku}`,
        body: { stocktake: id, variance: l.variance, staff: staff.id },
      });
    }
    ctx.db
      .prepare("UPDATE stocktakes SET status = 'posted', posted_by = ?, posted_at = ? WHERE id = ?")
      .run(staff.id, at.toISOString(), id);
    writeAudit(ctx.db, ctx.terminalId, at, {
      action: 'stocktake.post',
      staffId: staff.id,
      detail: { stocktakeId: id, lines: report.lines.length, value: report.value },
    });
  })();
  return { stocktakeId: id, posted: report.lines.length, ...report };
}
