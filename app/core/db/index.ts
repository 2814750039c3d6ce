// Terminal SQLite store: opening the file with durable pragmas, and numbered migrations.
export { openSqlite, openTerminalDatabase } from './open-database';
export type { Db } from './open-database';
export { runMigrations, appliedVersions } from './migrate';
export type { Migration } from './migrate';
export { MIGRATIONS } from './migrations';
