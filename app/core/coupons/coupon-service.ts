// Coupons at the till: a code (typed, or the member's QR `coupon:<code>`) is checked against the
// coupon fact the cloud issued (validity, member, scope, minimum spend), held for this cart by
// the store hub, priced as a discount line named after the coupon, recorded as a redemption in
// the sale's own transaction, confirmed to the hub after the commit and released when it comes
// off the cart or the cart is voided. Without the hub a till accepts only a member's own coupon
// issued for this store, with that member on the sale; a second redemption of one code (two
// tills cut off from each other) is flagged to the manager with both sales once sync heals.
import { PosError, type Cart, type CouponConflict, type StaffView } from '../../contract';
import {
  couponRedemptionId,
  foldRedemptions,
  readCoupon,
  readCouponRedemption,
  storeScope,
  type Coupon,
  type CouponRedemption,
} from '../../../sync/core';
import type { TerminalSync } from '../../../sync/terminal';
import { writeAudit } from '../audit';
import {
  cartChanged,
  cartCoupon,
  ensureOpenCart,
  openCartRow,
  pricedCart,
  pricingEnv,
  setCartCoupon,
  touchCart,
  type CartCouponRow,
} from '../cart';
import { readTillConfig } from '../config';
import type { CoreContext } from '../context';
import { replicationFor } from '../replication';

export interface CouponDeps {
  ctx: CoreContext;
  sync: TerminalSync | null;
}

function yuan(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`;
}

/** A coupon's time in the store's zone, as the cashier reads it. */
function storeTime(ctx: CoreContext, iso: string): string {
  const tz = readTillConfig(ctx.db, ctx.storeId, ctx.terminalId).timeZone;
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

function findCoupon(sync: TerminalSync, storeId: string, code: string): Coupon | null {
  const fact = sync.outbox.storage.keyRangeSync({
    t: 'fact',
    scope: storeScope(storeId),
    e: 'coupon',
    fromKey: code,
    toKey: `${code}\u0000`,
  }).ops[0];
  const c = fact ? readCoupon(fact.b) : null;
  return c && c.code === code && c.storeId === storeId ? c : null;
}

function redemptions(sync: TerminalSync, storeId: string): Map<string, CouponRedemption[]> {
  const { ops } = sync.outbox.storage.keyRangeSync({
    t: 'fact',
    scope: storeScope(storeId),
    e: 'coupon_redemption',
    fromKey: '',
    toKey: '\uffff',
  });
  const byCode = new Map<string, CouponRedemption[]>();
  for (const o of ops) {
    const r = readCouponRedemption(o.k, o.id, o.b);
    if (r) byCode.set(r.code, [...(byCode.get(r.code) ?? []), r]);
  }
  return byCode;
}

type HubAnswer =
  | { result: 'held' }
  | { result: 'offline' }
  | { result: 'refused'; terminalId: string | null; saleNumber: string | null; held: boolean };

async function holdAtHub(sync: TerminalSync, code: string, cartId: string): Promise<HubAnswer> {
  const r = await sync.client.postToPeer('hub', '/sync/coupons/hold', { code, cartId });
  if (!r || r.status !== 200) return { result: 'offline' };
  const body = (r.body ?? {}) as {
    ok?: boolean;
    code?: string;
    by?: { terminalId?: string | null; saleNumber?: string | null; held?: boolean };
  };
  if (body.ok) return { result: 'held' };
  if (body.code === 'COUPON_ALREADY_REDEEMED')
    return {
      result: 'refused',
      terminalId: body.by?.terminalId ?? null,
      saleNumber: body.by?.saleNumber ?? null,
      held: body.by?.held === true,
    };
  // The hub has not got the coupon yet (it reached this till from the cloud directly): it cannot vouch.
  return { result: 'offline' };
}

/** Tells the hub (best effort, after the fact) that the coupon came off this cart or was spent. */
export function tellHub(
  sync: TerminalSync | null,
  action: 'release' | 'confirm',
  row: { code: string; held: 'hub' | 'offline' } | null,
  cartId: string,
  saleNumber: string | null = null,
): Promise<void> {
  if (!sync || !row || row.held !== 'hub') return Promise.resolve();
  return sync.client
    .postToPeer('hub', `/sync/coupons/${action}`, { code: row.code, cartId, saleNumber })
    .then(() => undefined);
}

function checkTerms(deps: CouponDeps, cartId: string, c: Coupon): void {
  const { ctx } = deps;
  const now = ctx.clock().getTime();
  if (now < Date.parse(c.validFrom))
    throw new PosError('COUPON_NOT_VALID', { reason: 'not-yet', validFrom: storeTime(ctx, c.validFrom) });
  if (now >= Date.parse(c.validTo))
    throw new PosError('COUPON_NOT_VALID', { reason: 'expired', validTo: storeTime(ctx, c.validTo) });
  const env = pricingEnv(ctx, cartId);
  const { cart, pricing } = pricedCart(ctx.db, cartId, { ...env, coupon: c });
  if (c.memberId) {
    const member = env.member?.id ?? cart.member?.id ?? null;
    if (!member) throw new PosError('COUPON_WRONG_MEMBER', { reason: 'no-member' });
    if (member !== c.memberId) throw new PosError('COUPON_WRONG_MEMBER', { reason: 'other-member' });
  }
  const o = pricing.coupon;
  if (!o || o.missing === 'scope') throw new PosError('COUPON_NOT_APPLICABLE', { reason: 'scope' });
  if (o.missing === 'gift') throw new PosError('COUPON_NOT_APPLICABLE', { reason: 'gift', giftSku: c.giftSku ?? '' });
  if (o.shortBy > 0)
    throw new PosError('COUPON_MIN_SPEND', {
      reason: 'short',
      minSpend: c.minSpend,
      shortBy: o.shortBy,
      minSpendYuan: yuan(c.minSpend),
      shortByYuan: yuan(o.shortBy),
    });
}

function refuse(deps: CouponDeps, staff: StaffView, code: string, err: PosError): never {
  const { ctx } = deps;
  ctx.db.transaction(() =>
    writeAudit(ctx.db, ctx.terminalId, ctx.clock(), {
      action: 'coupon.refused',
      staffId: staff.id,
      detail: { code, error: err.code, ...(err.details as Record<string, unknown> | undefined) },
    }),
  )();
  throw err;
}

export async function applyCouponToCart(deps: CouponDeps, staff: StaffView, code: string): Promise<Cart> {
  const { ctx, sync } = deps;
  if (!sync) throw new PosError('COUPON_NOT_FOUND', { reason: 'no-sync' });
  const cartId = ctx.db.transaction(() => ensureOpenCart(ctx.db, ctx.clock(), staff.id))();
  const current = cartCoupon(ctx.db, cartId);
  if (current?.code === code) return cartChanged(ctx, cartId);
  if (current) throw new PosError('COUPON_ALREADY_REDEEMED', { reason: 'on-cart' });
  const coupon = findCoupon(sync, ctx.storeId, code);
  if (!coupon) refuse(deps, staff, code, new PosError('COUPON_NOT_FOUND'));
  try {
    checkTerms(deps, cartId, coupon);
  } catch (err) {
    if (err instanceof PosError) refuse(deps, staff, code, err);
    throw err;
  }
  const { winner } = foldRedemptions(redemptions(sync, ctx.storeId).get(code) ?? []);
  if (winner)
    refuse(
      deps,
      staff,
      code,
      new PosError('COUPON_ALREADY_REDEEMED', { reason: 'spent', saleNumber: winner.saleNumber ?? '?' }),
    );
  const hub = await holdAtHub(sync, code, cartId);
  if (hub.result === 'refused')
    refuse(
      deps,
      staff,
      code,
      hub.held
        ? new PosError('COUPON_ALREADY_REDEEMED', { reason: 'held', terminalId: hub.terminalId ?? '?' })
        : new PosError('COUPON_ALREADY_REDEEMED', { reason: 'spent', saleNumber: hub.saleNumber ?? '?' }),
    );
  // Offline only a member's own coupon for this store (the member is on the sale: checked above).
  if (hub.result === 'offline' && !coupon.memberId) refuse(deps, staff, code, new PosError('COUPON_OFFLINE'));
  const row: CartCouponRow = { code, terms: coupon, held: hub.result === 'held' ? 'hub' : 'offline' };
  try {
    ctx.db.transaction(() => {
      const open = openCartRow(ctx.db);
      if (!open || open.id !== cartId || cartCoupon(ctx.db, cartId))
        throw new PosError('CONFLICT', { reason: 'cart-changed' });
      const now = ctx.clock();
      setCartCoupon(ctx.db, cartId, row, now);
      touchCart(ctx.db, cartId, now);
      writeAudit(ctx.db, ctx.terminalId, now, {
        action: 'coupon.applied',
        staffId: staff.id,
        detail: { cartId, code, held: row.held, memberId: coupon.memberId },
      });
    })();
  } catch (err) {
    await tellHub(sync, 'release', row, cartId);
    throw err;
  }
  ctx.logger.info({ cartId, code, held: row.held }, 'coupon on the cart');
  return cartChanged(ctx, cartId);
}

export async function removeCouponFromCart(deps: CouponDeps, staff: StaffView): Promise<Cart> {
  const { ctx } = deps;
  const open = openCartRow(ctx.db);
  const row = open ? cartCoupon(ctx.db, open.id) : null;
  if (!open || !row) throw new PosError('NOT_FOUND', { reason: 'no-coupon' });
  ctx.db.transaction(() => {
    const now = ctx.clock();
    setCartCoupon(ctx.db, open.id, null, now);
    touchCart(ctx.db, open.id, now);
    writeAudit(ctx.db, ctx.terminalId, now, {
      action: 'coupon.removed',
      staffId: staff.id,
      detail: { cartId: open.id, code: row.code },
    });
  })();
  await tellHub(deps.sync, 'release', row, open.id);
  return cartChanged(ctx, open.id);
}

/** Before any tender is charged: a coupon on the cart must still take something off (min spend, scope). */
export function assertCouponPayable(cart: Cart): void {
  const c = cart.coupon;
  if (!c || c.amount > 0) return;
  if (c.shortBy > 0)
    throw new PosError('COUPON_MIN_SPEND', {
      reason: 'short',
      minSpend: c.minSpend,
      shortBy: c.shortBy,
      minSpendYuan: yuan(c.minSpend),
      shortByYuan: yuan(c.shortBy),
    });
  throw new PosError('COUPON_NOT_APPLICABLE', { reason: 'scope' });
}

/**
 * Inside the sale's transaction: the redemption fact of the cart's coupon (if any) replicates
 * with the sale. Returns the coupon row so the caller can confirm it to the hub after commit.
 */
export function recordCouponRedemption(
  ctx: CoreContext,
  cart: Cart,
  sale: { id: string; number: string; at: Date },
): CartCouponRow | null {
  const row = cartCoupon(ctx.db, cart.id);
  if (!row) return null;
  const amount = cart.lines.reduce(
    (s, l) => s + l.discounts.filter((d) => d.kind === 'coupon').reduce((a, d) => a + d.amount, 0),
    0,
  );
  replicationFor(ctx.db)?.fact('coupon_redemption', couponRedemptionId(row.code, sale.id), {
    code: row.code,
    saleId: sale.id,
    saleNumber: sale.number,
    terminalId: ctx.terminalId,
    at: sale.at.toISOString(),
    amount,
    offline: row.held === 'offline',
  });
  writeAudit(ctx.db, ctx.terminalId, sale.at, {
    action: 'coupon.redeemed',
    detail: { code: row.code, saleId: sale.id, saleNumber: sale.number, amount, held: row.held },
  });
  return row;
}

/**
 * After sync: each coupon redeemed more than once is flagged once per new sale to the manager
 * (the coupon_conflicts list and an audit entry naming every sale). Returns how many were flagged.
 */
export function flagCouponConflicts(deps: CouponDeps): number {
  const { ctx, sync } = deps;
  if (!sync) return 0;
  let n = 0;
  ctx.db.transaction(() => {
    for (const [code, list] of redemptions(sync, ctx.storeId)) {
      const { winner, conflicts } = foldRedemptions(list);
      if (!winner || conflicts.length === 0) continue;
      const sales = [winner, ...conflicts].map((r, i) => ({
        saleId: r.saleId,
        saleNumber: r.saleNumber,
        terminalId: r.terminalId,
        at: r.at,
        amount: r.amount,
        offline: r.offline,
        counts: i === 0,
      }));
      const before = ctx.db.prepare('SELECT sales FROM coupon_conflicts WHERE code = ?').get(code) as
        { sales: string } | undefined;
      if (before && (JSON.parse(before.sales) as unknown[]).length === sales.length) continue;
      const now = ctx.clock();
      ctx.db
        .prepare(
          'INSERT INTO coupon_conflicts (code, flagged_at, sales) VALUES (?, ?, ?) ON CONFLICT(code) DO UPDATE SET flagged_at = excluded.flagged_at, sales = excluded.sales',
        )
        .run(code, now.toISOString(), JSON.stringify(sales));
      writeAudit(ctx.db, ctx.terminalId, now, { action: 'coupon.conflict', detail: { code, sales } });
      n++;
    }
  })();
  if (n)
    ctx.logger.warn({ coupons: n }, 'coupon redeemed twice by tills cut off from each other; flagged to the manager');
  return n;
}

export function couponConflicts(ctx: CoreContext): CouponConflict[] {
  return (
    ctx.db.prepare('SELECT code, flagged_at, sales FROM coupon_conflicts ORDER BY flagged_at DESC').all() as {
      code: string;
      flagged_at: string;
      sales: string;
    }[]
  ).map((r) => ({ code: r.code, flaggedAt: r.flagged_at, sales: JSON.parse(r.sales) as CouponConflict['sales'] }));
}
