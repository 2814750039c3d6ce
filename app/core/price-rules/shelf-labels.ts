// What a shelf label (价签) shows for a product on this till now: the shelf price after the store's
// price changes (not markdowns or multi-item offers, which are not a shelf price), the unit, the
// member price when a member-price rule is open for it, and the barcode. Pure data: the till's
// composition root turns it into TSPL/ZPL for the label printer (drivers/label).
import { PosError } from '../../contract';
import { findProduct } from '../catalog';
import { readTillConfig } from '../config';
import type { CoreContext } from '../context';
import type { ShelfLabelData } from '../devices';
import { localTime, priceCart, ruleTargetsLine, windowOpen, type PricingLine } from '../pricing';
import { storedRules } from './price-rule-store';
import { MARKDOWN_PREFIX } from './markdown';
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

/**
 * Markdown labels (晚间特价) for an evening markdown: one per product it marks down (its SKUs and
 * the active products of its categories, by SKU, at most 500), with the shelf price struck
 * through (`was`, after the store's own prices) and the price the till charges once the markdown
 * is open (`price`: the markdown against the store price, the cheaper, as on the cart). Products
 * the markdown makes no cheaper are left out. NOT_FOUND when no such markdown is on this till.
 */
export function markdownLabelsFor(ctx: CoreContext, markdownId: string): ShelfLabelData[] {
  const rules = storedRules(ctx.db);
  const md = rules.find((r) => r.id === markdownId && r.id.startsWith(MARKDOWN_PREFIX));
  if (!md) throw new PosError('NOT_FOUND', { reason: 'markdown', id: markdownId });
  const tz = readTillConfig(ctx.db, ctx.storeId, ctx.terminalId).timeZone;
  const now = ctx.clock();
  const from = md.window.from ? new Date(md.window.from) : now;
  const at = from.getTime() > now.getTime() ? from : now;
  const skus = new Set(md.target.skus ?? []);
  const categories = md.target.categories ?? [];
  if (categories.length)
    for (const r of ctx.db
      .prepare(
        `SELECT sku FROM products WHERE active = 1 AND category IN (${categories.map(() => '?').join(', ')}) ORDER BY sku LIMIT 500`,
      )
      .all(...categories) as { sku: string }[])
      skus.add(r.sku);
  const known = [...skus].filter((s) => findProduct(ctx.db, s)).slice(0, 500);
  const withMarkdown = [...rules.filter(isStorePrice), md];
  const note = `晚间特价 ${hhmm(from, tz)}起`;
  const out: ShelfLabelData[] = [];
  for (const label of shelfLabelsFor(ctx, known)) {
    const p = findProduct(ctx.db, label.sku)!;
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
    const price = priceCart({ lines: [line], member: null, at, timeZone: tz, rules: withMarkdown }).lines[0]!.total;
    if (price >= label.price) continue;
    out.push({ ...label, price, was: label.price, memberPrice: null, note });
  }
  return out;
}

function hhmm(at: Date, tz: string): string {
  const m = localTime(at, tz).minute;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
