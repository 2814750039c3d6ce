// Opens the terminal's SQLite file with the settings that make an acknowledged sale durable:
// WAL for concurrent readers, synchronous=FULL so a commit survives power loss or SIGKILL.
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runMigrations } from './migrate';
import { MIGRATIONS } from './migrations';
import { inspectWal, type WalInspection } from './wal-check';

export type Db = Database.Database;

/** Opens (or creates) a SQLite file with the terminal's pragmas, without migrating. */
export function openSqlite(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  cachePreparedStatements(db);
  return db;
}

/**
 * Reuses prepared statements by SQL text. A checkout runs a few dozen statements; preparing
 * them afresh each time left hundreds of short-lived native-backed objects per sale, and the
 * young-generation GC that cleans them up took 15–20 ms — the checkout's p99. Statements here
 * are never switched to pluck/raw/expand mode, so sharing them is safe; the cap guards against
 * SQL built with values inlined.
 */
function cachePreparedStatements(db: Db, max = 1000): void {
  const cache = new Map<string, ReturnType<Db['prepare']>>();
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = prepare(sql);
      if (cache.size < max) cache.set(sql, stmt);
    }
    return stmt;
  }) as Db['prepare'];
}

/** Opens `<dataDir>/terminal.db` and applies every pending migration. */
export function openTerminalDatabase(dataDir: string): Db {
  return openCheckedTerminalDatabase(dataDir).db;
}

export interface CheckedDatabase {
  db: Db;
  /** What the WAL looked like before SQLite's recovery read it. */
  wal: WalInspection;
  /** When the WAL was damaged: the copy kept for the technician (SQLite rewrites the original). */
  walCopy: string | null;
}

/**
 * Opens `<dataDir>/terminal.db` like openTerminalDatabase, but first verifies the WAL's
 * checksums (see wal-check.ts): SQLite's recovery drops a damaged frame and every committed
 * transaction after it without saying so. A damaged WAL is copied aside before SQLite opens it.
 */
export function openCheckedTerminalDatabase(dataDir: string, now: Date = new Date()): CheckedDatabase {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'terminal.db');
  const wal = inspectWal(`${file}-wal`);
  let walCopy: string | null = null;
  if (wal.state === 'damaged') {
    walCopy = `${file}-wal.damaged-${now.toISOString().replace(/[:.]/g, '-')}`;
    try {
      copyFileSync(`${file}-wal`, walCopy);
    } catch {
      walCopy = null; // e.g. disk full: the finding still stops the till; only the evidence is missing
    }
  }
  const db = openSqlite(file);
  runMigrations(db, MIGRATIONS);
  return { db, wal, walCopy };
}
