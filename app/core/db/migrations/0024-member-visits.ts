// 0024: a member's visits at the store's other tills (issue 14: the member panel shows the last
// visits wherever in the store they happened). Sale facts with a member id that arrive from other
// tills are mirrored here (the sale itself stays in the sync replica); the panel reads this
// table with the till's own sale_members. Erasure deletes a member's rows.
import type { Migration } from '../migrate';

export const migration0024: Migration = {
  version: 24,
  name: 'member-visits',
  up(db) {
    db.exec(`
      CREATE TABLE member_visits (
        sale_id TEXT PRIMARY KEY,
        member_id TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        number TEXT NOT NULL,
        total INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        lines TEXT NOT NULL
      );
      CREATE INDEX member_visits_member ON member_visits (member_id, created_at);
    `);
  },
};
