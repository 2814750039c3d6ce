// 0005: a cart line remembers what a manager approved its discount for (who, how many fen off a
// line of how many fen, at which quantity and weight). Without it an approval given for one item
// silently covered whatever the line became afterwards (9,999 items at 50 %), and a discount
// within the cashier's limit on 100 items became a free item at quantity 1. The cart re-checks the
// discount against this record on every change of quantity, weight or price (docs/core.md "Cart").
import type { Migration } from '../migrate';

export const migration0005: Migration = {
  version: 5,
  name: 'cart-discount-approval',
  up(db) {
    db.exec(`
      ALTER TABLE cart_lines ADD COLUMN discount_approved_by TEXT;
      ALTER TABLE cart_lines ADD COLUMN discount_approved_amount INTEGER CHECK (discount_approved_amount IS NULL OR discount_approved_amount >= 0);
      ALTER TABLE cart_lines ADD COLUMN discount_approved_gross INTEGER CHECK (discount_approved_gross IS NULL OR discount_approved_gross >= 0);
      ALTER TABLE cart_lines ADD COLUMN discount_approved_quantity INTEGER;
      ALTER TABLE cart_lines ADD COLUMN discount_approved_weight_grams INTEGER;
    `);
  },
};
