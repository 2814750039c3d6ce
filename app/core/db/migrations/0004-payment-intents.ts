// 0004: a journal of payment-code charges. A charge is recorded before the gateway is asked
// and updated with the outcome, so a crash between "the customer's wallet was charged" and
// "the sale was committed" can be found at the next start and reversed. The payment code
// itself is never stored (it is a one-time credential of the customer).
import type { Migration } from '../migrate';

export const migration0004: Migration = {
  version: 4,
  name: 'payment-intents',
  up(db) {
    db.exec(`
      CREATE TABLE payment_intents (
        id TEXT PRIMARY KEY,
        sale_id TEXT NOT NULL,
        wallet TEXT NOT NULL CHECK (wallet IN ('wechat', 'alipay')),
        amount INTEGER NOT NULL CHECK (amount > 0),
        status TEXT NOT NULL CHECK (status IN ('charging', 'approved', 'declined', 'captured', 'reversed', 'unknown')),
        transaction_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX payment_intents_sale ON payment_intents(sale_id);
      CREATE INDEX payment_intents_pending ON payment_intents(status) WHERE status IN ('charging', 'approved');
    `);
  },
};
