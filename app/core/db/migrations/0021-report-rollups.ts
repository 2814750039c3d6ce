// 0021: per-day sales rollups for the store-wide reports (issue 17). The 90-day report read and
// parsed every sale fact of the range; the rollup holds what the reports need per store-local
// day, kept in the transaction that stores each sale fact in the replica (app/core/reports/
// rollup-store.ts). It is derived data: dropping its rows and the state row rebuilds it from the
// replicated facts on the next report.
//
// One row per (dim, key, sku, day). Key order: a report reads only the dims it groups by and
// sums each (key, sku) over its days, which this order streams without sorting.
//
//   dim 'day'      key = the product's category when rolled up, sku rows (lines) + one '' row (sales)
//   dim 'hour'     key = store-local hour '00'..'23', sku rows + '' row (transactions in the hour)
//   dim 'staff'    key = cashier id, sku rows + '' row
//   dim 'tender'   key = tender key (cash, card, wechat, …), '' row: transactions, amount
//   dim 'terminal' key = till id, '' row: transactions
//   dim 'category' key = category when rolled up, '' row: transactions with a line of it
import type { Migration } from '../migrate';

export const migration0021: Migration = {
  version: 21,
  name: 'report-rollups',
  up(db) {
    db.exec(`
      CREATE TABLE report_rollup (
        day TEXT NOT NULL,
        dim TEXT NOT NULL CHECK (dim IN ('day', 'hour', 'staff', 'tender', 'terminal', 'category')),
        key TEXT NOT NULL,
        sku TEXT NOT NULL,
        tx INTEGER NOT NULL DEFAULT 0,
        items INTEGER NOT NULL DEFAULT 0,
        grams INTEGER NOT NULL DEFAULT 0,
        qty INTEGER NOT NULL DEFAULT 0,
        wgrams INTEGER NOT NULL DEFAULT 0,
        sales INTEGER NOT NULL DEFAULT 0,
        discount INTEGER NOT NULL DEFAULT 0,
        first_sale TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (dim, key, sku, day)
      ) WITHOUT ROWID;
      CREATE TABLE report_rollup_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        time_zone TEXT NOT NULL,
        built_at TEXT NOT NULL
      );
    `);
  },
};
