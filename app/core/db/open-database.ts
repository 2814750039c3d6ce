// Opens the terminal's SQLite file with the settings that make an acknowledged sale durable:
// WAL for concurrent readers, synchronous=FULL so a commit survives power loss or SIGKILL.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runMigrations } from './migrate';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/** Opens (or creates) a SQLite file with the terminal's pragmas, without migrating. */
export function openSqlite(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Opens `<dataDir>/terminal.db` and applies every pending migration. */
export function openTerminalDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = openSqlite(join(dataDir, 'terminal.db'));
  runMigrations(db, MIGRATIONS);
  return db;
}
