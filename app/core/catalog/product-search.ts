// Product search for the till (name, English name, SKU, barcode digits). Uses a LIKE query
// until the pinyin index is wired in.
import type { ProductView } from '../../contract';
import type { Db } from '../db';
import { searchProductsLike } from './product-store';

export class ProductSearch {
  constructor(private readonly db: Db) {}

  search(query: string, limit = 20): ProductView[] {
    return searchProductsLike(this.db, query.trim(), limit);
  }

  /** Call after catalog writes so an index can rebuild. */
  invalidate(): void {}
}
