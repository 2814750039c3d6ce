// 0005: payment-code charges carry their merchant order number (out_trade_no), the cart
// they were taken for and the till's view of an unsettled outcome. The number is written
// before the gateway is asked and never changes, so a retry, a query, a reversal and a
// restart all name the same order at the gateway — never a second one. New statuses:
// 'pending' (the gateway said the customer is confirming, or asked us to query) and
// 'reversing' (a reversal is owed and is retried until the gateway confirms it; the manager
// sees these). SQLite cannot widen a CHECK in place, so the table is rebuilt.
import type { Migration } from '../migrate';

export const migration0006: Migration = {
  version: 6,
  name: 'payment-attempts',
  up(db) {
    db.exec(`
      CREATE TABLE payment_intents_v5 (
        id TEXT PRIMARY KEY,
        sale_id TEXT NOT NULL,
        cart_id TEXT,
        position INTEGER,
        wallet TEXT NOT NULL CHECK (wallet IN ('wechat', 'alipay')),
        amount INTEGER NOT NULL CHECK (amount > 0),
        status TEXT NOT NULL CHECK (status IN ('charging', 'pending', 'unknown', 'approved', 'declined', 'captured', 'reversing', 'reversed')),
        out_trade_no TEXT NOT NULL UNIQUE,
        provider TEXT,
        transaction_id TEXT,
        message TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      INSERT INTO payment_intents_v5 (id, sale_id, wallet, amount, status, out_trade_no, transaction_id, created_at, updated_at)
        SELECT id, sale_id, wallet, amount, status, replace(id, '-', ''), transaction_id, created_at, updated_at FROM payment_intents;
      DROP TABLE payment_intents;
      ALTER TABLE payment_intents_v5 RENAME TO payment_intents;
      CREATE INDEX payment_intents_sale ON payment_intents(sale_id);
      CREATE INDEX payment_intents_cart ON payment_intents(cart_id);
      CREATE INDEX payment_intents_open ON payment_intents(status) WHERE status IN ('charging', 'pending', 'unknown', 'approved', 'reversing');
    `);
  },
};
