// Coupons as replicated data (pure, no I/O). The cloud issues a coupon as an immutable `coupon`
// fact in the scope of the store it may be redeemed at (key = the code, unique). A redemption is
// an immutable `coupon_redemption` fact (`<code>.<saleId>`) written by the till in the sale's own
// transaction. A coupon is spent once: the redemption with the LOWEST stamp wins; every other
// redemption of the same code (two offline tills) is a conflict the manager sees with both sales.
// Online, the store hub holds the coupon for one till's cart before payment (sync/hub), so the
// second till is refused at the counter instead of flagged afterwards.
import { z } from 'zod';

export const COUPON_KINDS = ['value', 'percent', 'gift'] as const;
export type CouponKind = (typeof COUPON_KINDS)[number];

/** A coupon code: what the member's QR carries after `coupon:` or what a cashier types. */
export const COUPON_CODE = /^[A-Z0-9][A-Z0-9-]{3,39}$/;

/** A coupon's fields without the cross-field checks (the cloud's issue API extends it). */
export const couponFields = z.object({
  code: z.string().regex(COUPON_CODE, 'code is 4-40 capital letters, digits or -'),
  storeId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  /** The member it was issued to; null for a bearer coupon (anyone holding the code). */
  memberId: z.string().min(1).max(80).nullable().default(null),
  name: z.string().min(1).max(60),
  nameEn: z.string().min(1).max(60),
  kind: z.enum(COUPON_KINDS),
  /** value: fen off; percent: percent off (1-100); gift: unused (0). */
  value: z.number().int().min(0).max(100_000_000).default(0),
  /** gift: the SKU one item of which becomes free. */
  giftSku: z.string().min(1).max(80).nullable().default(null),
  /** Fen the lines in scope must reach (after promotions) before the coupon applies. */
  minSpend: z.number().int().min(0).max(1_000_000_000).default(0),
  /** Lines it applies to: SKUs or categories; both empty = the whole cart. */
  skus: z.array(z.string().min(1).max(80)).max(200).default([]),
  categories: z.array(z.string().min(1).max(60)).max(50).default([]),
  validFrom: z.iso.datetime({ offset: true }),
  validTo: z.iso.datetime({ offset: true }),
});

export const couponSchema = couponFields.superRefine((c, ctx) => {
  if (c.kind === 'percent' && (c.value < 1 || c.value > 100))
    ctx.addIssue({ code: 'custom', path: ['value'], message: 'a percent coupon takes 1-100 %' });
  if (c.kind === 'value' && c.value < 1)
    ctx.addIssue({ code: 'custom', path: ['value'], message: 'a value coupon takes at least 1 fen off' });
  if (c.kind === 'gift' && !c.giftSku)
    ctx.addIssue({ code: 'custom', path: ['giftSku'], message: 'a gift coupon names its giftSku' });
  if (Date.parse(c.validTo) <= Date.parse(c.validFrom))
    ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'validTo is after validFrom' });
});
export type Coupon = z.infer<typeof couponSchema>;

/** Reads a coupon fact body; null when it does not parse (never throws). */
export function readCoupon(body: unknown): Coupon | null {
  const r = couponSchema.safeParse(body);
  return r.success ? r.data : null;
}

export interface CouponRedemption {
  /** Fact id `<code>.<saleId>`. */
  factId: string;
  /** The op stamp: the lowest wins. */
  stamp: string;
  code: string;
  saleId: string;
  saleNumber: string | null;
  terminalId: string | null;
  at: string;
  /** Fen the coupon took off the sale. */
  amount: number;
  /** Redeemed without the hub's hold (the till was cut off). */
  offline: boolean;
}

export function couponRedemptionId(code: string, saleId: string): string {
  return `${code}.${saleId}`;
}

/** Key range of every redemption of one code (codes never hold '.' or '/'; '.' < '/'). */
export function couponRedemptionRange(code: string): { fromKey: string; toKey: string } {
  return { fromKey: `${code}.`, toKey: `${code}/` };
}

export function readCouponRedemption(factId: string, stamp: string, b: unknown): CouponRedemption | null {
  if (!b || typeof b !== 'object') return null;
  const o = b as Record<string, unknown>;
  const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  const code = str(o['code']);
  const saleId = str(o['saleId']);
  if (!code || !saleId || factId !== couponRedemptionId(code, saleId)) return null;
  return {
    factId,
    stamp,
    code,
    saleId,
    saleNumber: str(o['saleNumber']),
    terminalId: str(o['terminalId']),
    at: str(o['at']) ?? '',
    amount: typeof o['amount'] === 'number' && Number.isSafeInteger(o['amount']) ? o['amount'] : 0,
    offline: o['offline'] === true,
  };
}

/** The redemptions of one code in the order that decides: the first (lowest stamp) is the one that counts. */
export function foldRedemptions(redemptions: readonly CouponRedemption[]): {
  winner: CouponRedemption | null;
  conflicts: CouponRedemption[];
} {
  const sorted = [...redemptions].sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : 0));
  // One sale may be replicated twice (same fact id): a sale is counted once.
  const seen = new Set<string>();
  const unique = sorted.filter((r) => (seen.has(r.saleId) ? false : (seen.add(r.saleId), true)));
  return { winner: unique[0] ?? null, conflicts: unique.slice(1) };
}
