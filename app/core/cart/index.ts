// The open cart (persisted), parked carts, and pure cart arithmetic.
export {
  getCart,
  scanIntoCart,
  addToCart,
  setLineQuantity,
  removeLine,
  applyLineDiscount,
  parkCart,
  parkedCarts,
  recallCart,
  voidCart,
  requireOwnCart,
  repriceOpenCart,
  pricingEnv,
  changed as cartChanged,
} from './cart-service';
export { buildCart, lineGross, weighedPrice, discountAmount, effectiveDiscountPercent } from './cart-math';
export type { LineState } from './cart-math';
export {
  openCartRow,
  loadCart,
  deleteCart,
  ensureOpenCart,
  setCartMemberRow,
  touchCart,
  cartCoupon,
  setCartCoupon,
  pricedCart,
} from './cart-store';
export type { CartCouponRow } from './cart-store';
