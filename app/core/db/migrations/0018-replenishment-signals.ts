// 0018: replenishment signals and receiving. Each day of demand history keeps the promotion depth
// (0 … <1) and the group-buy pre-orders it had, so the forecast learns their effect from the
// store's past; a purchase order keeps what was received per SKU (JSON {sku: units}), so a
// partly received order still counts the rest as in transit. A manager may set a product's
// service level (the stock-out / waste choice), which then replaces the newsvendor ratio.
import type { Migration } from '../migrate';

export const migration0018: Migration = {
  version: 18,
  name: 'replenishment-signals',
  up(db) {
    db.exec(`
      ALTER TABLE demand_history ADD COLUMN promo REAL NOT NULL DEFAULT 0 CHECK (promo >= 0 AND promo < 1);
      ALTER TABLE demand_history ADD COLUMN group_buy INTEGER NOT NULL DEFAULT 0 CHECK (group_buy >= 0);
      ALTER TABLE purchase_orders ADD COLUMN received TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE replenishment_items ADD COLUMN service_level REAL
        CHECK (service_level IS NULL OR (service_level >= 0.5 AND service_level <= 0.98));
    `);
  },
};
