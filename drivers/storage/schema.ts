// SQLite tables owned by the device layer. Idempotent (CREATE ... IF NOT EXISTS) so the core
// can call it at start-up, or copy it verbatim into a numbered migration later.
import type Database from 'better-sqlite3';

export const DEVICE_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS device_config (
  terminal_id TEXT NOT NULL,
  device_id   TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('printer','scanner','scale','display','drawer')),
  uri         TEXT NOT NULL,
  options     TEXT NOT NULL DEFAULT '{}',
  enabled     INTEGER NOT NULL DEFAULT 1,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (terminal_id, device_id)
);
CREATE TABLE IF NOT EXISTS device_print_jobs (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  id          TEXT NOT NULL UNIQUE,
  job_key     TEXT UNIQUE,
  printer_id  TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('receipt','raw','drawer')),
  sale_id     TEXT,
  reprint     INTEGER NOT NULL DEFAULT 0,
  payload     BLOB NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('queued','sending','done','failed','cancelled')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  done_at     TEXT
);
CREATE INDEX IF NOT EXISTS device_print_jobs_pending ON device_print_jobs (printer_id, state, seq);
CREATE TABLE IF NOT EXISTS device_print_audit (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  at        TEXT NOT NULL,
  job_id    TEXT NOT NULL,
  sale_id   TEXT,
  action    TEXT NOT NULL,
  staff_id  TEXT,
  detail    TEXT NOT NULL DEFAULT '{}'
);
`;

export function createDeviceTables(db: Database.Database): void {
  db.exec(DEVICE_SCHEMA_SQL);
}
