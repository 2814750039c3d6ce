// Demo data for a fresh terminal: the Fresh Corner store, its four staff, ~190 products with
// Chinese EAN-13 barcodes (690–699) and 20 weighed items with scale-label item keys, and
// initial stock as 'receive' movements. Deterministic, so demos and tests can rely on it.
import type { Role, TillConfig } from '../../contract';
import { variableMeasureItemKey } from '../barcode';
import { insertStaff } from '../auth';
import { defaultTillConfig, writeTillConfig } from '../config';
import { upsertProducts, productCount, type NewProduct } from '../catalog';
import type { Db } from '../db';
import { addStockMovement } from '../stock';
import { DEMO_CATEGORIES } from './demo-catalog-data';
import { ean13, gtin14OfEan13 } from './ean';
import { seedReplenishmentDemo } from '../replenishment';

export const DEMO_STORE_ID = 'demo-store';
export const DEMO_TERMINAL_ID = 'T01';
export const DEMO_STORE_NAME = '鲜丰社区生鲜 Fresh Corner';

export interface DemoStaff {
  id: string;
  name: string;
  nameEn: string;
  role: Role;
  pin: string;
}

/** Demo PINs are documented in docs/core.md; change them before real use. */
export const DEMO_STAFF: DemoStaff[] = [
  { id: 'staff-li-na', name: '李娜', nameEn: 'Li Na', role: 'cashier', pin: '1234' },
  { id: 'staff-wang-wei', name: '王伟', nameEn: 'Wang Wei', role: 'cashier', pin: '2345' },
  { id: 'staff-zhang-min', name: '张敏', nameEn: 'Zhang Min', role: 'manager', pin: '8888' },
  { id: 'staff-chen-gong', name: '陈工', nameEn: 'Chen Gong', role: 'technician', pin: '7777' },
];

export interface DemoProduct extends NewProduct {
  /** For each-unit items: the EAN-13 printed on the pack. */
  ean13: string | null;
  /** For weighed items: the scale PLU (5 digits). */
  plu: string | null;
  initialStock: number;
}

/** Small deterministic PRNG (mulberry32) so demo data is the same everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function demoProducts(): DemoProduct[] {
  const rnd = seededRandom(20261129);
  const out: DemoProduct[] = [];
  DEMO_CATEGORIES.forEach((cat, ci) => {
    cat.items.forEach(([zh, en, price], ii) => {
      const n = ci * 100 + ii + 1;
      const sku = String(100000 + n);
      if (cat.unit === 'weighed') {
        const plu = String(n).padStart(5, '0');
        out.push({
          sku,
          name: zh,
          nameEn: en,
          price,
          unit: 'weighed',
          taxClass: cat.taxClass,
          category: cat.id,
          barcodes: [variableMeasureItemKey('21', plu), variableMeasureItemKey('26', plu)],
          ean13: null,
          plu,
          initialStock: (10 + Math.floor(rnd() * 40)) * 1000,
        });
      } else {
        const maker = String(1000 + Math.floor(rnd() * 9000));
        const code = ean13(`69${ci % 10}${maker}${String(n).padStart(5, '0')}`.slice(0, 12));
        out.push({
          sku,
          name: zh,
          nameEn: en,
          price,
          unit: 'each',
          taxClass: cat.taxClass,
          category: cat.id,
          barcodes: [gtin14OfEan13(code)],
          ean13: code,
          plu: null,
          initialStock: 20 + Math.floor(rnd() * 180),
        });
      }
    });
  });
  return out;
}

export function demoTillConfig(): TillConfig {
  return {
    ...defaultTillConfig(DEMO_STORE_ID, DEMO_TERMINAL_ID),
    storeName: DEMO_STORE_NAME,
    cashRounding: { mode: 'none', unit: 10 },
  };
}

/** Seeds an empty database; returns false (and writes nothing) if it already has data. */
export function seedDemoData(
  db: Db,
  opts: { at: Date; terminalId: string; storeId: string; pinScryptN?: number },
): boolean {
  const hasStaff = (db.prepare('SELECT COUNT(*) AS n FROM staff').get() as { n: number }).n > 0;
  if (hasStaff || productCount(db) > 0) return false;
  db.transaction(() => {
    for (const s of DEMO_STAFF) insertStaff(db, s, opts.at, opts.pinScryptN);
    const products = demoProducts();
    upsertProducts(db, products, opts.at);
    // Opening stock is a shelf count (the level, not a delta): when several demo terminals of one
    // store replicate, their seeds reset the level instead of adding up.
    for (const p of products)
      addStockMovement(db, opts.terminalId, opts.at, {
        sku: p.sku,
        kind: 'count',
        quantity: p.initialStock,
        refId: 'demo-seed',
      });
    writeTillConfig(db, { ...demoTillConfig(), storeId: opts.storeId, terminalId: opts.terminalId }, opts.at);
    seedReplenishmentDemo(db, opts.at);
  })();
  return true;
}
