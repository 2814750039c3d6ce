// 0022: transfers between stores (调拨, issue 17). One row per transfer on each store's till that
// took part: the receiving store writes it on request, the sending store learns it (importTransfer,
// the seam sync hands a transfer record to) and ships it, the receiver records what arrived. The
// stock effects are ledger rows (kind 'transfer', ref `<id>:out` / `<id>:in`); this table only
// holds the state, so shipping or receiving twice never moves stock twice.
import type { Migration } from '../migrate';

export const migration0022: Migration = {
  version: 22,
  name: 'transfers',
  up(db) {
    db.exec(`
      CREATE TABLE transfers (
        id TEXT PRIMARY KEY,
        from_store TEXT NOT NULL,
        to_store TEXT NOT NULL,
        sku TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        status TEXT NOT NULL CHECK (status IN ('requested', 'shipped', 'received')),
        requested_at TEXT NOT NULL,
        requested_by TEXT,
        shipped_quantity INTEGER,
        shipped_at TEXT,
        shipped_by TEXT,
        received_quantity INTEGER,
        received_at TEXT,
        received_by TEXT
      );
      CREATE INDEX transfers_requested ON transfers(requested_at);
    `);
  },
};
