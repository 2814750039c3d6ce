// From scanned text to a catalog product, through the barcode module: GTINs look up their
// GTIN-14, variable-measure labels their item key; weight or price embedded in the label
// come along. Unknown -> PRODUCT_NOT_FOUND, unparseable -> BARCODE_INVALID.
import { PosError, type ProductView } from '../../contract';
import { parseBarcode } from '../barcode';
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

interface ParsedLike { ok?: boolean; kind?: string; gtin?: string; itemKey?: string; weightGrams?: number; price?: number | { amount?: number }; message?: string; messageZh?: string; reason?: string }

function fenOf(price: ParsedLike['price']): number | undefined {
  if (typeof price === 'number') return price;
  if (price && typeof price === 'object' && typeof price.amount === 'number') return price.amount;
  return undefined;
}

export function resolveScan(db: Db, raw: string): ResolvedScan {
  const r = parseBarcode(raw) as unknown as ParsedLike;
  if (r.ok === false) {
    throw new PosError('BARCODE_INVALID', `${r.messageZh ?? '条码无法识别'} / ${r.message ?? 'Barcode not recognised'}`, { reason: r.reason });
  }
  const weightGrams = typeof r.weightGrams === 'number' ? r.weightGrams : undefined;
  const price = fenOf(r.price);
  const parsed: ResolvedScan['parsed'] = { kind: r.kind ?? 'unknown' };
  if (r.gtin) parsed.gtin = r.gtin;
  if (weightGrams !== undefined) parsed.weightGrams = weightGrams;
  if (price !== undefined) parsed.price = price;
  const keys = [r.itemKey, r.gtin].filter((k): k is string => typeof k === 'string' && k.length > 0);
  if (keys.length === 0) throw new PosError('BARCODE_INVALID', '条码里没有商品编号 / This barcode does not identify a product', { kind: r.kind });
  for (const code of keys) {
    const product = findProductByBarcode(db, code);
    if (product) {
      const out: ResolvedScan = { product, code, parsed };
      if (weightGrams !== undefined) out.weightGrams = weightGrams;
      if (price !== undefined) out.price = price;
      return out;
    }
  }
  throw new PosError('PRODUCT_NOT_FOUND', `商品不存在：${keys[0]} / Product not in the catalog: ${keys[0]}`, { code: keys[0] });
}
