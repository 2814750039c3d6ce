// Products and their barcodes in SQLite. Barcodes are stored normalised (GTIN-14 for GTINs,
// the barcode module's item key for variable-measure labels), so every symbology of the
// same item finds the same row.
import { PosError, type ProductView, type Unit } from '../../contract';
import type { Db } from '../db';
import { pinyinKeys } from '../search';

export interface NewProduct {
  sku: string;
  name: string;
  nameEn: string;
  price: number;
  unit: Unit;
  taxClass: string;
  category: string;
  active?: boolean;
  /** Already normalised codes (GTIN-14 or variable-measure item keys). */
  barcodes: string[];
}

interface ProductRow {
  sku: string;
  name: string;
  name_en: string;
  price: number;
  currency: 'CNY';
  unit: Unit;
  tax_class: string;
  category: string;
  active: number;
}

const COLS = 'sku, name, name_en, price, currency, unit, tax_class, category, active';

function toView(r: ProductRow, barcodes: string[]): ProductView {
  return {
    sku: r.sku,
    name: r.name,
    nameEn: r.name_en,
    barcodes,
    price: r.price,
    currency: r.currency,
    unit: r.unit,
    taxClass: r.tax_class,
    category: r.category,
    active: r.active === 1,
  };
}

function barcodesOf(db: Db, sku: string): string[] {
  return (db.prepare('SELECT code FROM barcodes WHERE sku = ? ORDER BY code').all(sku) as { code: string }[]).map(
    (r) => r.code,
  );
}

export function findProduct(db: Db, sku: string): ProductView | null {
  const r = db.prepare(`SELECT ${COLS} FROM products WHERE sku = ?`).get(sku) as ProductRow | undefined;
  return r ? toView(r, barcodesOf(db, sku)) : null;
}

export function getProduct(db: Db, sku: string): ProductView {
  const p = findProduct(db, sku);
  if (!p) throw new PosError('PRODUCT_NOT_FOUND', { reason: 'no-sku', sku });
  return p;
}

/** An active product for a normalised barcode, or null. */
export function findProductByBarcode(db: Db, code: string): ProductView | null {
  const r = db
    .prepare(
      `SELECT ${COLS.split(', ')
        .map((c) => `p.${c}`)
        .join(', ')} FROM barcodes b JOIN products p ON p.sku = b.sku WHERE b.code = ? AND p.active = 1`,
    )
    .get(code) as ProductRow | undefined;
  return r ? toView(r, barcodesOf(db, r.sku)) : null;
}

export function productsBySkus(db: Db, skus: readonly string[]): ProductView[] {
  const out: ProductView[] = [];
  for (const sku of skus) {
    const p = findProduct(db, sku);
    if (p && p.active) out.push(p);
  }
  return out;
}

/** Inserts or replaces products and their barcodes in one transaction (fast path for 100k). */
export function upsertProducts(db: Db, products: Iterable<NewProduct>, at: Date): number {
  const iso = at.toISOString();
  const up =
    db.prepare(`INSERT INTO products (sku, name, name_en, price, currency, unit, tax_class, category, active, updated_at, pinyin_full, pinyin_initials)
    VALUES (?, ?, ?, ?, 'CNY', ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(sku) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, price = excluded.price, unit = excluded.unit,
      tax_class = excluded.tax_class, category = excluded.category, active = excluded.active, updated_at = excluded.updated_at,
      pinyin_full = excluded.pinyin_full, pinyin_initials = excluded.pinyin_initials`);
  const bc = db.prepare(
    'INSERT INTO barcodes (code, sku) VALUES (?, ?) ON CONFLICT(code) DO UPDATE SET sku = excluded.sku',
  );
  let n = 0;
  db.transaction(() => {
    for (const p of products) {
      if (!Number.isSafeInteger(p.price) || p.price < 0)
        throw new PosError('BAD_INPUT', `price of ${p.sku} must be integer fen >= 0`);
      const keys = pinyinKeys(p.name);
      up.run(
        p.sku,
        p.name,
        p.nameEn,
        p.price,
        p.unit,
        p.taxClass,
        p.category,
        p.active === false ? 0 : 1,
        iso,
        keys.full,
        keys.initials,
      );
      for (const code of p.barcodes) bc.run(code, p.sku);
      n++;
    }
  })();
  return n;
}

export interface SearchRow {
  sku: string;
  name: string;
  nameEn: string;
  fullPinyin: string;
  initials: string;
  barcodes: string[];
}

/**
 * Every active product as a search row, streamed in SKU order with its barcodes, so building
 * the index for a 100k catalog never holds all rows (and their intermediate arrays) at once:
 * that transient peak, not the index, set the till's resident memory.
 */
export function* searchableProducts(db: Db): Generator<SearchRow> {
  const rows = db
    .prepare(
      `SELECT p.sku, p.name, p.name_en, p.pinyin_full, p.pinyin_initials, b.code FROM products p
    LEFT JOIN barcodes b ON b.sku = p.sku WHERE p.active = 1 ORDER BY p.sku, b.code`,
    )
    .iterate() as IterableIterator<{
    sku: string;
    name: string;
    name_en: string;
    pinyin_full: string;
    pinyin_initials: string;
    code: string | null;
  }>;
  let current: SearchRow | null = null;
  for (const r of rows) {
    if (current && current.sku !== r.sku) {
      yield current;
      current = null;
    }
    if (!current)
      current = {
        sku: r.sku,
        name: r.name,
        nameEn: r.name_en,
        fullPinyin: r.pinyin_full,
        initials: r.pinyin_initials,
        barcodes: [],
      };
    if (r.code !== null) current.barcodes.push(r.code);
  }
  if (current) yield current;
}

/** The search rows of these SKUs that are active (inactive or unknown SKUs are absent). */
export function searchableProductsBySku(db: Db, skus: readonly string[]): Map<string, SearchRow> {
  const out = new Map<string, SearchRow>();
  const row = db.prepare(
    'SELECT sku, name, name_en, pinyin_full, pinyin_initials FROM products WHERE sku = ? AND active = 1',
  );
  const codes = db.prepare('SELECT code FROM barcodes WHERE sku = ? ORDER BY code');
  for (const sku of skus) {
    const r = row.get(sku) as
      { sku: string; name: string; name_en: string; pinyin_full: string; pinyin_initials: string } | undefined;
    if (!r) continue;
    out.set(sku, {
      sku: r.sku,
      name: r.name,
      nameEn: r.name_en,
      fullPinyin: r.pinyin_full,
      initials: r.pinyin_initials,
      barcodes: (codes.all(sku) as { code: string }[]).map((c) => c.code),
    });
  }
  return out;
}

export function productCount(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM products').get() as { n: number }).n;
}
