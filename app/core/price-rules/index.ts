// app/core/price-rules: the till's price rules (replicated promotions, member prices, a manager's
// evening markdowns): their table, the cart pricing against them, markdowns and the rules list.
export { storeRule, deleteRule, storedRules } from './price-rule-store';
export { priceCartLines } from './cart-pricing';
export type { PricingEnv } from './cart-pricing';
export { createMarkdown, endMarkdown, listRules, isStoreMarkdown } from './markdown';
export type { MarkdownInput } from './markdown';
