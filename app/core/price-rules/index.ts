// app/core/price-rules: the till's price rules (replicated promotions, member prices, a manager's
// evening markdowns and store price changes): their table, the cart pricing against them,
// markdowns, store prices, shelf label data and the rules list.
export { storeRule, deleteRule, storedRules } from './price-rule-store';
export { priceCartLines } from './cart-pricing';
export type { PricingEnv } from './cart-pricing';
export { createMarkdown, endMarkdown, listRules, isStoreMarkdown } from './markdown';
export type { MarkdownInput } from './markdown';
export { setStorePrice, isStorePrice, skusWithPriceChangedSince } from './store-price';
export { shelfLabelsFor, markdownLabelsFor } from './shelf-labels';
export { pluFileFor } from './plu-file';
