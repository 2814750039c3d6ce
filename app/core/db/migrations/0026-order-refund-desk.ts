// 0026: the manager's side of the online-order refund journal (issue 16). A refund the gateway
// refused, or one the mall sent no wallet for, is paid back by hand at the counter; the journal
// then says so (`paid_by = 'manual'`), with the manager who did it and their note, so the refund
// list on the back office tells a refund the gateway paid from one the store paid itself.
import type { Migration } from '../migrate';

export const migration0026: Migration = {
  version: 26,
  name: 'order-refund-desk',
  up(db) {
    db.exec(`
      ALTER TABLE order_refunds ADD COLUMN paid_by TEXT CHECK (paid_by IN ('gateway', 'manual'));
      ALTER TABLE order_refunds ADD COLUMN settled_staff_id TEXT;
      ALTER TABLE order_refunds ADD COLUMN note TEXT;
      UPDATE order_refunds SET paid_by = 'gateway' WHERE status = 'paid';
    `);
  },
};
