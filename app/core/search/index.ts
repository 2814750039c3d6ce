// Product search for the till (Chinese, pinyin, initials, English, SKU, barcode) and the
// pinyin keys the catalog stores with each product. Pure (no I/O); see docs/barcodes.md.
export { pinyinKeys } from './pinyin-keys';
export type { PinyinKeys } from './pinyin-keys';
export { createProductSearchIndex, TIER } from './product-search-index';
export type { ProductSearchIndex, SearchableProduct } from './product-search-index';
export { normalizeText } from './normalize';
