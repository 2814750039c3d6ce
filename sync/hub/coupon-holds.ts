// The store hub as the authority for spending a coupon exactly once while the LAN is up: before
// payment a till asks the hub to hold the coupon for its cart; the hub refuses when its replica
// already holds a redemption of the code, it was confirmed spent, or another till's cart holds
// it. Reading and writing the hold happen with no await between them, so two tills asking at
// once cannot both win. The till confirms after its sale commits (the redemption fact follows by
// sync) and releases the hold when the coupon comes off the cart or the cart is voided. Offline
// tills decide alone under a narrower rule, and a double redemption is flagged after sync
// (sync/core/coupons.ts, docs/pricing.md).
import {
  couponRedemptionRange,
  foldRedemptions,
  readCoupon,
  readCouponRedemption,
  storeScope,
  type CouponRedemption,
} from '../core';
import type { SqliteSyncStorage } from '../storage';
import type { DeviceClaims } from '../protocol';

export type CouponHold =
  | { ok: true; code: string }
  | {
      ok: false;
      code: 'COUPON_NOT_FOUND' | 'COUPON_ALREADY_REDEEMED';
      /** The till holding it (another cart) or the sale that spent it. */
      by?: { terminalId: string | null; saleNumber?: string | null; held?: boolean };
    };

/** A hold a till never released (it crashed mid-sale) lapses after this long. */
export const COUPON_HOLD_MS = 30 * 60_000;

interface HoldMeta {
  device: string;
  cartId: string;
  at: number;
}
const HOLD = (code: string) => `coupon.hold.${code}`;
const SPENT = (code: string) => `coupon.spent.${code}`;

function readHold(storage: SqliteSyncStorage, code: string): HoldMeta | null {
  const raw = storage.getMetaSync(HOLD(code));
  if (!raw) return null;
  try {
    return JSON.parse(raw) as HoldMeta;
  } catch {
    return null;
  }
}

function redemptionsOf(storage: SqliteSyncStorage, storeId: string, code: string): CouponRedemption[] {
  const { ops } = storage.keyRangeSync({
    t: 'fact',
    scope: storeScope(storeId),
    e: 'coupon_redemption',
    ...couponRedemptionRange(code),
  });
  return ops.map((o) => readCouponRedemption(o.k, o.id, o.b)).filter((r) => r !== null);
}

export function holdCoupon(
  storage: SqliteSyncStorage,
  storeId: string,
  device: DeviceClaims,
  input: { code: string; cartId: string },
  now: number = Date.now(),
): CouponHold {
  const { code, cartId } = input;
  const fact = storage.keyRangeSync({
    t: 'fact',
    scope: storeScope(storeId),
    e: 'coupon',
    fromKey: code,
    toKey: `${code}\u0000`,
  }).ops[0];
  const coupon = fact ? readCoupon(fact.b) : null;
  if (!coupon || coupon.code !== code || coupon.storeId !== storeId) return { ok: false, code: 'COUPON_NOT_FOUND' };
  const { winner } = foldRedemptions(redemptionsOf(storage, storeId, code));
  if (winner)
    return {
      ok: false,
      code: 'COUPON_ALREADY_REDEEMED',
      by: { terminalId: winner.terminalId, saleNumber: winner.saleNumber },
    };
  const spent = storage.getMetaSync(SPENT(code));
  if (spent) {
    const s = JSON.parse(spent) as { device: string; saleNumber: string | null };
    return { ok: false, code: 'COUPON_ALREADY_REDEEMED', by: { terminalId: s.device, saleNumber: s.saleNumber } };
  }
  const hold = readHold(storage, code);
  const mine = hold && hold.device === device.d && hold.cartId === cartId;
  if (hold && !mine && now - hold.at < COUPON_HOLD_MS)
    return { ok: false, code: 'COUPON_ALREADY_REDEEMED', by: { terminalId: hold.device, held: true } };
  storage.setMetaSync(HOLD(code), JSON.stringify({ device: device.d, cartId, at: now } satisfies HoldMeta));
  return { ok: true, code };
}

/** Drops this till's hold of the code for that cart (another till's hold is left alone). */
export function releaseCoupon(
  storage: SqliteSyncStorage,
  device: DeviceClaims,
  input: { code: string; cartId: string },
): { ok: true; released: boolean } {
  const hold = readHold(storage, input.code);
  if (!hold || hold.device !== device.d || hold.cartId !== input.cartId) return { ok: true, released: false };
  storage.setMetaSync(HOLD(input.code), '');
  return { ok: true, released: true };
}

/** The sale that spent the code committed on the till: the code stays spent here even before its fact arrives. */
export function confirmCoupon(
  storage: SqliteSyncStorage,
  device: DeviceClaims,
  input: { code: string; cartId: string; saleNumber: string | null },
): { ok: true } {
  if (!storage.getMetaSync(SPENT(input.code)))
    storage.setMetaSync(SPENT(input.code), JSON.stringify({ device: device.d, saleNumber: input.saleNumber }));
  releaseCoupon(storage, device, input);
  return { ok: true };
}
