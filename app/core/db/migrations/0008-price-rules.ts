// 0008: price rules (promotions, member prices, evening markdowns) as the till applies them, the
// promotions a cart was last priced with (so a rule that opens or closes mid-cart re-prices it
// with a visible note), and each sold line's discounts (rule id, name, fen) for receipts,
// reprints and returns. Rules replicate as `set promotion` ops; this table mirrors the winners.
import type { Migration } from '../migrate';

export const migration0008: Migration = {
  version: 8,
  name: 'price-rules',
  up(db) {
    db.exec(`
      CREATE TABLE price_rules (
        id TEXT PRIMARY KEY,
        origin TEXT NOT NULL CHECK (origin IN ('chain', 'store')),
        body TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      ALTER TABLE carts ADD COLUMN applied_rules TEXT;
      ALTER TABLE carts ADD COLUMN pricing_notes TEXT;
      ALTER TABLE sale_lines ADD COLUMN discounts TEXT;
    `);
  },
};
