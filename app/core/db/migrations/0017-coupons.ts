// 0017: coupons on the till. `cart_coupons` is the coupon on a cart (one at most) with the terms
// it was checked against and who holds it (the store hub, or this till alone while offline), so
// a restart mid-sale keeps it. `coupon_conflicts` remembers each coupon a till found redeemed
// twice after sync (two tills cut off from each other), with both sales, for the manager.
import type { Migration } from '../migrate';

export const migration0017: Migration = {
  version: 17,
  name: 'coupons',
  up(db) {
    db.exec(`
      CREATE TABLE cart_coupons (
        cart_id TEXT PRIMARY KEY,
        code TEXT NOT NULL,
        terms TEXT NOT NULL,
        held TEXT NOT NULL CHECK (held IN ('hub', 'offline')),
        applied_at TEXT NOT NULL
      );
      CREATE TABLE coupon_conflicts (
        code TEXT PRIMARY KEY,
        flagged_at TEXT NOT NULL,
        sales TEXT NOT NULL
      );
    `);
  },
};
