// 0010: stock work. A stock movement keeps its ledger body (waste reason and cost, receiving
// unit cost and purchase order, the staff member) so the replicated op carries the same body
// after a backfill. Products get a cost (fen per unit or per kg), a shelf life (days, for the
// scale's PLU file) and an origin (产地, for shelf labels). Stocktake sessions keep what was
// counted, line by line, until the manager posts them.
import type { Migration } from '../migrate';

export const migration0010: Migration = {
  version: 10,
  name: 'stock-work',
  up(db) {
    db.exec(`
      ALTER TABLE stock_movements ADD COLUMN body TEXT;
      ALTER TABLE products ADD COLUMN cost INTEGER CHECK (cost IS NULL OR cost >= 0);
      ALTER TABLE products ADD COLUMN shelf_life_days INTEGER CHECK (shelf_life_days IS NULL OR shelf_life_days >= 0);
      ALTER TABLE products ADD COLUMN origin TEXT;

      CREATE TABLE stocktakes (
        id TEXT PRIMARY KEY,
        scope_kind TEXT NOT NULL CHECK (scope_kind IN ('category', 'shelf', 'skus')),
        scope TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'posted')),
        started_by TEXT NOT NULL,
        started_at TEXT NOT NULL,
        posted_by TEXT,
        posted_at TEXT
      );
      CREATE TABLE stocktake_counts (
        stocktake_id TEXT NOT NULL REFERENCES stocktakes(id),
        sku TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity >= 0),
        counted_by TEXT NOT NULL,
        counted_at TEXT NOT NULL,
        PRIMARY KEY (stocktake_id, sku)
      );
    `);
  },
};
