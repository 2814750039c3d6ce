// 0020: the refund journal of online orders (issue 16). A refund owed to the customer of an
// online order (short pick, cheaper substitute, cancelled or expired order) is written here as
// `owed`, with its refund number, before the payment gateway is asked; the number never changes,
// so a retry after a timeout or a crash names the same refund and the gateway pays it once.
import type { Migration } from '../migrate';

export const migration0020: Migration = {
  version: 20,
  name: 'order-refunds',
  up(db) {
    db.exec(`
      CREATE TABLE order_refunds (
        order_id TEXT PRIMARY KEY,
        refund_no TEXT NOT NULL UNIQUE,
        wallet TEXT CHECK (wallet IN ('wechat', 'alipay')),
        transaction_id TEXT,
        amount INTEGER NOT NULL CHECK (amount > 0),
        reason TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('owed', 'paid', 'declined', 'manual')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        gateway_refund_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX order_refunds_owed ON order_refunds (status) WHERE status = 'owed';
    `);
  },
};
