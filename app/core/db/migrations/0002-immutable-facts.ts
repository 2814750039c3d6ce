// 0002: completed sales, returns, stock movements and audit entries are immutable facts
// (they replicate as a grow-only set). Triggers refuse UPDATE and DELETE so that no code
// path, now or later, can rewrite history; corrections are new facts.
import type { Migration } from '../migrate';

export const IMMUTABLE_TABLES = [
  'sales',
  'sale_lines',
  'sale_tenders',
  'returns',
  'return_lines',
  'return_tenders',
  'stock_movements',
  'audit_log',
  'shifts',
  'cash_movements',
  'shift_closes',
] as const;

export const migration0002: Migration = {
  version: 2,
  name: 'immutable-facts',
  up(db) {
    for (const t of IMMUTABLE_TABLES) {
      db.exec(`
        CREATE TRIGGER ${t}_no_update BEFORE UPDATE ON ${t}
        BEGIN SELECT RAISE(ABORT, '${t} rows are immutable'); END;
        CREATE TRIGGER ${t}_no_delete BEFORE DELETE ON ${t}
        BEGIN SELECT RAISE(ABORT, '${t} rows are immutable'); END;
      `);
    }
  },
};
