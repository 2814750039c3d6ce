// 0029: purchase orders store-wide. An order replicates to every till of the store (and may come
// from HQ through the cloud), so a row says where it came from and the supplier HQ named; what
// each till received against it is kept per till (JSON {terminalId: {sku: units}}), and
// `received` stays the sum over the tills, so two tills receiving at once both count.
import type { Migration } from '../migrate';

export const migration0029: Migration = {
  version: 29,
  name: 'store-purchase-orders',
  up(db) {
    db.exec(`
      ALTER TABLE purchase_orders ADD COLUMN origin TEXT NOT NULL DEFAULT 'store' CHECK (origin IN ('store', 'hq'));
      ALTER TABLE purchase_orders ADD COLUMN supplier TEXT;
      ALTER TABLE purchase_orders ADD COLUMN received_by TEXT NOT NULL DEFAULT '{}';
    `);
  },
};
