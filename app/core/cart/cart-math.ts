// Pure cart arithmetic in integer fen: line gross (per item, or per kg × grams for weighed
// items, rounded half up to the fen), line discounts, the cashier's discount limit and what a
// manager's approval covers, and cart totals.
import {
  PosError,
  type Cart,
  type CartLine,
  type CartMember,
  type LineDiscount,
  type PricingNote,
  type Unit,
} from '../../contract';
import type { PricedLine, PricingResult } from '../pricing';

/**
 * What a manager approved a line's discount for: this many fen off a line of this gross, at
 * this quantity and weight. It covers the line only while the discount is no more fen and no
 * larger share of the line than that (so fewer items at the same percent stay covered, more
 * items or a smaller weight do not).
 */
export interface DiscountApproval {
  approvedById: string;
  amount: number;
  gross: number;
  quantity: number;
  weightGrams: number | null;
}

export interface LineState {
  lineId: string;
  sku: string;
  name: string;
  nameEn: string;
  unit: Unit;
  quantity: number;
  weightGrams: number | null;
  unitPrice: number;
  /** Price printed on a price-embedded label; it wins over unitPrice × weight. */
  fixedGross: number | null;
  discountKind: 'percent' | 'amount' | null;
  discountValue: number;
  barcode: string | null;
  /** Set when the discount was over the cashier's limit and a manager approved it. */
  approval: DiscountApproval | null;
}

/** fen per kg × grams, rounded half up to the fen. */
export function weighedPrice(pricePerKg: number, grams: number): number {
  return Math.floor((pricePerKg * grams + 500) / 1000);
}

export function lineGross(
  l: Pick<LineState, 'unit' | 'quantity' | 'weightGrams' | 'unitPrice' | 'fixedGross'>,
): number {
  if (l.fixedGross !== null) return l.fixedGross;
  if (l.unit === 'weighed') return weighedPrice(l.unitPrice, l.weightGrams ?? 0);
  return l.unitPrice * l.quantity;
}

export function discountAmount(gross: number, kind: 'percent' | 'amount' | null, value: number): number {
  if (!kind || value <= 0) return 0;
  if (kind === 'percent') return Math.min(gross, Math.floor((gross * Math.min(value, 100) + 50) / 100));
  return Math.min(gross, value);
}

/** Effective discount percent of a line (for the cashier limit), rounded up so 10.01 % > 10 %. */
export function effectiveDiscountPercent(gross: number, kind: 'percent' | 'amount', value: number): number {
  if (kind === 'percent') return value;
  if (gross <= 0) return value > 0 ? 100 : 0;
  return Math.ceil(((Math.min(value, gross) * 100) / gross) * 100) / 100;
}

/** The most fen a cashier may take off a line of this gross without a manager: what a limit-percent discount gives. */
export function cashierLimitFen(gross: number, limitPercent: number): number {
  return discountAmount(gross, 'percent', limitPercent);
}

/** True when `approval` covers `fen` off a line of `gross`: no more fen, and no larger share of the line. */
export function approvalCovers(approval: DiscountApproval | null, gross: number, fen: number): boolean {
  if (fen <= 0) return true;
  if (!approval) return false;
  // fen / gross <= amount / approvedGross, cross-multiplied in BigInt (weighed lines can pass 2^53).
  return fen <= approval.amount && BigInt(fen) * BigInt(approval.gross) <= BigInt(approval.amount) * BigInt(gross);
}

/** Where a line's discount stands against the cashier's limit and its approval. */
export function discountStanding(
  l: LineState,
  limitPercent: number,
): 'none' | 'within-limit' | 'approved' | 'over-limit' {
  const gross = lineGross(l);
  const fen = discountAmount(gross, l.discountKind, l.discountValue);
  if (fen <= 0) return 'none';
  if (fen <= cashierLimitFen(gross, limitPercent)) return 'within-limit';
  return approvalCovers(l.approval, gross, fen) ? 'approved' : 'over-limit';
}

export function validateDiscount(gross: number, kind: 'percent' | 'amount', value: number): void {
  if (kind === 'percent' && value > 100) throw new PosError('BAD_INPUT', { reason: 'discount-over-100', value });
  if (kind === 'amount' && value > gross)
    throw new PosError('BAD_INPUT', { reason: 'discount-over-line', value, gross });
}

/**
 * The line as the till shows it. Promotions (the pricing engine's `priced` line) come first; the
 * cashier's line discount is figured on the gross as before (so its limit and approval mean the
 * same fen) and takes at most what the promotions left, so a line never goes below zero.
 */
export function toCartLine(l: LineState, priced?: PricedLine): CartLine {
  const gross = lineGross(l);
  const promo = priced && priced.originalPrice === gross ? priced.saved : 0;
  const manual = Math.min(gross - promo, discountAmount(gross, l.discountKind, l.discountValue));
  const discounts: LineDiscount[] =
    promo > 0 && priced
      ? priced.discounts.map((d) => ({
          ruleId: d.ruleId,
          name: d.name,
          nameEn: d.nameEn,
          kind: d.kind,
          amount: d.amount,
        }))
      : [];
  if (manual > 0)
    discounts.push({ ruleId: null, name: '单品折扣', nameEn: 'Line discount', kind: 'manual', amount: manual });
  const discount = promo + manual;
  return {
    lineId: l.lineId,
    sku: l.sku,
    name: l.name,
    nameEn: l.nameEn,
    unit: l.unit,
    quantity: l.quantity,
    weightGrams: l.weightGrams,
    unitPrice: l.unitPrice,
    gross,
    discount,
    total: gross - discount,
    barcode: l.barcode,
    originalPrice: gross,
    discounts,
    saved: discount,
  };
}

/** The lines as the pricing engine reads them. */
export function linesForPricing(lines: readonly LineState[]): {
  lineId: string;
  sku: string;
  unit: Unit;
  quantity: number;
  weightGrams: number | null;
  unitPrice: number;
  gross: number;
}[] {
  return lines.map((l) => ({
    lineId: l.lineId,
    sku: l.sku,
    unit: l.unit,
    quantity: l.quantity,
    weightGrams: l.weightGrams,
    unitPrice: l.unitPrice,
    gross: lineGross(l),
  }));
}

export function buildCart(
  id: string,
  lines: readonly LineState[],
  updatedAt: string,
  member: CartMember | null = null,
  pricing: PricingResult | null = null,
  pricingNotes: PricingNote[] = [],
): Cart {
  const priced = new Map(pricing?.lines.map((p) => [p.lineId, p]));
  const views = lines.map((l) => toCartLine(l, priced.get(l.lineId)));
  const subtotal = views.reduce((s, l) => s + l.gross, 0);
  const discount = views.reduce((s, l) => s + l.discount, 0);
  return {
    id,
    lines: views,
    itemCount: views.reduce((s, l) => s + (l.unit === 'weighed' ? 1 : l.quantity), 0),
    subtotal,
    discount,
    total: subtotal - discount,
    currency: 'CNY',
    updatedAt,
    member,
    saved: discount,
    pricingNotes,
    nearThresholds: pricing?.nearThresholds ?? [],
  };
}
