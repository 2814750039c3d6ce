// 0014: replenishment. Per-product ordering parameters (supplier, case pack, shelf life, lead
// time, unit cost, forecast family), daily demand history imported from a previous POS (or the
// demo seed) for the days before this system recorded sales, the weather forecast the store last
// received, and purchase orders (immutable once sent; receiving closes them).
import type { Migration } from '../migrate';

export const migration0014: Migration = {
  version: 14,
  name: 'replenishment',
  up(db) {
    db.exec(`
      CREATE TABLE replenishment_items (
        sku TEXT PRIMARY KEY REFERENCES products(sku),
        family TEXT NOT NULL CHECK (family IN ('leafy','fruit','bakery','dairy','meat','pantry')),
        supplier TEXT NOT NULL,
        case_pack INTEGER NOT NULL CHECK (case_pack >= 1),
        shelf_life_days INTEGER NOT NULL CHECK (shelf_life_days >= 1),
        lead_days INTEGER NOT NULL DEFAULT 1 CHECK (lead_days >= 0 AND lead_days <= 14),
        unit_cost INTEGER NOT NULL CHECK (unit_cost >= 0)
      );
      CREATE TABLE demand_history (
        sku TEXT NOT NULL,
        day TEXT NOT NULL,
        units INTEGER NOT NULL CHECK (units >= 0),
        stockout INTEGER NOT NULL DEFAULT 0 CHECK (stockout IN (0, 1)),
        source TEXT NOT NULL,
        PRIMARY KEY (sku, day)
      );
      CREATE TABLE weather_forecasts (
        day TEXT PRIMARY KEY,
        temp_c REAL NOT NULL,
        rain_mm REAL NOT NULL CHECK (rain_mm >= 0),
        received_at TEXT NOT NULL
      );
      CREATE TABLE purchase_orders (
        id TEXT PRIMARY KEY,
        for_day TEXT NOT NULL,
        created_at TEXT NOT NULL,
        staff_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('sent', 'received', 'cancelled')),
        lines TEXT NOT NULL
      );
      CREATE INDEX purchase_orders_day ON purchase_orders(for_day);
    `);
  },
};
