// The till's cart operations: scan, add by SKU, set quantity/weight, remove, line discount,
// park/recall and void. Each runs in one transaction, bumps the cart's updated_at and
// emits cart.changed after commit.
//
// Discount limits hold for the line as it ends up, not only when the discount is given: every
// change of a line's quantity, weight or price goes through changeLine, which re-checks the
// discount against the cashier's limit and the manager's approval and takes it off (audited,
// cart.discountRemoved) when neither covers it. A repeat scan never merges into a discounted
// line, so an approval given for one item never stretches over the next ones scanned.
import { PosError, type Cart, type ParkedCartSummary, type ScanResult, type StaffView } from '../../contract';
import { requireManagerApproval } from '../auth';
import { writeAudit } from '../audit';
import { AMOUNT_WEIGHT_MISMATCH, getProduct, PRICE_NOT_ALLOWED, resolveScan, type ResolvedScan } from '../catalog';
import { presetReason, readTillConfig, scaleLabelRules } from '../config';
import { uuidv7 } from '../ids';
import type { CoreContext } from '../context';
import {
  cashierLimitFen,
  discountAmount,
  discountStanding,
  effectiveDiscountPercent,
  lineGross,
  validateDiscount,
  type DiscountApproval,
  type LineState,
} from './cart-math';
import {
  cartLines,
  deleteCart,
  deleteLine,
  ensureOpenCart,
  findLine,
  insertLine,
  listParked,
  appliedRules,
  loadCart,
  openCartRow,
  pricedCart,
  setCartPricing,
  type AppliedRule,
  parkCartRow,
  recallCartRow,
  touchCart,
  updateLine,
  claimEmptyOpenCart,
  setCartCashier,
} from './cart-store';
import type { PricingNote, ProductView, TillEvent } from '../../contract';
import type { PricingEnv } from '../price-rules';
import type { PricingResult } from '../pricing';

/** What the cart is priced with now: the core's clock, this till, the cart's member. */
export function pricingEnv(ctx: CoreContext, cartId: string, at: Date = ctx.clock()): PricingEnv {
  return { at, storeId: ctx.storeId, terminalId: ctx.terminalId, member: ctx.cartMember?.(cartId) ?? null };
}

function appliedOf(pricing: PricingResult): AppliedRule[] {
  const out = new Map<string, AppliedRule>();
  for (const l of pricing.lines)
    for (const d of l.discounts)
      if (!out.has(d.ruleId)) out.set(d.ruleId, { id: d.ruleId, name: d.name, nameEn: d.nameEn });
  return [...out.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** After a cashier's change: the cart is priced afresh and any re-price note is cleared (the cashier sees the cart). */
export function changed(ctx: CoreContext, cartId: string): Cart {
  const { cart, pricing } = pricedCart(ctx.db, cartId, pricingEnv(ctx, cartId));
  setCartPricing(ctx.db, cartId, appliedOf(pricing), null);
  const shown = { ...cart, pricingNotes: [] };
  ctx.emit({ type: 'cart.changed', cart: shown });
  return shown;
}

/**
 * Re-prices the open cart without a cashier's change (a rule opened or closed by its time
 * window, or arrived by sync). When the promotions it gets differ from those it was last priced
 * with, the cart keeps a note naming them (shown until the cashier's next change), cart.changed
 * is emitted and the re-priced cart returned; otherwise null.
 */
export function repriceOpenCart(ctx: CoreContext, at: Date = ctx.clock()): Cart | null {
  const row = openCartRow(ctx.db);
  if (!row) return null;
  const { cart, pricing } = pricedCart(ctx.db, row.id, pricingEnv(ctx, row.id, at));
  const before = appliedRules(ctx.db, row.id);
  const now = appliedOf(pricing);
  if (before === null) {
    setCartPricing(ctx.db, row.id, now, null);
    return null;
  }
  const was = new Set(before.map((r) => r.id));
  const is = new Set(now.map((r) => r.id));
  const notes: PricingNote[] = [
    ...now
      .filter((r) => !was.has(r.id))
      .map((r) => ({ ruleId: r.id, name: r.name, nameEn: r.nameEn, change: 'opened' as const })),
    ...before
      .filter((r) => !is.has(r.id))
      .map((r) => ({ ruleId: r.id, name: r.name, nameEn: r.nameEn, change: 'closed' as const })),
  ];
  if (notes.length === 0) return null;
  const kept = cart.pricingNotes.filter((n) => !notes.some((m) => m.ruleId === n.ruleId));
  const all = [...kept, ...notes];
  setCartPricing(ctx.db, row.id, now, all);
  const shown = { ...cart, pricingNotes: all };
  ctx.logger.info({ cartId: row.id, notes: notes.map((n) => `${n.change}:${n.ruleId}`) }, 'open cart re-priced');
  ctx.emit({ type: 'cart.changed', cart: shown });
  return shown;
}

function cartCashierId(ctx: CoreContext, cartId: string): string | null {
  const r = ctx.db.prepare('SELECT staff_id FROM carts WHERE id = ?').get(cartId) as
    { staff_id: string | null } | undefined;
  return r?.staff_id ?? null;
}

/**
 * Refuses a cashier's change to another cashier's unfinished sale (issue 13 item 16): it is
 * handed over (shift.handover parks it under its cashier's name) or recalled on purpose.
 * Managers may still step in on a cashier's sale; their actions carry their own id.
 */
export function requireOwnCart(ctx: CoreContext, staff: StaffView): void {
  const other = claimEmptyOpenCart(ctx.db, staff.id);
  if (other && staff.role === 'cashier')
    throw new PosError('CONFLICT', { reason: 'cart-other-cashier', name: other.name });
}

export function getCart(ctx: CoreContext, staff: StaffView | null): Cart {
  const row = openCartRow(ctx.db);
  const id = row ? row.id : ensureOpenCart(ctx.db, ctx.clock(), staff?.id ?? null);
  return loadCart(ctx.db, id, pricingEnv(ctx, id));
}

function weightRequired(p: ProductView): never {
  throw new PosError('WEIGHT_REQUIRED', {
    reason: 'weigh-it',
    sku: p.sku,
    name: p.name,
    nameEn: p.nameEn,
    pricePerKg: p.price,
  });
}

function addProductLine(
  ctx: CoreContext,
  staff: StaffView,
  p: ProductView,
  opts: { quantity?: number; weightGrams?: number; fixedGross?: number; barcode: string | null },
): { cartId: string; lineId: string } {
  if (!p.active)
    throw new PosError('PRODUCT_NOT_FOUND', { reason: 'not-for-sale', sku: p.sku, name: p.name, nameEn: p.nameEn });
  const now = ctx.clock();
  return ctx.db.transaction(() => {
    const cartId = ensureOpenCart(ctx.db, now, staff.id);
    if (p.unit === 'each' && opts.fixedGross === undefined) {
      const qty = opts.quantity ?? 1;
      // Only into an undiscounted line: a discount (and a manager's approval of it) was given
      // for the items on its line, not for the next ones scanned.
      const same = cartLines(ctx.db, cartId).find(
        (l) =>
          l.sku === p.sku &&
          l.unit === 'each' &&
          l.fixedGross === null &&
          l.unitPrice === p.price &&
          l.discountKind === null,
      );
      if (same) {
        const q = same.quantity + qty;
        if (q > 9999) throw new PosError('BAD_INPUT', 'Quantity above 9999');
        updateLine(ctx.db, { ...same, quantity: q });
        touchCart(ctx.db, cartId, now);
        return { cartId, lineId: same.lineId };
      }
    }
    const line: LineState = {
      lineId: uuidv7(now),
      sku: p.sku,
      name: p.name,
      nameEn: p.nameEn,
      unit: p.unit,
      quantity: p.unit === 'weighed' ? 1 : (opts.quantity ?? 1),
      weightGrams: p.unit === 'weighed' ? (opts.weightGrams ?? null) : null,
      unitPrice: p.price,
      fixedGross: opts.fixedGross ?? null,
      discountKind: null,
      discountValue: 0,
      barcode: opts.barcode,
      approval: null,
    };
    insertLine(ctx.db, cartId, line);
    touchCart(ctx.db, cartId, now);
    return { cartId, lineId: line.lineId };
  })();
}

/** Resolves a scan; a price in the barcode of a fixed-price product is refused and audited (a typed one is how a price would be forged). */
function resolveForSale(ctx: CoreContext, staff: StaffView, code: string): ResolvedScan {
  try {
    const config = readTillConfig(ctx.db, ctx.storeId, ctx.terminalId);
    return resolveScan(ctx.db, code, {
      variableMeasureRules: scaleLabelRules(config),
      amountToleranceFen: config.scaleLabels.amountToleranceFen,
    });
  } catch (err) {
    const d =
      err instanceof PosError
        ? (err.details as { reason?: string; sku?: string; kind?: string; price?: number } | undefined)
        : undefined;
    if (d?.reason === AMOUNT_WEIGHT_MISMATCH) {
      ctx.db.transaction(() =>
        writeAudit(ctx.db, ctx.terminalId, ctx.clock(), {
          action: 'scan.label_mismatch',
          staffId: staff.id,
          detail: {
            sku: d.sku ?? null,
            price: d.price ?? null,
            expected: (d as { expected?: number }).expected ?? null,
          },
        }),
      )();
      ctx.logger.warn({ sku: d.sku }, 'scale label amount does not match its weight');
    }
    if (d?.reason === PRICE_NOT_ALLOWED) {
      ctx.db.transaction(() =>
        writeAudit(ctx.db, ctx.terminalId, ctx.clock(), {
          action: 'scan.price_refused',
          staffId: staff.id,
          detail: { sku: d.sku ?? null, kind: d.kind ?? null, price: d.price ?? null },
        }),
      )();
      ctx.logger.warn({ sku: d.sku, kind: d.kind }, 'embedded price refused for a fixed-price product');
    }
    throw err;
  }
}

export function scanIntoCart(ctx: CoreContext, staff: StaffView, code: string): ScanResult {
  const r = resolveForSale(ctx, staff, code);
  const p = r.product;
  let added: { cartId: string; lineId: string };
  if (p.unit === 'weighed') {
    if (r.weightGrams === undefined && r.price === undefined) weightRequired(p);
    let weightGrams = r.weightGrams;
    // A price-only label: show the weight the scale must have used.
    if (weightGrams === undefined && r.price !== undefined && p.price > 0)
      weightGrams = Math.max(1, Math.round((r.price * 1000) / p.price));
    added = addProductLine(ctx, staff, p, { weightGrams, fixedGross: r.price, barcode: r.code });
  } else {
    added = addProductLine(ctx, staff, p, { quantity: 1, fixedGross: r.price, barcode: r.code });
  }
  ctx.logger.debug({ sku: p.sku, kind: r.parsed.kind }, 'scanned');
  return { cart: changed(ctx, added.cartId), lineId: added.lineId, parsed: r.parsed };
}

export function addToCart(
  ctx: CoreContext,
  staff: StaffView,
  input: { sku: string; quantity?: number; weightGrams?: number },
): { cart: Cart; lineId: string } {
  const p = getProduct(ctx.db, input.sku);
  if (p.unit === 'weighed' && input.weightGrams === undefined) weightRequired(p);
  const added = addProductLine(ctx, staff, p, {
    quantity: input.quantity,
    weightGrams: input.weightGrams,
    barcode: null,
  });
  return { cart: changed(ctx, added.cartId), lineId: added.lineId };
}

function requireOpenCartId(ctx: CoreContext): string {
  const row = openCartRow(ctx.db);
  if (!row) throw new PosError('LINE_NOT_FOUND', { reason: 'cart-empty' });
  return row.id;
}

/**
 * Inside a transaction: writes a line whose quantity, weight or price changed, re-checking its
 * discount. Within the cashier's limit, or covered by the manager's approval, it stays; changed
 * by a manager's own session, the manager approves the new figure (audited discount.override);
 * otherwise it is taken off (audited discount.removed) and the event to tell the cashier is returned.
 */
function changeLine(ctx: CoreContext, staff: StaffView, cartId: string, next: LineState, now: Date): TillEvent | null {
  const gross = lineGross(next);
  // An amount never takes more than the line (a smaller weight or quantity can make it so).
  const line: LineState =
    next.discountKind === 'amount' ? { ...next, discountValue: Math.min(next.discountValue, gross) } : { ...next };
  const limit = readTillConfig(ctx.db, ctx.storeId, ctx.terminalId).maxCashierDiscountPercent;
  const standing = discountStanding(line, limit);
  if (standing !== 'over-limit') {
    updateLine(
      ctx.db,
      standing === 'none' && line.discountValue === 0 ? { ...line, discountKind: null, approval: null } : line,
    );
    return null;
  }
  const amount = discountAmount(gross, line.discountKind, line.discountValue);
  const detail = {
    cartId,
    lineId: line.lineId,
    sku: line.sku,
    kind: line.discountKind,
    value: line.discountValue,
    amount,
    gross,
    limit,
    limitAmount: cashierLimitFen(gross, limit),
    quantity: line.quantity,
    weightGrams: line.weightGrams,
    approvedAmount: line.approval?.amount ?? null,
    approvedGross: line.approval?.gross ?? null,
    approvedQuantity: line.approval?.quantity ?? null,
  };
  if (staff.role === 'manager') {
    const approval: DiscountApproval = {
      approvedById: staff.id,
      amount,
      gross,
      quantity: line.quantity,
      weightGrams: line.weightGrams,
    };
    updateLine(ctx.db, { ...line, approval });
    writeAudit(ctx.db, ctx.terminalId, now, {
      action: 'discount.override',
      staffId: staff.id,
      approvedById: staff.id,
      detail: { ...detail, percent: effectiveDiscountPercent(gross, 'amount', amount), reason: 'line-changed' },
    });
    return null;
  }
  updateLine(ctx.db, { ...line, discountKind: null, discountValue: 0, approval: null });
  writeAudit(ctx.db, ctx.terminalId, now, {
    action: 'discount.removed',
    staffId: staff.id,
    approvedById: line.approval?.approvedById ?? null,
    detail,
  });
  return {
    type: 'cart.discountRemoved',
    cartId,
    lineId: line.lineId,
    sku: line.sku,
    name: line.name,
    nameEn: line.nameEn,
    amount,
  };
}

export function setLineQuantity(
  ctx: CoreContext,
  staff: StaffView,
  input: { lineId: string; quantity?: number; weightGrams?: number },
): Cart {
  const cartId = requireOpenCartId(ctx);
  const now = ctx.clock();
  const removed = ctx.db.transaction(() => {
    const l = findLine(ctx.db, cartId, input.lineId);
    let event: TillEvent | null;
    if (l.unit === 'weighed') {
      if (input.weightGrams === undefined) throw new PosError('WEIGHT_REQUIRED', { lineId: l.lineId });
      // A new weight replaces a label price: the line is now priced by weight.
      event = changeLine(ctx, staff, cartId, { ...l, weightGrams: input.weightGrams, fixedGross: null }, now);
    } else {
      if (input.quantity === undefined) throw new PosError('BAD_INPUT', { reason: 'quantity-required' });
      if (l.fixedGross !== null) throw new PosError('BAD_INPUT', { reason: 'price-labelled-quantity' });
      event = changeLine(ctx, staff, cartId, { ...l, quantity: input.quantity }, now);
    }
    touchCart(ctx.db, cartId, now);
    return event;
  })();
  if (removed) {
    ctx.logger.info(
      { cartId, lineId: input.lineId, staffId: staff.id },
      'discount over the limit taken off after a line change',
    );
    ctx.emit(removed);
  }
  return changed(ctx, cartId);
}

export function removeLine(ctx: CoreContext, lineId: string): Cart {
  const cartId = requireOpenCartId(ctx);
  ctx.db.transaction(() => {
    findLine(ctx.db, cartId, lineId);
    deleteLine(ctx.db, lineId);
    touchCart(ctx.db, cartId, ctx.clock());
  })();
  return changed(ctx, cartId);
}

export async function applyLineDiscount(
  ctx: CoreContext,
  staff: StaffView,
  input: { lineId: string; kind: 'percent' | 'amount'; value: number; managerPin?: string; managerId?: string },
): Promise<Cart> {
  const cartId = requireOpenCartId(ctx);
  const line = findLine(ctx.db, cartId, input.lineId);
  const gross = lineGross(line);
  validateDiscount(gross, input.kind, input.value);
  const limit = readTillConfig(ctx.db, ctx.storeId, ctx.terminalId).maxCashierDiscountPercent;
  const percent = effectiveDiscountPercent(gross, input.kind, input.value);
  const amount = discountAmount(gross, input.kind, input.value);
  const overLimit = percent > limit || amount > cashierLimitFen(gross, limit);
  const approver = overLimit ? await requireManagerApproval(ctx, staff, input, 'discount-over-limit', { limit }) : null;
  const now = ctx.clock();
  ctx.db.transaction(() => {
    const l = findLine(ctx.db, cartId, input.lineId);
    // The approval is for the line as it was checked; a change while the PIN was verified voids it.
    if (lineGross(l) !== gross || l.quantity !== line.quantity || l.weightGrams !== line.weightGrams) {
      throw new PosError('CONFLICT', { reason: 'line-changed' });
    }
    const approval: DiscountApproval | null =
      approver && input.value > 0
        ? { approvedById: approver.id, amount, gross, quantity: l.quantity, weightGrams: l.weightGrams }
        : null;
    updateLine(ctx.db, {
      ...l,
      discountKind: input.value > 0 ? input.kind : null,
      discountValue: input.value,
      approval,
    });
    touchCart(ctx.db, cartId, now);
    if (overLimit) {
      writeAudit(ctx.db, ctx.terminalId, now, {
        action: 'discount.override',
        staffId: staff.id,
        approvedById: approver?.id ?? null,
        detail: {
          cartId,
          lineId: l.lineId,
          sku: l.sku,
          kind: input.kind,
          value: input.value,
          percent,
          limit,
          amount,
          gross,
          quantity: l.quantity,
          weightGrams: l.weightGrams,
        },
      });
    }
  })();
  return changed(ctx, cartId);
}

export function parkCart(
  ctx: CoreContext,
  staff: StaffView,
  label: string | undefined,
): { parkedId: string; cart: Cart } {
  const row = openCartRow(ctx.db);
  if (!row || cartLines(ctx.db, row.id).length === 0) throw new PosError('CART_EMPTY', { reason: 'nothing-to-park' });
  const now = ctx.clock();
  const parkedCount = listParked(ctx.db).length;
  const text = label && label.length > 0 ? label : `#${parkedCount + 1}`;
  const newId = ctx.db.transaction(() => {
    parkCartRow(ctx.db, row.id, text, now);
    writeAudit(ctx.db, ctx.terminalId, now, {
      action: 'cart.park',
      staffId: staff.id,
      detail: { cartId: row.id, label: text },
    });
    return ensureOpenCart(ctx.db, now, staff.id);
  })();
  return { parkedId: row.id, cart: changed(ctx, newId) };
}

export function parkedCarts(ctx: CoreContext): ParkedCartSummary[] {
  return listParked(ctx.db).map((p) => {
    const c = loadCart(ctx.db, p.id, pricingEnv(ctx, p.id));
    return {
      parkedId: p.id,
      label: p.label,
      itemCount: c.itemCount,
      total: c.total,
      parkedAt: p.parkedAt,
      cashierName: p.cashierName,
    };
  });
}

export function recallCart(ctx: CoreContext, staff: StaffView, parkedId: string): Cart {
  const now = ctx.clock();
  ctx.db.transaction(() => {
    const open = openCartRow(ctx.db);
    if (open) {
      if (cartLines(ctx.db, open.id).length > 0) throw new PosError('CONFLICT', { reason: 'cart-open' });
      deleteCart(ctx.db, open.id);
    }
    recallCartRow(ctx.db, parkedId, now);
    // Recalling a sale someone else parked is taking it over, on purpose and on record.
    const owner = cartCashierId(ctx, parkedId);
    if (owner !== staff.id) setCartCashier(ctx.db, parkedId, staff.id);
    writeAudit(ctx.db, ctx.terminalId, now, {
      action: 'cart.recall',
      staffId: staff.id,
      detail: { cartId: parkedId, ...(owner && owner !== staff.id ? { fromStaffId: owner } : {}) },
    });
  })();
  return changed(ctx, parkedId);
}

/** Voids the open cart before payment. A cashier needs a manager PIN; audited with reason. */
export async function voidCart(
  ctx: CoreContext,
  staff: StaffView,
  input: { reason: string; reasonCode?: string; managerPin?: string; managerId?: string },
): Promise<Cart> {
  const reasonCode = presetReason(readTillConfig(ctx.db, ctx.storeId, ctx.terminalId), 'void', input.reasonCode);
  const row = openCartRow(ctx.db);
  const before = row ? loadCart(ctx.db, row.id, pricingEnv(ctx, row.id)) : null;
  if (!row || !before || before.lines.length === 0) throw new PosError('CART_EMPTY');
  const approver = await requireManagerApproval(ctx, staff, input, 'void-sale');
  const now = ctx.clock();
  const newId = ctx.db.transaction(() => {
    const current = openCartRow(ctx.db);
    if (!current || current.id !== row.id) throw new PosError('CONFLICT', 'The cart changed; try again');
    writeAudit(ctx.db, ctx.terminalId, now, {
      action: 'cart.void',
      staffId: staff.id,
      approvedById: approver.id,
      detail: {
        cartId: row.id,
        reason: input.reason,
        ...(reasonCode ? { reasonCode } : {}),
        total: before.total,
        lines: before.lines.map((l) => ({
          sku: l.sku,
          quantity: l.quantity,
          weightGrams: l.weightGrams,
          total: l.total,
        })),
      },
    });
    deleteCart(ctx.db, row.id);
    return ensureOpenCart(ctx.db, now, staff.id);
  })();
  ctx.logger.info({ cartId: row.id, approvedBy: approver.id }, 'cart voided');
  return changed(ctx, newId);
}
