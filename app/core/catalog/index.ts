// Catalog: products, barcodes, scan resolution and product search.
export { findProduct, getProduct, upsertProducts, productCount } from './product-store';
export type { SearchRow } from './product-store';
export type { NewProduct } from './product-store';
export { resolveScan, PRICE_NOT_ALLOWED, AMOUNT_WEIGHT_MISMATCH } from './resolve-scan';
export type { ResolvedScan } from './resolve-scan';
export { ProductSearch } from './product-search';
