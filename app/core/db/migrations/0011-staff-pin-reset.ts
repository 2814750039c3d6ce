// 0011: staff administration from the back office. `must_change_pin`: a manager reset this staff
// member's PIN to a temporary one; until they choose their own, their session may only set a new
// PIN (the router refuses everything else with PIN_CHANGE_REQUIRED). `disabled_at` / `updated_at`
// say when an account was last disabled or changed (who did it is in the audit log).
import type { Migration } from '../migrate';

export const migration0011: Migration = {
  version: 11,
  name: 'staff-pin-reset',
  up(db) {
    db.exec(`
      ALTER TABLE staff ADD COLUMN must_change_pin INTEGER NOT NULL DEFAULT 0 CHECK (must_change_pin IN (0, 1));
      ALTER TABLE staff ADD COLUMN disabled_at TEXT;
      ALTER TABLE staff ADD COLUMN updated_at TEXT;
    `);
  },
};
