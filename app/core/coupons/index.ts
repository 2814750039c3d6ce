// app/core/coupons: coupons at the till: check and hold a code for the cart, price it, record its
// redemption with the sale, release it, and flag a coupon two offline tills both redeemed.
export {
  applyCouponToCart,
  removeCouponFromCart,
  assertCouponPayable,
  recordCouponRedemption,
  flagCouponConflicts,
  couponConflicts,
  tellHub,
} from './coupon-service';
