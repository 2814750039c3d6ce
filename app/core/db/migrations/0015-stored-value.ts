// 0015: stored value (储值) and points as tenders. The stored-value ledger is append-only like
// the stock ledger: one row per top-up, spend or refund, principal and bonus kept apart (refunds
// and the liability report need them), each replicated as an immutable `stored_value` fact so
// every till and the hub converge on the same rows and none counts twice (the row id is the
// fact id). A member's stored-value PIN is kept as a scrypt hash, the latest setting wins.
// sale_tenders gains the tender types `stored_value` and `points`: SQLite cannot widen a CHECK
// in place, so sale_tenders is rebuilt, and return_tenders with it (its foreign key names
// sale_tenders, and a dropped parent would break it); both keep their immutability triggers.
import type { Migration } from '../migrate';

const immutable = (t: string) => `
  CREATE TRIGGER ${t}_no_update BEFORE UPDATE ON ${t}
  BEGIN SELECT RAISE(ABORT, '${t} rows are immutable'); END;
  CREATE TRIGGER ${t}_no_delete BEFORE DELETE ON ${t}
  BEGIN SELECT RAISE(ABORT, '${t} rows are immutable'); END;`;

export const migration0015: Migration = {
  version: 15,
  name: 'stored-value',
  up(db) {
    db.exec(`
      CREATE TABLE sale_tenders_v15 (
        id TEXT PRIMARY KEY,
        sale_id TEXT NOT NULL REFERENCES sales(id),
        position INTEGER NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('cash', 'card', 'payment_code', 'stored_value', 'points')),
        amount INTEGER NOT NULL,
        tendered INTEGER NOT NULL,
        reference TEXT,
        provider TEXT
      );
      INSERT INTO sale_tenders_v15 (id, sale_id, position, type, amount, tendered, reference, provider)
        SELECT id, sale_id, position, type, amount, tendered, reference, provider FROM sale_tenders;
      CREATE TABLE return_tenders_v15 (
        id TEXT PRIMARY KEY,
        return_id TEXT NOT NULL REFERENCES returns(id),
        sale_tender_id TEXT NOT NULL REFERENCES sale_tenders_v15(id),
        type TEXT NOT NULL,
        amount INTEGER NOT NULL,
        reference TEXT,
        provider TEXT
      );
      INSERT INTO return_tenders_v15 (id, return_id, sale_tender_id, type, amount, reference, provider)
        SELECT id, return_id, sale_tender_id, type, amount, reference, provider FROM return_tenders;
      DROP TABLE return_tenders;
      DROP TABLE sale_tenders;
      ALTER TABLE sale_tenders_v15 RENAME TO sale_tenders;
      ALTER TABLE return_tenders_v15 RENAME TO return_tenders;
      CREATE INDEX sale_tenders_sale ON sale_tenders(sale_id);
      ${immutable('sale_tenders')}
      ${immutable('return_tenders')}

      CREATE TABLE stored_value_entries (
        id TEXT PRIMARY KEY,
        member_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('topup', 'spend', 'refund')),
        principal INTEGER NOT NULL,
        bonus INTEGER NOT NULL,
        ref TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        store_day TEXT NOT NULL,
        offline INTEGER NOT NULL DEFAULT 0 CHECK (offline IN (0, 1)),
        created_at TEXT NOT NULL
      );
      CREATE INDEX stored_value_member ON stored_value_entries(member_id, store_day);
      CREATE INDEX stored_value_ref ON stored_value_entries(ref);
      ${immutable('stored_value_entries')}

      CREATE TABLE stored_value_pins (
        member_id TEXT PRIMARY KEY,
        fact_id TEXT NOT NULL,
        hash TEXT NOT NULL,
        set_at TEXT NOT NULL
      );
    `);
  },
};
