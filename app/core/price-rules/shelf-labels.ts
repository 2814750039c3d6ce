// What a shelf label (价签) shows for a product on this till now: the shelf price after the store's
// price changes (not markdowns or multi-item offers, which are not a shelf price), the unit, the
// member price when a member-price rule is open for it, and the barcode. Pure data: the till's
// composition root turns it into TSPL/ZPL for the label printer (drivers/label).
import { PosError } from '../../contract';
import { findProduct } from '../catalog';
import { readTillConfig } from '../config';
import type { CoreContext } from '../context';
import type { ShelfLabelData } from '../devices';
import { priceCart, ruleTargetsLine, windowOpen, type PricingLine } from '../pricing';
import { storedRules } from './price-rule-store';
import { isStorePrice } from './store-price';

export function shelfLabelsFor(ctx: CoreContext, skus: readonly string[]): ShelfLabelData[] {
  const at = ctx.clock();
  const tz = readTillConfig(ctx.db, ctx.storeId, ctx.terminalId).timeZone;
  const rules = storedRules(ctx.db);
  const storePrices = rules.filter(isStorePrice);
  const memberRules = rules.filter((r) => r.effect.type === 'member_price' && r.active && windowOpen(r.window, at, tz));
  return skus.map((sku) => {
    const p = findProduct(ctx.db, sku);
    if (!p) throw new PosError('PRODUCT_NOT_FOUND', { reason: 'no-sku', sku });
    const weighed = p.unit === 'weighed';
    const line: PricingLine = {
      lineId: 'label',
      sku: p.sku,
      category: p.category,
      brand: null,
      unit: weighed ? 'weighed' : 'each',
      quantity: 1,
      weightGrams: weighed ? 1000 : null,
      unitPrice: p.price,
      gross: p.price,
    };
    const price =
      priceCart({ lines: [line], member: null, at, timeZone: tz, rules: storePrices }).lines[0]?.total ?? p.price;
    let memberPrice: number | null = null;
    for (const r of memberRules) {
      if (r.effect.type !== 'member_price' || !ruleTargetsLine(r, line)) continue;
      // The label shows the lowest level's price (per item or per kg, like the shelf price).
      for (const level of Object.values(r.effect.prices))
        if (level < price && (memberPrice === null || level < memberPrice)) memberPrice = level;
    }
    return {
      sku: p.sku,
      name: p.name,
      price,
      unit: weighed ? 'kg' : 'each',
      perKgPrice: null,
      origin: null,
      memberPrice,
      barcode: p.barcodes.find((b) => /^\d{13}$/.test(b)) ?? p.barcodes[0] ?? p.sku,
    };
  });
}
