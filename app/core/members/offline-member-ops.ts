// Member ops a till writes while sync is off (sign-ups, points) are kept whole until sync starts.
// The member tables keep only masked and hashed values, so the ops themselves are the only place
// the new member's phone and name survive for the other tills; they wait in the kv table (key
// `member-op/<op id>`, no migration) inside the writer's transaction, and the sync wiring appends
// them to the outbox and deletes them in one transaction (app/core/terminal/core-sync.ts), like
// the backfill of sales and ledger rows. Their stamps are kept (node `<till node>_m`), so a
// re-run appends nothing twice.
import type { Op } from '../../../sync/core';
import type { Db } from '../db';

const PREFIX = 'member-op/';
// Every key under the prefix sorts below this bound ('0' follows '/').
const PREFIX_END = 'member-op0';

/** Keeps member ops written without sync (call inside the writer's transaction). */
export function keepOfflineMemberOps(db: Db, ops: readonly Op[], at: Date): void {
  const put = db.prepare('INSERT OR IGNORE INTO kv (key, value, updated_at) VALUES (?, ?, ?)');
  for (const op of ops) put.run(`${PREFIX}${op.id}`, JSON.stringify(op), at.toISOString());
}

/** The kept ops, oldest stamp first. */
export function offlineMemberOps(db: Db): Op[] {
  return (
    db.prepare('SELECT value FROM kv WHERE key >= ? AND key < ? ORDER BY key').all(PREFIX, PREFIX_END) as {
      value: string;
    }[]
  ).map((r) => JSON.parse(r.value) as Op);
}

/** Forgets kept ops once they are in the outbox (same transaction as the append). */
export function dropOfflineMemberOps(db: Db, ids: readonly string[]): void {
  const del = db.prepare('DELETE FROM kv WHERE key = ?');
  for (const id of ids) del.run(`${PREFIX}${id}`);
}
