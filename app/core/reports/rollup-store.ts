// The sales rollup table (migration 0021): kept in step with the replica by a hook that runs in
// the transaction storing each op (this till's sale through the outbox, another till's by pull),
// rebuilt from the replicated sale facts when it was never built or the store's time zone
// changed (days and hours are store-local), and re-derived per day when a product's category
// changed since its sales were rolled up. Each sale fact counts once: the replica's first op per
// sale id is the fact (as the report's fact reader takes it); a second op for the same sale,
// e.g. from an older backfill, adds nothing.
import { storeScope, type Op } from '../../../sync/core';
import type { LocalReplicaReads } from '../../../sync/storage';
import type Database from 'better-sqlite3';
import type { Db } from '../db';
import { saleFact, type SaleFact } from './report-facts';
import { LocalClock } from './report-math';
import { rollupSales, type RollupDim, type RollupRow } from './sales-rollup';

interface RollupState {
  timeZone: string;
  builtAt: string;
}

// The hook runs inside every sale's transaction: its statements are prepared once per handle.
const statements = new WeakMap<Db, Map<string, Database.Statement>>();
function prepared(db: Db, sql: string): Database.Statement {
  let m = statements.get(db);
  if (!m) {
    m = new Map();
    statements.set(db, m);
  }
  let st = m.get(sql);
  if (!st) {
    st = db.prepare(sql);
    m.set(sql, st);
  }
  return st;
}

export function rollupState(db: Db): RollupState | null {
  const r = prepared(db, 'SELECT time_zone, built_at FROM report_rollup_state WHERE id = 1').get() as
    { time_zone: string; built_at: string } | undefined;
  return r ? { timeZone: r.time_zone, builtAt: r.built_at } : null;
}

function setState(db: Db, timeZone: string, at: Date): void {
  db.prepare(
    'INSERT INTO report_rollup_state (id, time_zone, built_at) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET time_zone = excluded.time_zone, built_at = excluded.built_at',
  ).run(timeZone, at.toISOString());
}

function addRows(db: Db, rows: readonly RollupRow[]): void {
  const upsert = prepared(
    db,
    `INSERT INTO report_rollup (day, dim, key, sku, tx, items, grams, qty, wgrams, sales, discount, first_sale, name)
     VALUES (@day, @dim, @key, @sku, @tx, @items, @grams, @qty, @wgrams, @sales, @discount, @firstSale, @name)
     ON CONFLICT (day, dim, key, sku) DO UPDATE SET
       tx = tx + excluded.tx, items = items + excluded.items, grams = grams + excluded.grams,
       qty = qty + excluded.qty, wgrams = wgrams + excluded.wgrams, sales = sales + excluded.sales,
       discount = discount + excluded.discount,
       name = CASE WHEN excluded.first_sale <> '' AND (first_sale = '' OR excluded.first_sale < first_sale) THEN excluded.name ELSE name END,
       first_sale = CASE WHEN excluded.first_sale <> '' AND (first_sale = '' OR excluded.first_sale < first_sale) THEN excluded.first_sale ELSE first_sale END`,
  );
  for (const r of rows) upsert.run(r);
}

const COLUMNS = 'tx, items, grams, qty, wgrams, sales, discount';

/**
 * The rollup rows of store-local days `from`..`to` (inclusive) for `dims`, each (dim, key,
 * product) summed over the days in SQL (day ''), plus per day its sale-level row of dim 'day'.
 * `dayCost`: per day the product rows of dim 'day' of products whose cost is known now (the
 * days' loss rates; products without a cost add nothing to sales at cost). Sums are exact
 * integers, so summing over days changes no figure.
 */
export function readRollup(
  db: Db,
  from: string,
  to: string,
  dims: readonly RollupDim[],
): { rows: RollupRow[]; dayCost: RollupRow[] } {
  const sum = COLUMNS.split(', ')
    .map((c) => `SUM(${c}) AS ${c}`)
    .join(', ');
  const rows = db
    .prepare(
      `SELECT day, dim, key, sku, ${COLUMNS}, first_sale AS firstSale, name FROM report_rollup
       WHERE dim = 'day' AND key = '' AND sku = '' AND day >= ? AND day <= ?`,
    )
    .all(from, to) as RollupRow[];
  // SQLite takes the bare column `name` from the row holding MIN(first_sale).
  const summed = db.prepare(
    `SELECT '' AS day, dim, key, sku, ${sum}, MIN(first_sale) AS firstSale, name FROM report_rollup
     WHERE dim = ? AND day >= ? AND day <= ? AND (dim <> 'day' OR sku <> '') GROUP BY key, sku`,
  );
  for (const dim of dims) rows.push(...(summed.all(dim, from, to) as RollupRow[]));
  const dayCost = db
    .prepare(
      `SELECT day, dim, key, sku, ${COLUMNS}, first_sale AS firstSale, name FROM report_rollup
       WHERE dim = 'day' AND sku IN (SELECT sku FROM products WHERE cost IS NOT NULL) AND day >= ? AND day <= ?`,
    )
    .all(from, to) as RollupRow[];
  return { rows, dayCost };
}

/** Days in `from`..`to` that hold a product's rows under another category than `category`. */
export function daysWithCategory(db: Db, from: string, to: string, sku: string, category: string): string[] {
  return db
    .prepare(
      "SELECT DISTINCT day FROM report_rollup WHERE dim = 'day' AND day >= ? AND day <= ? AND sku = ? AND key <> ?",
    )
    .pluck()
    .all(from, to, sku, category) as string[];
}

/** The catalog's category per product now, as the reports read it ('other' when unknown). */
function productCategories(db: Db): (sku: string) => string {
  const get = prepared(db, 'SELECT category FROM products WHERE sku = ?');
  return (sku) => {
    const r = get.get(sku) as { category: unknown } | undefined;
    return r && typeof r.category === 'string' ? r.category : 'other';
  };
}

/** What the rollup reads of the sync replica (sync/storage: LocalReplicaReads). */
type RollupReplica = Pick<LocalReplicaReads, 'factCountSync' | 'hasFactInScopeSync'>;

/**
 * The hook on the replica: rolls up the sale facts of this store among newly stored ops, in the
 * transaction that stores them. Nothing to do before the rollup was first built (the build reads
 * every fact).
 */
function rollUpStoredOps(db: Db, replica: RollupReplica, storeId: string, ops: readonly Op[]): void {
  const scope = storeScope(storeId);
  const sales = ops.filter((o) => o.t === 'fact' && o.e === 'sale' && o.s === scope);
  if (sales.length === 0) return;
  const state = rollupState(db);
  if (!state) return;
  const inBatch = new Map<string, number>();
  for (const o of sales) inBatch.set(o.k, (inBatch.get(o.k) ?? 0) + 1);
  const facts: SaleFact[] = [];
  const seen = new Set<string>();
  for (const o of sales) {
    if (seen.has(o.k)) continue;
    seen.add(o.k);
    // Stored before this batch: that op is the fact and was rolled up then.
    if (replica.factCountSync('sale', scope, o.k) > inBatch.get(o.k)!) continue;
    const f = saleFact(o.k, (o.b ?? {}) as Record<string, unknown>);
    if (f) facts.push(f);
  }
  addRows(db, rollupSales(facts, new LocalClock(state.timeZone), productCategories(db)));
}

/** Builds the rollup from scratch in one transaction (first use, or the time zone changed). */
export function rebuildRollup(
  db: Db,
  replica: Pick<LocalReplicaReads, 'factPageSync'>,
  storeId: string,
  timeZone: string,
  at: Date,
): number {
  const clock = new LocalClock(timeZone);
  const categories = productCategories(db);
  // Pages by sale id (keyset), so a long history is never in memory at once; the first op per
  // sale id is the fact.
  const scope = storeScope(storeId);
  let count = 0;
  db.transaction(() => {
    db.prepare('DELETE FROM report_rollup').run();
    let after = '';
    for (;;) {
      const rows = replica.factPageSync('sale', scope, after, 5000);
      if (rows.length === 0) break;
      const facts: SaleFact[] = [];
      for (const r of rows) {
        if (r.k === after) continue;
        after = r.k;
        const f = saleFact(r.k, (r.b ?? {}) as Record<string, unknown>);
        if (f) facts.push(f);
      }
      count += facts.length;
      addRows(db, rollupSales(facts, clock, categories));
    }
    setState(db, timeZone, at);
  })();
  return count;
}

/**
 * Keeps the rollup in step with the replica from now on. A replica without sales starts with an
 * empty, built rollup; one with sales but no rollup (a till upgraded to migration 0021) is
 * rebuilt by the first report that needs it.
 */
export function attachReportRollup(
  db: Db,
  replica: RollupReplica & { onAppliedOps(hook: ((ops: Op[]) => void) | null): void },
  storeId: string,
  timeZone: string,
  at: Date,
): void {
  replica.onAppliedOps((ops) => rollUpStoredOps(db, replica, storeId, ops));
  if (rollupState(db)) return;
  if (!replica.hasFactInScopeSync('sale', storeScope(storeId))) setState(db, timeZone, at);
}

/** Replaces the rows of one store-local day with the rollup of `sales` (that day's sales). */
export function replaceDay(db: Db, day: string, sales: readonly SaleFact[], timeZone: string): void {
  const clock = new LocalClock(timeZone);
  db.transaction(() => {
    db.prepare('DELETE FROM report_rollup WHERE day = ?').run(day);
    addRows(
      db,
      rollupSales(
        sales.filter((s) => clock.date(s.at) === day),
        clock,
        productCategories(db),
      ),
    );
  })();
}
