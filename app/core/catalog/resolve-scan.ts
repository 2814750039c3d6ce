// From scanned text to a catalog product, through the barcode module: GTINs look up their
// GTIN-14, variable-measure labels their item key; weight or price embedded in the label
// come along. Unknown -> PRODUCT_NOT_FOUND, unparseable -> BARCODE_INVALID.
//
// An embedded price (GS1 AI 392x/393x in an element string or a Digital Link, or an in-store
// 2x price label) sets what the customer pays, and anyone can type one into the scan box.
// So it is taken only for a variable-measure product (sold by weight) that the catalog reached
// through the scanned key; a fixed-price product with a price in its barcode is refused
// (BARCODE_INVALID, reason `price-not-allowed`), and so is a price of zero.
//
// A label with both amount and weight (the Chinese scales' 18-digit form) is checked against the
// product's price per kg; a mismatch is refused (reason `amount-weight-mismatch`) rather than
// trusting either figure.
import { PosError, type ProductView } from '../../contract';
import { checkLabelAmount, parseBarcode, type VariableMeasureRule } from '../barcode';
import type { Db } from '../db';
import { findProductByBarcode } from './product-store';

export interface ResolvedScan {
  product: ProductView;
  /** Normalised code that matched the catalog. */
  code: string;
  weightGrams?: number;
  price?: number;
  parsed: { kind: string; gtin?: string; weightGrams?: number; price?: number };
}

export interface ScanRules {
  variableMeasureRules?: readonly VariableMeasureRule[];
  /** Tolerance of the amount-vs-weight check, in fen (default 1). */
  amountToleranceFen?: number;
}

export function resolveScan(db: Db, raw: string, rules: ScanRules = {}): ResolvedScan {
  const r = parseBarcode(raw, { variableMeasureRules: rules.variableMeasureRules });
  if (!r.ok) {
    throw new PosError('BARCODE_INVALID', { reason: r.reason, detail: r.detail, digits: r.digits });
  }
  // A plain GTIN carries no measure; a variable-measure label has an item key instead of a GTIN.
  const weightGrams = r.kind === 'gtin' ? undefined : r.weightGrams;
  const price = r.kind === 'gtin' ? undefined : r.price;
  const gtin = r.kind === 'variable-measure' ? undefined : r.gtin;
  const itemKey = r.kind === 'variable-measure' ? r.itemKey : undefined;
  const parsed: ResolvedScan['parsed'] = { kind: r.kind };
  if (gtin) parsed.gtin = gtin;
  if (weightGrams !== undefined) parsed.weightGrams = weightGrams;
  if (price !== undefined) parsed.price = price;
  const keys = [itemKey, gtin].filter((k): k is string => typeof k === 'string' && k.length > 0);
  if (keys.length === 0) throw new PosError('BARCODE_INVALID', { reason: 'no-product-key', kind: r.kind });
  for (const code of keys) {
    const product = findProductByBarcode(db, code);
    if (product) {
      if (price !== undefined) assertEmbeddedPriceAllowed(product, price, r.kind);
      if (price !== undefined && weightGrams !== undefined)
        assertAmountMatchesWeight(product, price, weightGrams, rules.amountToleranceFen ?? 1);
      const out: ResolvedScan = { product, code, parsed };
      if (weightGrams !== undefined) out.weightGrams = weightGrams;
      if (price !== undefined) out.price = price;
      return out;
    }
  }
  throw new PosError('PRODUCT_NOT_FOUND', { reason: 'not-in-catalog', code: keys[0] });
}

/** Refusal reason a caller may audit: a price in the barcode of a product that may not carry one. */
export const PRICE_NOT_ALLOWED = 'price-not-allowed';

function assertEmbeddedPriceAllowed(p: ProductView, price: number, kind: string): void {
  if (p.unit !== 'weighed') {
    throw new PosError('BARCODE_INVALID', {
      reason: PRICE_NOT_ALLOWED,
      sku: p.sku,
      name: p.name,
      nameEn: p.nameEn,
      kind,
      price,
    });
  }
  if (price <= 0) {
    throw new PosError('BARCODE_INVALID', { reason: 'bad-price', sku: p.sku, kind, price });
  }
}

/** Refusal reason a caller may audit: the label's amount is not its weight at the till's price per kg. */
export const AMOUNT_WEIGHT_MISMATCH = 'amount-weight-mismatch';

function assertAmountMatchesWeight(p: ProductView, price: number, weightGrams: number, toleranceFen: number): void {
  const check = checkLabelAmount({ price, weightGrams }, p.price, toleranceFen);
  if (check.ok) return;
  throw new PosError('BARCODE_INVALID', {
    reason: AMOUNT_WEIGHT_MISMATCH,
    sku: p.sku,
    name: p.name,
    nameEn: p.nameEn,
    weightGrams,
    pricePerKg: p.price,
    price,
    expected: check.expected,
    labelledYuan: (price / 100).toFixed(2),
    expectedYuan: (check.expected / 100).toFixed(2),
  });
}
