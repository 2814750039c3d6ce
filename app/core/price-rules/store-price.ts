// A manager's store price change (门店调价): one product or a whole category, a new price in fen
// or −x %, effective now or from a time. Tills hold no manager credential and may not write
// `price` ops, so (like the evening markdown) the change is a store-authored fixed-price or
// percent rule keyed `sp-…` that replicates through the hub to every till of the store. Receivers
// accept a store device's `sp-` rule only in this shape (isStorePrice): confined to the store,
// a price at or below the chain price, at most −90 %, no member conditions. A newer change for
// the same products ends the older one when the newer one starts. See docs/pricing.md.
import { PosError, type PriceRuleView, type ProductView, type StaffView } from '../../contract';
import { writeAudit } from '../audit';
import { findProduct } from '../catalog';
import { readTillConfig } from '../config';
import type { CoreContext } from '../context';
import type { Db } from '../db';
import { uuidv7 } from '../ids';
import { replicationFor } from '../replication';
import { priceRuleSchema, type PriceRule } from '../pricing';
import { MARKDOWN_MAX_PERCENT, ruleView } from './markdown';
import { deleteRule, storedRules, storeRule } from './price-rule-store';

/** Key prefix of store price changes (sync/core/authorship.ts lets store devices write these). */
export const STORE_PRICE_PREFIX = 'sp-';

export interface StorePriceInput {
  skus?: string[];
  categories?: string[];
  /** New price in fen per item, or per kg for weighed items. */
  price?: number;
  percentOff?: number;
  /** ISO instant; absent = now. */
  from?: string;
}

/** Is this rule a store price change receivers accept from a store device? */
export function isStorePrice(rule: PriceRule): boolean {
  if (!rule.id.startsWith(STORE_PRICE_PREFIX) || rule.origin !== 'store' || !rule.window.from || rule.members)
    return false;
  const e = rule.effect;
  return (e.type === 'percent' && e.percentOff <= MARKDOWN_MAX_PERCENT) || e.type === 'fixed_price';
}

function productsOfCategory(db: Db, category: string): ProductView[] {
  const skus = db.prepare('SELECT sku FROM products WHERE category = ? AND active = 1 ORDER BY sku').all(category) as {
    sku: string;
  }[];
  return skus.map((r) => findProduct(db, r.sku)).filter((p): p is ProductView => p !== null);
}

/** The products a change names; every SKU must exist and every category must hold products. */
function targetProducts(db: Db, input: StorePriceInput): ProductView[] {
  const out = new Map<string, ProductView>();
  for (const sku of input.skus ?? []) {
    const p = findProduct(db, sku);
    if (!p) throw new PosError('PRODUCT_NOT_FOUND', { reason: 'no-sku', sku });
    out.set(p.sku, p);
  }
  for (const c of input.categories ?? []) {
    const ps = productsOfCategory(db, c);
    if (!ps.length) throw new PosError('BAD_INPUT', { reason: 'price-empty-category', category: c });
    for (const p of ps) out.set(p.sku, p);
  }
  return [...out.values()];
}

const sameTarget = (a: PriceRule, b: PriceRule): boolean =>
  JSON.stringify([...(a.target.skus ?? [])].sort()) === JSON.stringify([...(b.target.skus ?? [])].sort()) &&
  JSON.stringify([...(a.target.categories ?? [])].sort()) === JSON.stringify([...(b.target.categories ?? [])].sort());

export function setStorePrice(ctx: CoreContext, staff: StaffView, input: StorePriceInput): PriceRuleView {
  const now = ctx.clock();
  const tz = readTillConfig(ctx.db, ctx.storeId, ctx.terminalId).timeZone;
  const from = input.from ? new Date(input.from) : now;
  if (Number.isNaN(from.getTime()) || from.getTime() < now.getTime() - 60_000)
    throw new PosError('BAD_INPUT', { reason: 'price-from-past', from: input.from ?? '' });
  const products = targetProducts(ctx.db, input);
  const percent = input.percentOff !== undefined;
  if (!percent) {
    // A rule can only take money off the chain price; a raise needs the chain (HQ) price.
    const dearer = products.find((p) => (input.price ?? 0) > p.price);
    if (dearer)
      throw new PosError('BAD_INPUT', { reason: 'price-above-base', sku: dearer.sku, base: String(dearer.price) });
  }
  const label = percent ? `−${input.percentOff}%` : `¥${((input.price ?? 0) / 100).toFixed(2)}`;
  const rule = priceRuleSchema.parse({
    id: `${STORE_PRICE_PREFIX}${uuidv7(now)}`,
    name: `门店调价 ${label}`,
    nameEn: `Store price ${label}`,
    origin: 'store',
    stacking: 'exclusive',
    priority: 100,
    target: {
      ...(input.categories?.length ? { categories: input.categories } : {}),
      ...(input.skus?.length ? { skus: input.skus } : {}),
    },
    window: { from: from.toISOString() },
    effect: percent ? { type: 'percent', percentOff: input.percentOff } : { type: 'fixed_price', price: input.price },
  });
  const older = storedRules(ctx.db).filter(
    (r) => isStorePrice(r) && sameTarget(r, rule) && (!r.window.to || Date.parse(r.window.to) > from.getTime()),
  );
  const replication = replicationFor(ctx.db);
  ctx.db.transaction(() => {
    for (const r of older) {
      if (Date.parse(r.window.from ?? '') >= from.getTime() || from.getTime() <= now.getTime()) {
        deleteRule(ctx.db, r.id);
        replication?.promotion(r.id, null);
      } else {
        const ended = priceRuleSchema.parse({ ...r, window: { ...r.window, to: from.toISOString() } });
        storeRule(ctx.db, ended, now);
        replication?.promotion(ended.id, ended);
      }
    }
    storeRule(ctx.db, rule, now);
    replication?.promotion(rule.id, rule);
    writeAudit(ctx.db, ctx.terminalId, now, {
      action: 'prices.set',
      staffId: staff.id,
      detail: {
        ruleId: rule.id,
        from: rule.window.from,
        target: rule.target,
        effect: rule.effect,
        products: products.length,
        replaced: older.map((r) => r.id),
      },
    });
  })();
  ctx.logger.info({ ruleId: rule.id, products: products.length }, 'store price set');
  return ruleView(rule, now, tz);
}

/** SKUs whose store price changed at or after `since` (changes made or taking effect since then). */
export function skusWithPriceChangedSince(db: Db, since: Date): string[] {
  const out = new Set<string>();
  for (const r of storedRules(db)) {
    if (!isStorePrice(r) || Date.parse(r.window.from ?? '') < since.getTime()) continue;
    for (const s of r.target.skus ?? []) out.add(s);
    for (const c of r.target.categories ?? []) for (const p of productsOfCategory(db, c)) out.add(p.sku);
  }
  return [...out].sort();
}
