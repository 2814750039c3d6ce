// Migration runner: applies numbered migrations in order, each in its own transaction,
// and records them in schema_migrations so a restart never re-applies one.
import type Database from 'better-sqlite3';

export interface Migration {
  /** 1, 2, 3… matching the file name prefix 0001-, 0002-… */
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export function appliedVersions(db: Database.Database): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  return (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map(
    (r) => r.version,
  );
}

/** Applies the migrations not yet recorded; returns the versions applied now. */
export function runMigrations(
  db: Database.Database,
  migrations: readonly Migration[],
  now: () => Date = () => new Date(),
): number[] {
  const done = new Set(appliedVersions(db));
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.version === sorted[i - 1]!.version)
      throw new Error(`duplicate migration version ${sorted[i]!.version}`);
  }
  const applied: number[] = [];
  for (const m of sorted) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      m.up(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        now().toISOString(),
      );
    })();
    applied.push(m.version);
  }
  return applied;
}
