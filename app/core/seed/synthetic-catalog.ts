// A large deterministic catalog (e.g. 100 000 products) for benchmarks of search and scan:
// names recombined from the demo catalog with a running number, EAN-13s 69xxxxxxxxxx + check,
// every 20th item weighed with a scale PLU. Inserted in one transaction.
import { variableMeasureItemKey } from '../barcode';
import { upsertProducts, type NewProduct } from '../catalog';
import type { Db } from '../db';
import { DEMO_CATEGORIES } from './demo-catalog-data';
import { ean13, gtin14OfEan13 } from './ean';

export interface SyntheticProduct extends NewProduct {
  ean13: string | null;
  plu: string | null;
}

export function* syntheticCatalog(n: number, opts: { skuPrefix?: string } = {}): Generator<SyntheticProduct> {
  const prefix = opts.skuPrefix ?? 'SYN';
  const base = DEMO_CATEGORIES.flatMap((c) => c.items.map(([zh, en, price]) => ({ zh, en, price, cat: c })));
  for (let i = 0; i < n; i++) {
    const b = base[i % base.length]!;
    const variant = Math.floor(i / base.length);
    const sku = `${prefix}${String(i + 1).padStart(7, '0')}`;
    const price = Math.max(10, b.price + ((i * 37) % 200) - 100);
    const name = variant === 0 ? b.zh : `${b.zh} ${variant}号`;
    const nameEn = variant === 0 ? b.en : `${b.en} No.${variant}`;
    if (i % 20 === 19 && i < 99_999 * 20) {
      const plu = String(Math.floor(i / 20) % 100_000).padStart(5, '0');
      yield {
        sku,
        name,
        nameEn,
        price,
        unit: 'weighed',
        taxClass: 'food-9',
        category: b.cat.id,
        barcodes: [variableMeasureItemKey('21', plu)],
        ean13: null,
        plu,
      };
    } else {
      const code = ean13(`69${String(i).padStart(10, '0')}`);
      yield {
        sku,
        name,
        nameEn,
        price,
        unit: 'each',
        taxClass: b.cat.taxClass,
        category: b.cat.id,
        barcodes: [gtin14OfEan13(code)],
        ean13: code,
        plu: null,
      };
    }
  }
}

/** Inserts N synthetic products in one transaction; returns how many were written. */
export function seedSyntheticCatalog(
  db: Db,
  n: number,
  at: Date = new Date(),
  opts: { skuPrefix?: string } = {},
): number {
  return upsertProducts(db, syntheticCatalog(n, opts), at);
}
