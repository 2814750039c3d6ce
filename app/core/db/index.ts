// Terminal SQLite store: opening the file with durable pragmas (after checking its WAL), numbered
// migrations, and the sale journal that remembers acknowledged sales outside the database.
export { openSqlite, openTerminalDatabase, openCheckedTerminalDatabase } from './open-database';
export type { Db, CheckedDatabase } from './open-database';
export type { WalInspection } from './wal-check';
export { SaleJournal, parseJournal, formatJournalLine } from './sale-journal';
export type { JournalContents, JournalRecord, JournalSale, JournalMark, JournalAlarm } from './sale-journal';
export { runMigrations, appliedVersions } from './migrate';
export type { Migration } from './migrate';
export { MIGRATIONS } from './migrations';
