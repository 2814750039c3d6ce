// Product search for the till: the pinyin/Chinese/English/SKU/barcode index from the search
// module, built lazily from SQLite (pinyin keys are stored per product) on the first search
// and rebuilt after catalog writes. Inactive products are not in the index.
import type { ProductView } from '../../contract';
import type { Db } from '../db';
import { createProductSearchIndex, type ProductSearchIndex } from '../search';
import { productsBySkus, searchableProducts, searchableProductsBySku } from './product-store';

export class ProductSearch {
  private index: ProductSearchIndex | null = null;

  constructor(private readonly db: Db) {}

  /** Builds the index now (e.g. at start-up, before the first cashier types). */
  warm(): void {
    if (!this.index) this.index = createProductSearchIndex(searchableProducts(this.db));
  }

  search(query: string, limit = 20): ProductView[] {
    this.warm();
    const skus = this.index!.search(query.trim(), limit);
    return productsBySkus(this.db, skus);
  }

  /**
   * A few products changed (e.g. mirrored from sync): re-reads just those rows and upserts or
   * removes them in a built index, instead of rebuilding it. Without an index, nothing to do.
   */
  refresh(skus: Iterable<string>): void {
    if (!this.index) return;
    const rows = searchableProductsBySku(this.db, [...skus]);
    for (const sku of skus) {
      const row = rows.get(sku);
      if (row) this.index.upsert(row);
      else this.index.remove(sku);
    }
  }

  /** Call after catalog writes so the next search sees them. */
  invalidate(): void {
    this.index = null;
  }
}
