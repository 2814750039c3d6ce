// Finding the product a scanned or typed code names, for the stock screens (receiving, waste,
// stocktake, the phone counting page): the SKU, a barcode (EAN-13 typed or scanned is kept as
// GTIN-14 in the catalog), or else the one product a search finds. null: no such product.
import { useEffect } from 'react';
import type { ProductView } from '../../../contract';
import type { ApiClient } from '../api';

/**
 * Opening a stock tab leaves the focus on the tab's button, where Enter would press that button
 * again instead of reaching the tab's prompts: let go of it so keys go to the tab.
 */
export function useReleaseTabFocus(): void {
  useEffect(() => {
    const el = document.activeElement;
    if (el instanceof HTMLButtonElement) el.blur();
  }, []);
}

export async function findProductByCode(api: ApiClient, code: string): Promise<ProductView | null> {
  const c = code.trim();
  if (!c) return null;
  const { products } = await api.call('catalog.search', { query: c, limit: 5 });
  const gtin = c.padStart(14, '0');
  const exact = products.find((p) => p.sku === c || p.barcodes.includes(c) || p.barcodes.includes(gtin));
  if (exact) return exact;
  return products.length === 1 ? products[0]! : null;
}

/** Items as "12", grams as "1.250 kg". */
export function formatStockQuantity(unit: 'each' | 'weighed', q: number): string {
  if (unit !== 'weighed') return String(q);
  const sign = q < 0 ? '-' : '';
  const a = Math.abs(q);
  return `${sign}${Math.floor(a / 1000)}.${String(a % 1000).padStart(3, '0')} kg`;
}
