// What a price rule is: who it is for (member levels, tags, birthday), when it is open (effective
// instants, daily hours, weekdays, dates, member days, all in the store's time zone), which lines
// it targets (SKUs, categories, brands) and what it does (member price, percent, fixed price,
// 满减, N件M折, 第二件半价, buy X get Y). One zod schema checks rules at every boundary (RPC input,
// replicated `promotion` ops, the rules table), so the engine trusts its input.
import { z } from 'zod';

const fen = z.number().int().min(0).max(100_000_000);
const percent = z.number().int().min(1).max(100);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const shortText = z.string().max(80);

export const ruleWindowSchema = z
  .object({
    /** Open from this instant (ISO, inclusive). */
    from: z.string().datetime({ offset: true }).optional(),
    /** Closed from this instant (ISO, exclusive). */
    to: z.string().datetime({ offset: true }).optional(),
    /** Daily hours, store-local; `end` before `start` crosses midnight (the night belongs to the start day). */
    hours: z.object({ start: hhmm, end: hhmm }).optional(),
    /** ISO weekdays, 1 = Monday … 7 = Sunday. */
    weekdays: z.array(z.number().int().min(1).max(7)).max(7).optional(),
    /** Store-local calendar dates. */
    dates: z.array(day).max(366).optional(),
    /** Days of the month (会员日, e.g. 8, 18, 28). */
    monthDays: z.array(z.number().int().min(1).max(31)).max(31).optional(),
  })
  .strict();

export const ruleEffectSchema = z.discriminatedUnion('type', [
  /** 会员价: price per level (fen per item, or per kg for weighed items). */
  z.object({ type: z.literal('member_price'), prices: z.record(z.string().min(1).max(32), fen) }).strict(),
  /** −x % off the line. */
  z.object({ type: z.literal('percent'), percentOff: percent }).strict(),
  /** 特价: a fixed price per item (per kg for weighed items). */
  z.object({ type: z.literal('fixed_price'), price: fen }).strict(),
  /** 满减: `off` fen when the targeted lines reach `spend` fen (after line discounts); `repeat` = 每满. */
  z
    .object({ type: z.literal('threshold'), spend: fen.min(1), off: fen.min(1), repeat: z.boolean().default(false) })
    .strict(),
  /** N件M折: every complete group of `n` items gets `percentOff`. */
  z.object({ type: z.literal('multi_buy'), n: z.number().int().min(2).max(99), percentOff: percent }).strict(),
  /** 第二件半价 (n = 2, 50 %): every n-th item (the cheaper of each group) gets `percentOff`. */
  z.object({ type: z.literal('nth_item'), n: z.number().int().min(2).max(99), percentOff: percent }).strict(),
  /** 买赠: every `buy` targeted items make `get` items of `giftSku` free (¥0; stock still moves). */
  z
    .object({
      type: z.literal('gift'),
      buy: z.number().int().min(1).max(99),
      get: z.number().int().min(1).max(99),
      giftSku: z.string().min(1).max(64),
    })
    .strict(),
]);

export const priceRuleSchema = z
  .object({
    id: z.string().min(1).max(100),
    /** Shown on the till, receipt and customer display. */
    name: shortText.min(1),
    nameEn: shortText.default(''),
    /** `exclusive`: alone on a line; `stackable`: combines with other stackable rules. */
    stacking: z.enum(['exclusive', 'stackable']).default('stackable'),
    /** Higher first when stackable rules combine, and wins ties between equal savings. */
    priority: z.number().int().min(-1000).max(1000).default(0),
    /** Source: `chain` (HQ) or `store` (a manager, e.g. an evening markdown). */
    origin: z.enum(['chain', 'store']).default('chain'),
    /** Where empty or absent: every line. Otherwise a line matches any listed SKU, category or brand. */
    target: z
      .object({
        skus: z.array(z.string().min(1).max(64)).max(5000).optional(),
        categories: z.array(z.string().min(1).max(64)).max(500).optional(),
        brands: z.array(z.string().min(1).max(64)).max(500).optional(),
      })
      .strict()
      .default({}),
    /** Who may have it; absent = everyone. Any `levels` or `tags` or `birthday` needs a member. */
    members: z
      .object({
        required: z.boolean().default(true),
        levels: z.array(z.string().min(1).max(32)).max(50).optional(),
        tags: z.array(z.string().min(1).max(64)).max(50).optional(),
        /** Only in the member's birthday month / on the birthday. */
        birthday: z.enum(['day', 'month']).optional(),
      })
      .strict()
      .optional(),
    window: ruleWindowSchema.default({}),
    effect: ruleEffectSchema,
    active: z.boolean().default(true),
  })
  .strict();

export type PriceRule = z.output<typeof priceRuleSchema>;
export type PriceRuleInput = z.input<typeof priceRuleSchema>;
export type RuleWindow = z.output<typeof ruleWindowSchema>;
export type RuleEffect = PriceRule['effect'];

/** Parses a rule from any boundary; `null` (with the reason) when it is not one. */
export function parsePriceRule(value: unknown): { ok: true; rule: PriceRule } | { ok: false; reason: string } {
  const r = priceRuleSchema.safeParse(value);
  if (r.success) return { ok: true, rule: r.data };
  const issue = r.error.issues[0];
  return { ok: false, reason: issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid rule' };
}
