// Persistence of the open cart and parked carts in SQLite, so a crash or restart mid-sale
// loses nothing: every change is committed before the till shows it.
import { PosError, type Cart, type CartCoupon, type CartMember, type PricingNote, type Unit } from '../../contract';
import type { Db } from '../db';
import { uuidv7 } from '../ids';
import { priceCartLines, type PricingEnv } from '../price-rules';
import type { CouponOutcome, CouponTerms, PricingResult } from '../pricing';
import { buildCart, linesForPricing, type LineState } from './cart-math';

interface LineRow {
  id: string;
  sku: string;
  name: string;
  name_en: string;
  unit: Unit;
  quantity: number;
  weight_grams: number | null;
  unit_price: number;
  fixed_gross: number | null;
  discount_kind: 'percent' | 'amount' | null;
  discount_value: number;
  barcode: string | null;
  discount_approved_by: string | null;
  discount_approved_amount: number | null;
  discount_approved_gross: number | null;
  discount_approved_quantity: number | null;
  discount_approved_weight_grams: number | null;
}
interface CartRow {
  id: string;
  status: 'open' | 'parked';
  label: string | null;
  staff_id: string | null;
  created_at: string;
  updated_at: string;
  parked_at: string | null;
  member_id: string | null;
  member_level: string | null;
  member_tags: string | null;
  member_display: string | null;
  applied_rules: string | null;
  pricing_notes: string | null;
}

function toState(r: LineRow): LineState {
  return {
    lineId: r.id,
    sku: r.sku,
    name: r.name,
    nameEn: r.name_en,
    unit: r.unit,
    quantity: r.quantity,
    weightGrams: r.weight_grams,
    unitPrice: r.unit_price,
    fixedGross: r.fixed_gross,
    discountKind: r.discount_kind,
    discountValue: r.discount_value,
    barcode: r.barcode,
    approval:
      r.discount_approved_by !== null && r.discount_approved_amount !== null && r.discount_approved_gross !== null
        ? {
            approvedById: r.discount_approved_by,
            amount: r.discount_approved_amount,
            gross: r.discount_approved_gross,
            quantity: r.discount_approved_quantity ?? r.quantity,
            weightGrams: r.discount_approved_weight_grams,
          }
        : null,
  };
}

export function openCartRow(db: Db): CartRow | null {
  return (db.prepare("SELECT * FROM carts WHERE status = 'open'").get() as CartRow | undefined) ?? null;
}

/** The open cart's id, creating an empty open cart if there is none. */
export function ensureOpenCart(db: Db, at: Date, staffId: string | null): string {
  const row = openCartRow(db);
  if (row) return row.id;
  const id = uuidv7(at);
  db.prepare("INSERT INTO carts (id, status, staff_id, created_at, updated_at) VALUES (?, 'open', ?, ?, ?)").run(
    id,
    staffId,
    at.toISOString(),
    at.toISOString(),
  );
  return id;
}

export function cartLines(db: Db, cartId: string): LineState[] {
  return (db.prepare('SELECT * FROM cart_lines WHERE cart_id = ? ORDER BY position').all(cartId) as LineRow[]).map(
    toState,
  );
}

/** The cart as the till shows it, priced by the pricing engine at `env.at`. */
export function loadCart(db: Db, cartId: string, env: PricingEnv): Cart {
  return pricedCart(db, cartId, env).cart;
}

/** The cart and the engine's full answer (rule ids applied, what each rule alone would save). */
export function pricedCart(
  db: Db,
  cartId: string,
  env: PricingEnv,
): { cart: Cart; pricing: PricingResult & { coupon?: CouponOutcome } } {
  const row = db.prepare('SELECT * FROM carts WHERE id = ?').get(cartId) as CartRow | undefined;
  if (!row) throw new PosError('CART_NOT_FOUND', 'Cart not found');
  const member = cartMemberOf(row);
  const lines = cartLines(db, cartId);
  // The cart's own member prices it (member prices by level, tag conditions) unless the caller names one.
  const pricingMember = env.member ?? (member ? { id: member.id, level: member.level ?? '', tags: member.tags } : null);
  const coupon = cartCoupon(db, cartId);
  // A caller may price with other coupon terms (cart.applyCoupon checks a coupon before holding it).
  const terms = env.coupon !== undefined ? env.coupon : (coupon?.terms ?? null);
  const pricing = priceCartLines(db, linesForPricing(lines), { ...env, member: pricingMember, coupon: terms });
  const cart = buildCart(
    row.id,
    lines,
    row.updated_at,
    member,
    pricing,
    parseJson<PricingNote[]>(row.pricing_notes) ?? [],
  );
  if (coupon) {
    const o = pricing.coupon;
    const shown: CartCoupon = {
      code: coupon.code,
      name: coupon.terms.name,
      nameEn: coupon.terms.nameEn,
      kind: coupon.terms.kind,
      amount: o?.amount ?? 0,
      minSpend: coupon.terms.minSpend,
      shortBy: o?.shortBy ?? 0,
      held: coupon.held,
    };
    cart.coupon = shown;
  } else cart.coupon = null;
  return { cart: { ...cart, cashier: cartCashier(db, row.staff_id) }, pricing };
}

/** The coupon on a cart: its code, the terms it was checked against, who holds it. */
export interface CartCouponRow {
  code: string;
  terms: CouponTerms & { memberId: string | null; validFrom: string; validTo: string };
  held: 'hub' | 'offline';
}

export function cartCoupon(db: Db, cartId: string): CartCouponRow | null {
  const r = db.prepare('SELECT code, terms, held FROM cart_coupons WHERE cart_id = ?').get(cartId) as
    { code: string; terms: string; held: 'hub' | 'offline' } | undefined;
  const terms = r ? parseJson<CartCouponRow['terms']>(r.terms) : null;
  return r && terms ? { code: r.code, terms, held: r.held } : null;
}

export function setCartCoupon(db: Db, cartId: string, c: CartCouponRow | null, at: Date): void {
  db.prepare('DELETE FROM cart_coupons WHERE cart_id = ?').run(cartId);
  if (c)
    db.prepare('INSERT INTO cart_coupons (cart_id, code, terms, held, applied_at) VALUES (?, ?, ?, ?, ?)').run(
      cartId,
      c.code,
      JSON.stringify(c.terms),
      c.held,
      at.toISOString(),
    );
}

function cartCashier(db: Db, staffId: string | null): { id: string; name: string } | null {
  if (!staffId) return null;
  const r = db.prepare('SELECT name FROM staff WHERE id = ?').get(staffId) as { name: string } | undefined;
  return { id: staffId, name: r?.name ?? staffId };
}

/**
 * Issue 13 item 16: the open cart changes hands only on purpose. An empty (or unowned) open
 * cart becomes the caller's; one with lines stays its cashier's, and this says whose it is (null: the
 * caller's own, or nobody's).
 */
export function claimEmptyOpenCart(db: Db, staffId: string): { id: string; name: string } | null {
  const row = openCartRow(db);
  if (!row || row.staff_id === staffId) return null;
  // A cart opened without a session (the customer display, a start-up), or started by a manager
  // helping out, is the next user's; only a cashier's own sale is kept for them.
  const owner = row.staff_id
    ? (db.prepare('SELECT role FROM staff WHERE id = ?').get(row.staff_id) as { role: string } | undefined)
    : undefined;
  if (owner?.role !== 'cashier' || cartLines(db, row.id).length === 0) {
    db.prepare('UPDATE carts SET staff_id = ? WHERE id = ?').run(staffId, row.id);
    return null;
  }
  return cartCashier(db, row.staff_id);
}

/** Makes a cart the caller's (a recall, a handover): both are audited by the caller. */
export function setCartCashier(db: Db, cartId: string, staffId: string): void {
  db.prepare('UPDATE carts SET staff_id = ? WHERE id = ?').run(staffId, cartId);
}

function cartMemberOf(row: CartRow): CartMember | null {
  if (!row.member_id) return null;
  const shown = row.member_display
    ? (JSON.parse(row.member_display) as { maskedName: string | null; points: number })
    : { maskedName: null, points: 0 };
  return {
    id: row.member_id,
    level: row.member_level,
    tags: row.member_tags ? (JSON.parse(row.member_tags) as string[]) : [],
    maskedName: shown.maskedName,
    points: shown.points,
  };
}

/** Attaches a member to a cart (or detaches with null); the caller bumps updated_at. */
export function setCartMemberRow(db: Db, cartId: string, member: CartMember | null): void {
  db.prepare('UPDATE carts SET member_id = ?, member_level = ?, member_tags = ?, member_display = ? WHERE id = ?').run(
    member?.id ?? null,
    member?.level ?? null,
    member ? JSON.stringify(member.tags) : null,
    member ? JSON.stringify({ maskedName: member.maskedName, points: member.points }) : null,
    cartId,
  );
}

/** A rule a cart was last priced with (id and names, so a rule deleted since can still be named). */
export interface AppliedRule {
  id: string;
  name: string;
  nameEn: string;
}

function parseJson<T>(text: string | null): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/** The promotions the cart was last priced with; null before its first pricing. */
export function appliedRules(db: Db, cartId: string): AppliedRule[] | null {
  const r = db.prepare('SELECT applied_rules FROM carts WHERE id = ?').get(cartId) as
    { applied_rules: string | null } | undefined;
  return parseJson<AppliedRule[]>(r?.applied_rules ?? null);
}

export function setCartPricing(db: Db, cartId: string, applied: AppliedRule[], notes: PricingNote[] | null): void {
  db.prepare('UPDATE carts SET applied_rules = ?, pricing_notes = ? WHERE id = ?').run(
    JSON.stringify(applied),
    notes && notes.length ? JSON.stringify(notes) : null,
    cartId,
  );
}

export function findLine(db: Db, cartId: string, lineId: string): LineState {
  const r = db.prepare('SELECT * FROM cart_lines WHERE cart_id = ? AND id = ?').get(cartId, lineId) as
    LineRow | undefined;
  if (!r) throw new PosError('LINE_NOT_FOUND');
  return toState(r);
}

export function insertLine(db: Db, cartId: string, l: LineState): void {
  const pos = (
    db.prepare('SELECT COALESCE(MAX(position), 0) + 1 AS p FROM cart_lines WHERE cart_id = ?').get(cartId) as {
      p: number;
    }
  ).p;
  const a = l.approval;
  db.prepare(
    `INSERT INTO cart_lines (id, cart_id, position, sku, name, name_en, unit, quantity, weight_grams, unit_price, fixed_gross, discount_kind, discount_value, barcode,
      discount_approved_by, discount_approved_amount, discount_approved_gross, discount_approved_quantity, discount_approved_weight_grams)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    l.lineId,
    cartId,
    pos,
    l.sku,
    l.name,
    l.nameEn,
    l.unit,
    l.quantity,
    l.weightGrams,
    l.unitPrice,
    l.fixedGross,
    l.discountKind,
    l.discountValue,
    l.barcode,
    a?.approvedById ?? null,
    a?.amount ?? null,
    a?.gross ?? null,
    a?.quantity ?? null,
    a?.weightGrams ?? null,
  );
}

export function updateLine(db: Db, l: LineState): void {
  const a = l.approval;
  db.prepare(
    `UPDATE cart_lines SET quantity = ?, weight_grams = ?, fixed_gross = ?, discount_kind = ?, discount_value = ?,
      discount_approved_by = ?, discount_approved_amount = ?, discount_approved_gross = ?, discount_approved_quantity = ?, discount_approved_weight_grams = ? WHERE id = ?`,
  ).run(
    l.quantity,
    l.weightGrams,
    l.fixedGross,
    l.discountKind,
    l.discountValue,
    a?.approvedById ?? null,
    a?.amount ?? null,
    a?.gross ?? null,
    a?.quantity ?? null,
    a?.weightGrams ?? null,
    l.lineId,
  );
}

export function deleteLine(db: Db, lineId: string): void {
  db.prepare('DELETE FROM cart_lines WHERE id = ?').run(lineId);
}

/** Each write bumps updated_at; payment uses it to notice a cart that changed under it. */
export function touchCart(db: Db, cartId: string, at: Date): void {
  const prev = (
    db.prepare('SELECT updated_at FROM carts WHERE id = ?').get(cartId) as { updated_at: string } | undefined
  )?.updated_at;
  // Keep updated_at strictly increasing even when the clock has not moved.
  let iso = at.toISOString();
  if (prev && iso <= prev) iso = new Date(Date.parse(prev) + 1).toISOString();
  db.prepare('UPDATE carts SET updated_at = ? WHERE id = ?').run(iso, cartId);
}

export function deleteCart(db: Db, cartId: string): void {
  db.prepare('DELETE FROM cart_coupons WHERE cart_id = ?').run(cartId);
  db.prepare('DELETE FROM carts WHERE id = ?').run(cartId);
}

export function parkCartRow(db: Db, cartId: string, label: string, at: Date): void {
  db.prepare("UPDATE carts SET status = 'parked', label = ?, parked_at = ?, updated_at = ? WHERE id = ?").run(
    label,
    at.toISOString(),
    at.toISOString(),
    cartId,
  );
}

export function listParked(db: Db): { id: string; label: string; parkedAt: string; cashierName: string | null }[] {
  return (
    db
      .prepare(
        "SELECT c.id, c.label, c.parked_at, s.name AS staff_name FROM carts c LEFT JOIN staff s ON s.id = c.staff_id WHERE c.status = 'parked' ORDER BY c.parked_at",
      )
      .all() as { id: string; label: string | null; parked_at: string; staff_name: string | null }[]
  ).map((r) => ({ id: r.id, label: r.label ?? '', parkedAt: r.parked_at, cashierName: r.staff_name }));
}

export function recallCartRow(db: Db, parkedId: string, at: Date): void {
  const r = db
    .prepare(
      "UPDATE carts SET status = 'open', label = NULL, parked_at = NULL, updated_at = ? WHERE id = ? AND status = 'parked'",
    )
    .run(at.toISOString(), parkedId);
  if (r.changes === 0) throw new PosError('CART_NOT_FOUND');
}
