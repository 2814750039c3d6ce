// 0001: the terminal's first schema — catalog, staff and sessions, the persisted cart,
// sales with lines and tenders, returns, shifts, the stock movement ledger, audit, config.
// Ids of facts that replicate (sales, returns, shifts, movements, audit) are uuid v7 text.
import type { Migration } from '../migrate';

export const migration0001: Migration = {
  version: 1,
  name: 'initial-schema',
  up(db) {
    db.exec(`
      CREATE TABLE kv (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE products (
        sku TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        name_en TEXT NOT NULL,
        price INTEGER NOT NULL CHECK (price >= 0),
        currency TEXT NOT NULL DEFAULT 'CNY' CHECK (currency = 'CNY'),
        unit TEXT NOT NULL CHECK (unit IN ('each', 'weighed')),
        tax_class TEXT NOT NULL,
        category TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        updated_at TEXT NOT NULL
      );
      CREATE TABLE barcodes (
        code TEXT PRIMARY KEY,
        sku TEXT NOT NULL REFERENCES products(sku)
      );
      CREATE INDEX barcodes_sku ON barcodes(sku);

      CREATE TABLE staff (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        name_en TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('cashier', 'manager', 'technician')),
        pin_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at TEXT NOT NULL
      );
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        staff_id TEXT NOT NULL REFERENCES staff(id),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        revoked_at TEXT
      );

      CREATE TABLE carts (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('open', 'parked')),
        label TEXT,
        staff_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        parked_at TEXT
      );
      CREATE UNIQUE INDEX carts_one_open ON carts(status) WHERE status = 'open';
      CREATE TABLE cart_lines (
        id TEXT PRIMARY KEY,
        cart_id TEXT NOT NULL REFERENCES carts(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        sku TEXT NOT NULL,
        name TEXT NOT NULL,
        name_en TEXT NOT NULL,
        unit TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        weight_grams INTEGER CHECK (weight_grams IS NULL OR weight_grams > 0),
        unit_price INTEGER NOT NULL,
        fixed_gross INTEGER,
        discount_kind TEXT CHECK (discount_kind IS NULL OR discount_kind IN ('percent', 'amount')),
        discount_value INTEGER NOT NULL DEFAULT 0,
        barcode TEXT
      );
      CREATE INDEX cart_lines_cart ON cart_lines(cart_id, position);

      CREATE TABLE shifts (
        id TEXT PRIMARY KEY,
        terminal_id TEXT NOT NULL,
        staff_id TEXT NOT NULL,
        staff_name TEXT NOT NULL,
        staff_role TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        float INTEGER NOT NULL CHECK (float >= 0),
        auto_opened INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE shift_closes (
        shift_id TEXT PRIMARY KEY REFERENCES shifts(id),
        closed_at TEXT NOT NULL,
        staff_id TEXT NOT NULL,
        counted_cash INTEGER NOT NULL,
        expected_cash INTEGER NOT NULL,
        report TEXT NOT NULL
      );
      CREATE TABLE cash_movements (
        id TEXT PRIMARY KEY,
        shift_id TEXT NOT NULL REFERENCES shifts(id),
        kind TEXT NOT NULL CHECK (kind IN ('in', 'out')),
        amount INTEGER NOT NULL CHECK (amount > 0),
        reason TEXT NOT NULL,
        staff_id TEXT NOT NULL,
        approved_by TEXT,
        at TEXT NOT NULL
      );

      CREATE TABLE sales (
        id TEXT PRIMARY KEY,
        number TEXT NOT NULL UNIQUE,
        seq INTEGER NOT NULL,
        receipt_code TEXT NOT NULL UNIQUE,
        terminal_id TEXT NOT NULL,
        store_id TEXT NOT NULL,
        cashier_id TEXT NOT NULL,
        cashier_name TEXT NOT NULL,
        cashier_role TEXT NOT NULL,
        shift_id TEXT,
        subtotal INTEGER NOT NULL,
        discount INTEGER NOT NULL,
        rounding INTEGER NOT NULL,
        total INTEGER NOT NULL,
        currency TEXT NOT NULL,
        change INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (terminal_id, seq)
      );
      CREATE INDEX sales_created ON sales(created_at);
      CREATE INDEX sales_shift ON sales(shift_id);
      CREATE TABLE sale_lines (
        sale_id TEXT NOT NULL REFERENCES sales(id),
        line_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        sku TEXT NOT NULL,
        name TEXT NOT NULL,
        name_en TEXT NOT NULL,
        unit TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        weight_grams INTEGER,
        unit_price INTEGER NOT NULL,
        gross INTEGER NOT NULL,
        discount INTEGER NOT NULL,
        total INTEGER NOT NULL,
        barcode TEXT,
        PRIMARY KEY (sale_id, line_id)
      );
      CREATE TABLE sale_tenders (
        id TEXT PRIMARY KEY,
        sale_id TEXT NOT NULL REFERENCES sales(id),
        position INTEGER NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('cash', 'card', 'payment_code')),
        amount INTEGER NOT NULL,
        tendered INTEGER NOT NULL,
        reference TEXT,
        provider TEXT
      );
      CREATE INDEX sale_tenders_sale ON sale_tenders(sale_id);

      CREATE TABLE returns (
        id TEXT PRIMARY KEY,
        sale_id TEXT NOT NULL REFERENCES sales(id),
        terminal_id TEXT NOT NULL,
        shift_id TEXT,
        amount INTEGER NOT NULL,
        reason TEXT NOT NULL,
        staff_id TEXT NOT NULL,
        approved_by_id TEXT NOT NULL,
        approved_by_name TEXT NOT NULL,
        approved_by_role TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX returns_sale ON returns(sale_id);
      CREATE TABLE return_lines (
        return_id TEXT NOT NULL REFERENCES returns(id),
        line_id TEXT NOT NULL,
        sku TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        weight_grams INTEGER,
        amount INTEGER NOT NULL,
        PRIMARY KEY (return_id, line_id)
      );
      CREATE TABLE return_tenders (
        id TEXT PRIMARY KEY,
        return_id TEXT NOT NULL REFERENCES returns(id),
        sale_tender_id TEXT NOT NULL REFERENCES sale_tenders(id),
        type TEXT NOT NULL,
        amount INTEGER NOT NULL,
        reference TEXT,
        provider TEXT
      );

      CREATE TABLE stock_movements (
        id TEXT PRIMARY KEY,
        sku TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('sale', 'return', 'receive', 'adjust', 'transfer', 'count')),
        quantity INTEGER NOT NULL,
        ref_id TEXT,
        terminal_id TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX stock_movements_sku ON stock_movements(sku);

      CREATE TABLE audit_log (
        id TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        staff_id TEXT,
        approved_by_id TEXT,
        detail TEXT NOT NULL
      );
      CREATE INDEX audit_log_at ON audit_log(at);
    `);
  },
};
