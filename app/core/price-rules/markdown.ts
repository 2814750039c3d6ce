// A manager's evening markdown (晚间打折): from a time today until the store closes the day,
// a category or some products, −x % or a fixed price per item / per kg. Written on this till
// (manager PIN) as a store rule: it prices this till at once and replicates as a store-authored
// `set promotion` op (key `md-…`) through the hub to every till of the store, so it works while
// the cloud is unreachable. Receivers accept store-authored promotions only in this shape
// (isStoreMarkdown): one store-local day at most, percent ≤ 90 or a fixed price.
import { PosError, type PriceRuleView, type StaffView } from '../../contract';
import { writeAudit } from '../audit';
import { readTillConfig } from '../config';
import type { CoreContext } from '../context';
import { uuidv7 } from '../ids';
import { replicationFor } from '../replication';
import { instantOfLocal, localTime, priceRuleSchema, windowOpen, type PriceRule } from '../pricing';
import { deleteRule, storedRules, storeRule } from './price-rule-store';

/** Key prefix of store-authored markdown rules (sync/core/authorship.ts lets store devices write these). */
export const MARKDOWN_PREFIX = 'md-';
const DAY_MS = 86_400_000;
export const MARKDOWN_MAX_PERCENT = 90;

export interface MarkdownInput {
  name?: string;
  nameEn?: string;
  /** Store-local HH:MM today. */
  from: string;
  categories?: string[];
  skus?: string[];
  percentOff?: number;
  /** Fixed price in fen per item, or per kg for weighed items. */
  price?: number;
}

/** Is this rule a store markdown receivers accept from a store device? */
export function isStoreMarkdown(rule: PriceRule): boolean {
  const { from, to } = rule.window;
  if (!rule.id.startsWith(MARKDOWN_PREFIX) || rule.origin !== 'store' || !from || !to) return false;
  const span = Date.parse(to) - Date.parse(from);
  if (!(span > 0 && span <= DAY_MS + 3_600_000)) return false; // a local day (25 h on a DST day)
  if (rule.members) return false;
  const e = rule.effect;
  return (e.type === 'percent' && e.percentOff <= MARKDOWN_MAX_PERCENT) || e.type === 'fixed_price';
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

export function createMarkdown(ctx: CoreContext, staff: StaffView, input: MarkdownInput): PriceRuleView {
  const now = ctx.clock();
  const tz = readTillConfig(ctx.db, ctx.storeId, ctx.terminalId).timeZone;
  const today = localTime(now, tz).date;
  const from = instantOfLocal(today, input.from, tz);
  const to = instantOfLocal(nextDate(today), '00:00', tz);
  if (from.getTime() >= to.getTime()) throw new PosError('BAD_INPUT', { reason: 'markdown-time', from: input.from });
  const percent = input.percentOff !== undefined;
  const label = percent ? `−${input.percentOff}%` : `¥${((input.price ?? 0) / 100).toFixed(2)}`;
  const rule = priceRuleSchema.parse({
    id: `${MARKDOWN_PREFIX}${uuidv7(now)}`,
    name: input.name?.trim() || `晚间打折 ${label}`,
    nameEn: input.nameEn?.trim() || `Evening markdown ${label}`,
    origin: 'store',
    stacking: 'exclusive',
    priority: 100,
    target: {
      ...(input.categories?.length ? { categories: input.categories } : {}),
      ...(input.skus?.length ? { skus: input.skus } : {}),
    },
    window: { from: from.toISOString(), to: to.toISOString() },
    effect: percent ? { type: 'percent', percentOff: input.percentOff } : { type: 'fixed_price', price: input.price },
  });
  ctx.db.transaction(() => {
    storeRule(ctx.db, rule, now);
    replicationFor(ctx.db)?.promotion(rule.id, rule);
    writeAudit(ctx.db, ctx.terminalId, now, {
      action: 'pricing.markdown',
      staffId: staff.id,
      detail: { ruleId: rule.id, from: rule.window.from, to: rule.window.to, target: rule.target, effect: rule.effect },
    });
  })();
  ctx.logger.info({ ruleId: rule.id, target: rule.target }, 'markdown set');
  return ruleView(rule, now, tz);
}

/** Ends a markdown now (the rule is withdrawn on every till). */
export function endMarkdown(ctx: CoreContext, staff: StaffView, id: string): void {
  if (!id.startsWith(MARKDOWN_PREFIX) || !storedRules(ctx.db).some((r) => r.id === id))
    throw new PosError('NOT_FOUND', { reason: 'markdown', id });
  const now = ctx.clock();
  ctx.db.transaction(() => {
    deleteRule(ctx.db, id);
    replicationFor(ctx.db)?.promotion(id, null);
    writeAudit(ctx.db, ctx.terminalId, now, {
      action: 'pricing.markdown_end',
      staffId: staff.id,
      detail: { ruleId: id },
    });
  })();
}

export function ruleView(rule: PriceRule, at: Date, timeZone: string): PriceRuleView {
  const e = rule.effect;
  return {
    id: rule.id,
    name: rule.name,
    nameEn: rule.nameEn,
    origin: rule.origin,
    kind: e.type,
    stacking: rule.stacking,
    priority: rule.priority,
    openNow: rule.active && windowOpen(rule.window, at, timeZone),
    from: rule.window.from ?? null,
    to: rule.window.to ?? null,
    target: {
      skus: rule.target.skus ?? [],
      categories: rule.target.categories ?? [],
      brands: rule.target.brands ?? [],
    },
    percentOff: e.type === 'percent' || e.type === 'multi_buy' || e.type === 'nth_item' ? e.percentOff : null,
    price: e.type === 'fixed_price' ? e.price : null,
    rule,
  };
}

/** Rules a manager sees: not expired (still open or opening later), soonest ending first. */
export function listRules(ctx: CoreContext): PriceRuleView[] {
  const now = ctx.clock();
  const tz = readTillConfig(ctx.db, ctx.storeId, ctx.terminalId).timeZone;
  return storedRules(ctx.db)
    .filter((r) => r.active && (!r.window.to || Date.parse(r.window.to) > now.getTime()))
    .map((r) => ruleView(r, now, tz))
    .sort(
      (a, b) =>
        Number(b.openNow) - Number(a.openNow) || (a.to ?? '~').localeCompare(b.to ?? '~') || a.id.localeCompare(b.id),
    );
}
