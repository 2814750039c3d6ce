import { errorText } from './error-text';

// Stable error codes. A code never changes meaning once shipped; the message is for people.
export const ERROR_CODES = [
  'BAD_INPUT', // failed schema validation at the boundary
  'UNAUTHENTICATED', // no or expired session token
  'FORBIDDEN', // role may not call this method
  'WRONG_PIN', // PIN does not match any active staff member
  'LOCKED_OUT', // too many wrong PINs; wait
  'MANAGER_REQUIRED', // needs a manager PIN (override)
  'BARCODE_INVALID', // does not parse / check digit wrong
  'PRODUCT_NOT_FOUND', // parsed, but not in the catalog (or inactive)
  'WEIGHT_REQUIRED', // weighed product scanned without an embedded weight
  'LINE_NOT_FOUND',
  'CART_EMPTY',
  'CART_NOT_FOUND',
  'TENDER_SHORT', // tenders do not cover the amount due
  'TENDER_INVALID', // e.g. card/payment-code amount over what is due, change from non-cash
  'PAYMENT_DECLINED', // payment-code provider declined
  'TENDER_EXCESSIVE', // cash handed over is more than the cap (max(total × 10, total + ¥1000)); see docs/payments.md
  'PAYMENT_PENDING', // a payment-code charge on this cart is not settled yet (customer confirming, or being queried)
  'PAYMENT_UNKNOWN', // the gateway did not answer; the outcome is unknown and is being queried — do not rescan
  'PAYMENT_OFFLINE', // the payment gateway is unreachable; nothing was charged — take cash or card
  'SALE_NOT_FOUND',
  'RETURN_EXCEEDS_SALE', // more than was sold (minus earlier returns)
  'SHIFT_NOT_OPEN',
  'SHIFT_ALREADY_OPEN',
  'DEVICE_UNAVAILABLE', // no such device configured, or it does not answer
  'DEVICE_ERROR', // the device answered with a fault (cover open, paper out, …)
  'WEIGHT_UNSTABLE', // the scale has not settled; ask the customer to step back
  'WEIGHT_INVALID', // zero, negative or over-capacity weight
  'NOT_FOUND',
  'CONFLICT',
  'ORIGIN_REFUSED', // web host: the request's Host or Origin is not this till (cross-site page, DNS rebinding)
  'UNSUPPORTED_MEDIA_TYPE', // web host: an /api POST without Content-Type: application/json
  'BODY_TOO_LARGE', // web host: request body over the size limit
  'INTERNAL',
  'MEMBER_CODE_INVALID', // member code malformed, not signed by this chain, expired or already used
  'MEMBER_NOT_FOUND', // no member with this phone/code (or erased)
  'MEMBER_LOOKUP_OFFLINE', // another store's member needs the cloud, which does not answer: continue as guest
  'ORDER_NOT_FOUND', // no online order with that id / pickup code / leader code in this store
  'ORDER_STATE', // the order cannot do that in its status (reason: not-ready, closed, line)
  'ORDER_ALREADY_HANDED_OVER', // the hub (or this till) already recorded its handover
  'ORDERS_OFFLINE', // sync is off on this till: it cannot see online orders
  'ORDER_WRONG_ITEM', // picking: the scanned item is not on the order / not this line / already all picked
  'TILL_NEEDS_TECHNICIAN', // sale records may be lost (damaged WAL / sale journal ahead of the database); selling paused
  'PIN_CHANGE_REQUIRED', // a manager reset this staff member's PIN: they must set a new one before anything else
  'PIN_IN_USE', // the PIN chosen is already an active staff member's PIN (a PIN identifies its owner at login)
  'FACE_UNUSABLE', // face enrolment: the frame has no face, several faces, or fails anti-spoof/liveness; or the image is not a picture
  'FACE_CONSENT_REQUIRED', // face enrolment or lookup for a member who has not consented (or withdrew)
  'FACE_UNAVAILABLE', // face lookup cannot run on this till (models missing, face key unusable)
  'COUPON_NOT_FOUND', // no coupon with that code for this store (or sync is off on this till)
  'COUPON_NOT_VALID', // outside its validity (reason: expired, not-yet)
  'COUPON_WRONG_MEMBER', // issued to a member: that member must be on the cart (reason: no-member, other-member)
  'COUPON_MIN_SPEND', // the lines in scope do not reach its minimum spend (details: minSpend, shortBy)
  'COUPON_NOT_APPLICABLE', // nothing on the cart is in its scope (reason: scope, gift)
  'COUPON_ALREADY_REDEEMED', // spent, or held by another till's cart (reason: held, spent, on-cart)
  'COUPON_OFFLINE', // the store hub does not answer and this coupon may not be redeemed offline (a bearer coupon)
  'STORED_VALUE_REFUSED', // stored value (储值): member not present, wrong member PIN, balance short, offline daily cap
  'POINTS_REFUSED', // points redemption: no member, balance short, amount not a whole number of points
  'STOCK_NEARBY_OFFLINE', // other stores' stock needs the cloud, which does not answer (or sync is off on this till)
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface RpcError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type RpcResult<T> = ({ ok: true } & T) | { ok: false; error: RpcError };

/** Details of an error: what the UI needs to say it in the user's language (`reason` picks the sentence). */
export type ErrorDetails = Record<string, unknown>;

/**
 * Thrown inside the core; the router turns it into `{ ok: false, error }`. The message is the
 * English text of the code (+ reason) from error-text.ts, for logs and HTTP API users; the UI
 * translates `code` + `details` itself.
 */
export class PosError extends Error {
  public readonly details?: unknown;
  constructor(code: ErrorCode, details?: ErrorDetails);
  /** @deprecated a sentence instead of details: kept only until the payment code is converted. */
  constructor(code: ErrorCode, legacyMessage: string, details?: unknown);
  constructor(
    public readonly code: ErrorCode,
    detailsOrMessage?: ErrorDetails | string,
    legacyDetails?: unknown,
  ) {
    const legacy = typeof detailsOrMessage === 'string';
    const details = legacy ? legacyDetails : detailsOrMessage;
    super(legacy ? detailsOrMessage : errorText(code, details, 'en'));
    this.details = details;
    this.name = 'PosError';
  }
}

/** HTTP status the web host uses for each code. */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'BAD_INPUT':
    case 'BARCODE_INVALID':
    case 'WEIGHT_REQUIRED':
    case 'WEIGHT_UNSTABLE':
    case 'WEIGHT_INVALID':
    case 'TENDER_SHORT':
    case 'TENDER_INVALID':
    case 'TENDER_EXCESSIVE':
    case 'RETURN_EXCEEDS_SALE':
    case 'CART_EMPTY':
    case 'MEMBER_CODE_INVALID':
      return 400;
    case 'UNAUTHENTICATED':
    case 'WRONG_PIN':
      return 401;
    case 'FORBIDDEN':
    case 'MANAGER_REQUIRED':
    case 'PIN_CHANGE_REQUIRED':
    case 'ORIGIN_REFUSED':
      return 403;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'BODY_TOO_LARGE':
      return 413;
    case 'PRODUCT_NOT_FOUND':
    case 'SALE_NOT_FOUND':
    case 'LINE_NOT_FOUND':
    case 'CART_NOT_FOUND':
    case 'NOT_FOUND':
    case 'MEMBER_NOT_FOUND':
    case 'ORDER_NOT_FOUND':
      return 404;
    case 'ORDER_STATE':
    case 'ORDER_ALREADY_HANDED_OVER':
    case 'ORDER_WRONG_ITEM':
      return 409;
    case 'ORDERS_OFFLINE':
      return 503;
    case 'SHIFT_NOT_OPEN':
    case 'SHIFT_ALREADY_OPEN':
    case 'PIN_IN_USE':
    case 'CONFLICT':
    case 'DEVICE_ERROR':
      return 409;
    case 'PAYMENT_PENDING':
    case 'PAYMENT_UNKNOWN':
      return 409;
    case 'PAYMENT_OFFLINE':
      return 503;
    case 'DEVICE_UNAVAILABLE':
    case 'TILL_NEEDS_TECHNICIAN':
    case 'MEMBER_LOOKUP_OFFLINE':
    case 'FACE_UNAVAILABLE':
    case 'STOCK_NEARBY_OFFLINE':
      return 503;
    case 'FACE_UNUSABLE':
      return 422;
    case 'FACE_CONSENT_REQUIRED':
      return 403;
    case 'COUPON_NOT_FOUND':
      return 404;
    case 'COUPON_NOT_VALID':
    case 'COUPON_WRONG_MEMBER':
    case 'COUPON_MIN_SPEND':
    case 'COUPON_NOT_APPLICABLE':
    case 'COUPON_ALREADY_REDEEMED':
      return 409;
    case 'COUPON_OFFLINE':
      return 503;
    case 'PAYMENT_DECLINED':
    case 'STORED_VALUE_REFUSED':
    case 'POINTS_REFUSED':
      return 402;
    case 'LOCKED_OUT':
      return 429;
    case 'INTERNAL':
      return 500;
  }
}
