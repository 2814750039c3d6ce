// Reads the facts a store report is made of, for one span of time [start, end): every till's sales,
// returns, shift closes, voided carts (audit facts) and waste write-offs (stock movements of kind
// `adjust` whose body names a waste reason). With sync on they come from the store's replicated
// ledger (this till's own writes are in it through the outbox, the other tills' arrive by pull),
// so the back office of any till shows the same figures, with or without the cloud. With sync off
// they come from this till's own tables, in the same shapes.
import type { ShiftReport } from '../../contract';
import type { CoreContext } from '../context';
import { formatStamp, stampWall, storeScope, type Op } from '../../../sync/core';
import type { TerminalSync } from '../../../sync/terminal';
import { uuidV7Keys } from '../footfall-math';

export interface SaleLineFact {
  sku: string;
  name: string;
  unit: 'each' | 'weighed';
  quantity: number;
  weightGrams: number | null;
  total: number;
}

export interface SaleFact {
  id: string;
  terminalId: string;
  cashierId: string;
  at: number;
  total: number;
  discount: number;
  lines: SaleLineFact[];
  tenders: { key: string; amount: number }[];
}

export interface ReturnFact {
  id: string;
  saleId: string;
  terminalId: string;
  staffId: string;
  at: number;
  amount: number;
  lines: { sku: string; amount: number }[];
}

export interface ShiftCloseFact {
  shiftId: string;
  terminalId: string;
  staffId: string;
  at: number;
  report: ShiftReport;
}

export interface VoidFact {
  id: string;
  staffId: string;
  at: number;
  total: number;
}

export interface WasteFact {
  id: string;
  sku: string;
  at: number;
  /** Items or grams written off (positive). */
  quantity: number;
  reason: string;
  /** Value at cost in fen, as the write-off recorded it. */
  cost: number;
  staffId: string | null;
}

export interface FootfallFact {
  camera: string;
  start: number;
  end: number;
  in: number;
  out: number;
}

export interface ReportFacts {
  source: 'replica' | 'this-till';
  sales: SaleFact[];
  returns: ReturnFact[];
  closes: ShiftCloseFact[];
  voids: VoidFact[];
  waste: WasteFact[];
  footfall: FootfallFact[];
}

export type FactNeed = 'sales' | 'returns' | 'closes' | 'voids' | 'waste' | 'footfall';

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const time = (v: unknown): number => (typeof v === 'string' ? Date.parse(v) : NaN);
const iso = (ms: number) => new Date(ms).toISOString();

/** `wechat` / `alipay` for payment codes (their provider names start with the wallet), else the tender type. */
export function tenderKey(type: string, provider: string | null): string {
  if (type === 'payment_code') {
    if (provider?.startsWith('wechat')) return 'wechat';
    if (provider?.startsWith('alipay')) return 'alipay';
    return 'payment_code';
  }
  return type;
}

// A fact body replicated from another till is only as trustworthy as its schema-checked op: the
// readers below take what has the expected type and skip what does not (a report never throws
// over one odd fact).
export function saleFact(id: string, b: Record<string, unknown>): SaleFact | null {
  const at = time(b['createdAt']);
  if (!Number.isFinite(at)) return null;
  const lines = Array.isArray(b['lines']) ? (b['lines'] as Record<string, unknown>[]) : [];
  const tenders = Array.isArray(b['tenders']) ? (b['tenders'] as Record<string, unknown>[]) : [];
  return {
    id,
    terminalId: str(b['terminalId']),
    cashierId: str(b['cashierId']),
    at,
    total: num(b['total']),
    discount: num(b['discount']),
    lines: lines
      .filter((l) => l && typeof l === 'object')
      .map((l) => ({
        sku: str(l['sku']),
        name: str(l['name']),
        unit: l['unit'] === 'weighed' ? 'weighed' : 'each',
        quantity: num(l['quantity']),
        weightGrams: typeof l['weightGrams'] === 'number' ? l['weightGrams'] : null,
        total: num(l['total']),
      })),
    tenders: tenders
      .filter((t) => t && typeof t === 'object')
      .map((t) => ({
        key: tenderKey(str(t['type']), typeof t['provider'] === 'string' ? t['provider'] : null),
        amount: num(t['amount']),
      })),
  };
}

function returnFact(id: string, b: Record<string, unknown>): ReturnFact | null {
  const at = time(b['createdAt']);
  if (!Number.isFinite(at)) return null;
  const lines = Array.isArray(b['lines']) ? (b['lines'] as Record<string, unknown>[]) : [];
  return {
    id,
    saleId: str(b['saleId']),
    terminalId: str(b['terminalId']),
    staffId: str(b['staffId']),
    at,
    amount: num(b['amount']),
    lines: lines
      .filter((l) => l && typeof l === 'object')
      .map((l) => ({ sku: str(l['sku']), amount: num(l['amount']) })),
  };
}

function closeFact(b: Record<string, unknown>): ShiftCloseFact | null {
  if (b['event'] !== 'close') return null;
  const at = time(b['at']);
  const report = b['report'] as ShiftReport | undefined;
  if (!Number.isFinite(at) || !report || typeof report !== 'object') return null;
  return { shiftId: str(b['shiftId']), terminalId: str(b['terminalId']), staffId: str(b['staffId']), at, report };
}

function voidFact(id: string, b: Record<string, unknown>): VoidFact | null {
  if (b['action'] !== 'cart.void') return null;
  const at = time(b['at']);
  if (!Number.isFinite(at)) return null;
  const detail = (b['detail'] ?? {}) as Record<string, unknown>;
  return { id, staffId: str(b['staffId']), at, total: num(detail['total']) };
}

/** A waste write-off: an `adjust` movement whose body carries `{ waste: reason, cost, staff }`. */
export function wasteFact(op: Op, at: number): WasteFact | null {
  const b = (op.b ?? {}) as Record<string, unknown>;
  if (op.f !== 'adjust' || typeof b['waste'] !== 'string' || typeof op.n !== 'number') return null;
  return {
    id: op.id,
    sku: op.k,
    at,
    quantity: Math.abs(op.n),
    reason: b['waste'],
    cost: num(b['cost']),
    staffId: typeof b['staff'] === 'string' ? b['staff'] : null,
  };
}

const inSpan = (at: number, start: number, end: number) => at >= start && at < end;

async function fromReplica(
  ctx: CoreContext,
  sync: TerminalSync,
  start: number,
  end: number,
  need: ReadonlySet<FactNeed>,
): Promise<ReportFacts> {
  const storage = sync.outbox.storage;
  const scope = storeScope(ctx.storeId);
  const keys = uuidV7Keys(start, end);
  const facts = async (kind: string) => (await storage.keyRange({ t: 'fact', scope, e: kind, ...keys })).ops;
  const out: ReportFacts = {
    source: 'replica',
    sales: [],
    returns: [],
    closes: [],
    voids: [],
    waste: [],
    footfall: [],
  };
  if (need.has('sales'))
    for (const op of await facts('sale')) {
      const s = saleFact(op.k, op.b as Record<string, unknown>);
      if (s && inSpan(s.at, start, end)) out.sales.push(s);
    }
  if (need.has('returns'))
    for (const op of await facts('return')) {
      const r = returnFact(op.k, op.b as Record<string, unknown>);
      if (r && inSpan(r.at, start, end)) out.returns.push(r);
    }
  if (need.has('closes') || need.has('voids'))
    for (const kind of ['shift', 'audit'] as const) {
      if ((kind === 'shift' && !need.has('closes')) || (kind === 'audit' && !need.has('voids'))) continue;
      for (const op of await facts(kind)) {
        const b = op.b as Record<string, unknown>;
        if (kind === 'shift') {
          const c = closeFact(b);
          if (c && inSpan(c.at, start, end)) out.closes.push(c);
        } else {
          const v = voidFact(op.k, b);
          if (v && inSpan(v.at, start, end)) out.voids.push(v);
        }
      }
    }
  if (need.has('waste')) {
    const from = formatStamp({ wall: start, counter: 0, node: '' });
    const to = formatStamp({ wall: end, counter: 0, node: '' });
    for (const op of storage.movementsSync(ctx.storeId, ['adjust'], from, to)) {
      const w = wasteFact(op, stampWall(op.id));
      if (w) out.waste.push(w);
    }
  }
  if (need.has('footfall')) {
    const ff = await storage.keyRange({ t: 'ff', scope, fromKey: iso(start), toKey: iso(end) });
    for (const op of ff.ops) {
      const b = op.b as { end?: unknown; in?: unknown; out?: unknown };
      const s = Date.parse(op.k);
      const e = time(b.end);
      if (Number.isFinite(s) && Number.isFinite(e))
        out.footfall.push({ camera: op.e, start: s, end: e, in: num(b.in), out: num(b.out) });
    }
  }
  return out;
}

function fromOwnTables(ctx: CoreContext, start: number, end: number, need: ReadonlySet<FactNeed>): ReportFacts {
  const db = ctx.db;
  const out: ReportFacts = {
    source: 'this-till',
    sales: [],
    returns: [],
    closes: [],
    voids: [],
    waste: [],
    footfall: [],
  };
  const a = iso(start);
  const b = iso(end);
  if (need.has('sales')) {
    type Row = {
      id: string;
      terminal_id: string;
      cashier_id: string;
      total: number;
      discount: number;
      created_at: string;
    };
    const rows = db
      .prepare(
        'SELECT id, terminal_id, cashier_id, total, discount, created_at FROM sales WHERE store_id = ? AND created_at >= ? AND created_at < ? ORDER BY created_at',
      )
      .all(ctx.storeId, a, b) as Row[];
    const byId = new Map<string, SaleFact>();
    for (const r of rows) {
      const s: SaleFact = {
        id: r.id,
        terminalId: r.terminal_id,
        cashierId: r.cashier_id,
        at: Date.parse(r.created_at),
        total: r.total,
        discount: r.discount,
        lines: [],
        tenders: [],
      };
      byId.set(r.id, s);
      out.sales.push(s);
    }
    const lines = db
      .prepare(
        'SELECT l.sale_id, l.sku, l.name, l.unit, l.quantity, l.weight_grams, l.total FROM sale_lines l JOIN sales s ON s.id = l.sale_id WHERE s.store_id = ? AND s.created_at >= ? AND s.created_at < ? ORDER BY l.sale_id, l.position',
      )
      .all(ctx.storeId, a, b) as Array<{
      sale_id: string;
      sku: string;
      name: string;
      unit: 'each' | 'weighed';
      quantity: number;
      weight_grams: number | null;
      total: number;
    }>;
    for (const l of lines)
      byId.get(l.sale_id)?.lines.push({
        sku: l.sku,
        name: l.name,
        unit: l.unit,
        quantity: l.quantity,
        weightGrams: l.weight_grams,
        total: l.total,
      });
    const tenders = db
      .prepare(
        'SELECT t.sale_id, t.type, t.amount, t.provider FROM sale_tenders t JOIN sales s ON s.id = t.sale_id WHERE s.store_id = ? AND s.created_at >= ? AND s.created_at < ? ORDER BY t.sale_id, t.position',
      )
      .all(ctx.storeId, a, b) as Array<{ sale_id: string; type: string; amount: number; provider: string | null }>;
    for (const t of tenders)
      byId.get(t.sale_id)?.tenders.push({ key: tenderKey(t.type, t.provider), amount: t.amount });
  }
  if (need.has('returns')) {
    const rows = db
      .prepare(
        'SELECT id, sale_id, terminal_id, staff_id, amount, created_at FROM returns WHERE created_at >= ? AND created_at < ?',
      )
      .all(a, b) as Array<{
      id: string;
      sale_id: string;
      terminal_id: string;
      staff_id: string;
      amount: number;
      created_at: string;
    }>;
    const rl = db.prepare('SELECT sku, amount FROM return_lines WHERE return_id = ?');
    for (const r of rows)
      out.returns.push({
        id: r.id,
        saleId: r.sale_id,
        terminalId: r.terminal_id,
        staffId: r.staff_id,
        at: Date.parse(r.created_at),
        amount: r.amount,
        lines: rl.all(r.id) as { sku: string; amount: number }[],
      });
  }
  if (need.has('closes')) {
    const rows = db
      .prepare(
        'SELECT c.shift_id, s.terminal_id, c.staff_id, c.closed_at, c.report FROM shift_closes c JOIN shifts s ON s.id = c.shift_id WHERE c.closed_at >= ? AND c.closed_at < ?',
      )
      .all(a, b) as Array<{
      shift_id: string;
      terminal_id: string;
      staff_id: string;
      closed_at: string;
      report: string;
    }>;
    for (const r of rows)
      out.closes.push({
        shiftId: r.shift_id,
        terminalId: r.terminal_id,
        staffId: r.staff_id,
        at: Date.parse(r.closed_at),
        report: JSON.parse(r.report) as ShiftReport,
      });
  }
  if (need.has('voids')) {
    const rows = db
      .prepare("SELECT id, at, staff_id, detail FROM audit_log WHERE action = 'cart.void' AND at >= ? AND at < ?")
      .all(a, b) as Array<{ id: string; at: string; staff_id: string | null; detail: string }>;
    for (const r of rows) {
      const v = voidFact(r.id, { action: 'cart.void', at: r.at, staffId: r.staff_id, detail: JSON.parse(r.detail) });
      if (v) out.voids.push(v);
    }
  }
  // Waste reasons and footfall travel only through the replica: with sync off there are none to read.
  return out;
}

/** The store's facts in [start, end) that a report needs. */
export async function readReportFacts(
  ctx: CoreContext,
  sync: TerminalSync | null,
  start: number,
  end: number,
  need: readonly FactNeed[],
): Promise<ReportFacts> {
  const set = new Set(need);
  return sync ? fromReplica(ctx, sync, start, end, set) : fromOwnTables(ctx, start, end, set);
}
