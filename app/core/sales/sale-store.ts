// The rows of completed sales and returns: writing them (inside the caller's transaction,
// which also writes stock, replication and audit) and reading them back by id, number or
// receipt code, with returned quantities and the returns made against them.
import {
  type LineDiscount,
  PosError,
  type CartLine,
  type Sale,
  type SaleLine,
  type SaleSummary,
  type StaffView,
  type TenderRecord,
  type Unit,
} from '../../contract';
import type { Db } from '../db';
import { uuidv7 } from '../ids';
import { saleMemberSummary, wecomState } from '../members';

interface SaleRow {
  id: string;
  number: string;
  seq: number;
  receipt_code: string;
  terminal_id: string;
  store_id: string;
  cashier_id: string;
  cashier_name: string;
  cashier_role: StaffView['role'];
  shift_id: string | null;
  subtotal: number;
  discount: number;
  rounding: number;
  total: number;
  currency: 'CNY';
  change: number;
  created_at: string;
}
interface LineRow {
  line_id: string;
  sku: string;
  name: string;
  name_en: string;
  unit: Unit;
  quantity: number;
  weight_grams: number | null;
  unit_price: number;
  gross: number;
  discount: number;
  total: number;
  barcode: string | null;
  discounts: string | null;
}
export interface StoredTender extends TenderRecord {
  id: string;
}

export function findSaleRow(db: Db, idOrNumberOrCode: string): SaleRow | null {
  const key = idOrNumberOrCode.trim();
  return (
    (db.prepare('SELECT * FROM sales WHERE id = ? OR number = ? OR receipt_code = ? LIMIT 1').get(key, key, key) as
      SaleRow | undefined) ?? null
  );
}

export function saleTenders(db: Db, saleId: string): StoredTender[] {
  return db
    .prepare(
      'SELECT id, type, amount, tendered, reference, provider FROM sale_tenders WHERE sale_id = ? ORDER BY position',
    )
    .all(saleId) as StoredTender[];
}

export function readSale(db: Db, idOrNumberOrCode: string): Sale & { receiptCode: string } {
  const s = findSaleRow(db, idOrNumberOrCode);
  if (!s) throw new PosError('SALE_NOT_FOUND', { reason: 'lookup', query: idOrNumberOrCode.slice(0, 60) });
  const returned = new Map<string, { q: number; w: number }>();
  for (const r of db
    .prepare(
      'SELECT rl.line_id, SUM(rl.quantity) AS q, SUM(COALESCE(rl.weight_grams, 0)) AS w FROM return_lines rl JOIN returns r ON r.id = rl.return_id WHERE r.sale_id = ? GROUP BY rl.line_id',
    )
    .all(s.id) as { line_id: string; q: number; w: number }[]) {
    returned.set(r.line_id, { q: r.q, w: r.w });
  }
  const lines: SaleLine[] = (
    db.prepare('SELECT * FROM sale_lines WHERE sale_id = ? ORDER BY position').all(s.id) as LineRow[]
  ).map((l) => ({
    lineId: l.line_id,
    sku: l.sku,
    name: l.name,
    nameEn: l.name_en,
    unit: l.unit,
    quantity: l.quantity,
    weightGrams: l.weight_grams,
    unitPrice: l.unit_price,
    gross: l.gross,
    discount: l.discount,
    total: l.total,
    barcode: l.barcode,
    ...(l.discounts ? { discounts: lineDiscounts(l.discounts) } : {}),
    returnedQuantity: returned.get(l.line_id)?.q ?? 0,
    returnedWeightGrams: returned.get(l.line_id)?.w ?? 0,
  }));
  const tenders = saleTenders(db, s.id).map(({ id: _id, ...t }) => t);
  const returns = db
    .prepare(
      'SELECT id AS returnId, amount, created_at AS createdAt FROM returns WHERE sale_id = ? ORDER BY created_at',
    )
    .all(s.id) as Sale['returns'];
  const credit = saleMemberSummary(db, s.id);
  return {
    id: s.id,
    number: s.number,
    terminalId: s.terminal_id,
    storeId: s.store_id,
    cashier: { id: s.cashier_id, name: s.cashier_name, role: s.cashier_role },
    shiftId: s.shift_id,
    lines,
    subtotal: s.subtotal,
    discount: s.discount,
    rounding: s.rounding,
    total: s.total,
    currency: s.currency,
    tenders,
    change: s.change,
    createdAt: s.created_at,
    returns,
    member: credit?.member ?? null,
    pointsEarned: credit?.pointsEarned ?? 0,
    pointsReturned: credit?.pointsReturned ?? 0,
    wecomState: credit ? wecomState(db, s.id) : null,
    receiptCode: s.receipt_code,
  };
}

export function listSales(db: Db, limit: number, before?: string): SaleSummary[] {
  const rows = (
    before
      ? db
          .prepare(
            "SELECT s.id, s.number, s.total, s.created_at, s.cashier_name, (SELECT COALESCE(SUM(CASE WHEN unit = 'weighed' THEN 1 ELSE quantity END), 0) FROM sale_lines WHERE sale_id = s.id) AS items FROM sales s WHERE s.created_at < ? ORDER BY s.created_at DESC, s.id DESC LIMIT ?",
          )
          .all(before, limit)
      : db
          .prepare(
            "SELECT s.id, s.number, s.total, s.created_at, s.cashier_name, (SELECT COALESCE(SUM(CASE WHEN unit = 'weighed' THEN 1 ELSE quantity END), 0) FROM sale_lines WHERE sale_id = s.id) AS items FROM sales s ORDER BY s.created_at DESC, s.id DESC LIMIT ?",
          )
          .all(limit)
  ) as { id: string; number: string; total: number; created_at: string; cashier_name: string; items: number }[];
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    total: r.total,
    itemCount: r.items,
    createdAt: r.created_at,
    cashier: r.cashier_name,
  }));
}

interface NewSale {
  id: string;
  number: string;
  seq: number;
  receiptCode: string;
  terminalId: string;
  storeId: string;
  cashier: StaffView;
  shiftId: string | null;
  subtotal: number;
  discount: number;
  rounding: number;
  total: number;
  change: number;
  createdAt: string;
}

export function insertSale(db: Db, s: NewSale): void {
  db.prepare(
    `INSERT INTO sales (id, number, seq, receipt_code, terminal_id, store_id, cashier_id, cashier_name, cashier_role, shift_id,
      subtotal, discount, rounding, total, currency, change, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'CNY', ?, ?)`,
  ).run(
    s.id,
    s.number,
    s.seq,
    s.receiptCode,
    s.terminalId,
    s.storeId,
    s.cashier.id,
    s.cashier.name,
    s.cashier.role,
    s.shiftId,
    s.subtotal,
    s.discount,
    s.rounding,
    s.total,
    s.change,
    s.createdAt,
  );
}

/** The sale's lines in cart order (position 1, 2, ...). */
export function insertSaleLines(db: Db, saleId: string, lines: CartLine[]): void {
  const ins =
    db.prepare(`INSERT INTO sale_lines (sale_id, line_id, position, sku, name, name_en, unit, quantity, weight_grams, unit_price, gross, discount, total, barcode, discounts)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  lines.forEach((l, i) =>
    ins.run(
      saleId,
      l.lineId,
      i + 1,
      l.sku,
      l.name,
      l.nameEn,
      l.unit,
      l.quantity,
      l.weightGrams,
      l.unitPrice,
      l.gross,
      l.discount,
      l.total,
      l.barcode,
      l.discounts.length ? JSON.stringify(l.discounts) : null,
    ),
  );
}

function lineDiscounts(text: string | null): LineDiscount[] | undefined {
  if (!text) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? (v as LineDiscount[]) : undefined;
  } catch {
    return undefined;
  }
}

/** The sale's tenders in the order paid; each gets its own id (returns refund against it). */
export function insertSaleTenders(db: Db, saleId: string, at: Date, tenders: TenderRecord[]): void {
  const ins = db.prepare(
    'INSERT INTO sale_tenders (id, sale_id, position, type, amount, tendered, reference, provider) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  tenders.forEach((t, i) => ins.run(uuidv7(at), saleId, i + 1, t.type, t.amount, t.tendered, t.reference, t.provider));
}

interface NewReturn {
  id: string;
  saleId: string;
  terminalId: string;
  shiftId: string | null;
  amount: number;
  reason: string;
  staffId: string;
  approver: StaffView;
  createdAt: string;
}
interface NewReturnLine {
  lineId: string;
  sku: string;
  quantity: number;
  weightGrams: number | null;
  amount: number;
}
interface NewReturnTender {
  saleTenderId: string;
  type: TenderRecord['type'];
  amount: number;
  reference: string | null;
  provider: string | null;
}

export function insertReturn(db: Db, r: NewReturn): void {
  db.prepare(
    `INSERT INTO returns (id, sale_id, terminal_id, shift_id, amount, reason, staff_id, approved_by_id, approved_by_name, approved_by_role, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    r.id,
    r.saleId,
    r.terminalId,
    r.shiftId,
    r.amount,
    r.reason,
    r.staffId,
    r.approver.id,
    r.approver.name,
    r.approver.role,
    r.createdAt,
  );
}

export function insertReturnLines(db: Db, returnId: string, lines: NewReturnLine[]): void {
  const ins = db.prepare(
    'INSERT INTO return_lines (return_id, line_id, sku, quantity, weight_grams, amount) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (const l of lines) ins.run(returnId, l.lineId, l.sku, l.quantity, l.weightGrams, l.amount);
}

export function insertReturnTenders(db: Db, returnId: string, at: Date, tenders: NewReturnTender[]): void {
  const ins = db.prepare(
    'INSERT INTO return_tenders (id, return_id, sale_tender_id, type, amount, reference, provider) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  for (const t of tenders) ins.run(uuidv7(at), returnId, t.saleTenderId, t.type, t.amount, t.reference, t.provider);
}
