// Folds over stored op rows that every storage adapter's reads share (stock per SKU, LWW fields,
// the winning op per key), so the SQLite and Postgres adapters answer alike without importing
// each other. Pure: rows in, values out.
import type { Op, StockLevel, Movement } from '../core';
import { stockLevel } from '../core';

export function groupStock(rows: (Movement & { k: string })[]): Record<string, StockLevel> {
  const by = new Map<string, Movement[]>();
  for (const r of rows) {
    const list = by.get(r.k) ?? [];
    list.push({ id: r.id, kind: r.kind, qty: Number(r.qty) });
    by.set(r.k, list);
  }
  return Object.fromEntries(
    [...by.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, list]) => [k, stockLevel(list)]),
  );
}

export function lwwFields(ops: Op[]): Record<string, unknown> {
  const win = new Map<string, Op>();
  for (const o of ops) {
    const cur = win.get(o.f);
    if (!cur || o.id > cur.id) win.set(o.f, o);
  }
  return Object.fromEntries([...win.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([f, o]) => [f, o.b]));
}

/**
 * The winning op per (e, k) of ops sorted by (k, id) within one entity: facts keep their first
 * write (lowest stamp), footfall intervals their latest re-send (highest stamp).
 */
export function keyWinners(t: 'fact' | 'ff', sorted: Op[]): Op[] {
  const out: Op[] = [];
  for (const o of sorted) {
    const last = out[out.length - 1];
    if (last && last.e === o.e && last.k === o.k) {
      if (t === 'ff' && o.id > last.id) out[out.length - 1] = o;
      continue;
    }
    out.push(o);
  }
  return out;
}
