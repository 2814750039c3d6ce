// 0019: cashier change (交接班, issue 13 item 16). A handover passes an open shift (its drawer,
// float and sales so far) from one cashier to the next without a Z count; the shift's cashier
// is from then on the last handover's `to_staff_id`. Rows are immutable facts, like shifts.
import type { Migration } from '../migrate';

export const migration0019: Migration = {
  version: 19,
  name: 'shift-handovers',
  up(db) {
    db.exec(`
      CREATE TABLE shift_handovers (
        id TEXT PRIMARY KEY,
        shift_id TEXT NOT NULL REFERENCES shifts(id),
        from_staff_id TEXT NOT NULL,
        to_staff_id TEXT NOT NULL,
        to_staff_name TEXT NOT NULL,
        to_staff_role TEXT NOT NULL,
        confirmed_by_id TEXT NOT NULL,
        at TEXT NOT NULL,
        CHECK (from_staff_id <> to_staff_id)
      );
      CREATE INDEX shift_handovers_shift ON shift_handovers (shift_id, at);
      CREATE TRIGGER shift_handovers_no_update BEFORE UPDATE ON shift_handovers
      BEGIN SELECT RAISE(ABORT, 'shift_handovers rows are immutable'); END;
      CREATE TRIGGER shift_handovers_no_delete BEFORE DELETE ON shift_handovers
      BEGIN SELECT RAISE(ABORT, 'shift_handovers rows are immutable'); END;
    `);
  },
};
