// Outbox for the terminal core: ops are appended in the caller's own SQLite transaction, so a
// domain write (a sale, a stock movement) and the ops that replicate it commit together or not
// at all. The clock's last stamp is saved in the same transaction so stamps never repeat after
// a crash.
import type Database from 'better-sqlite3';
import { HybridClock, OpFactory, type Op, type ClockWarning } from '../core';
import { SqliteSyncStorage } from './sqlite-storage';

export interface SyncOutboxOptions {
  nodeId: string;
  now?: () => number;
  maxDriftMs?: number;
  onClockWarning?: (w: ClockWarning) => void;
}

export interface SyncOutbox {
  readonly storage: SqliteSyncStorage;
  readonly clock: HybridClock;
  /** Builds ops stamped by this replica's clock (set, move, fact, points, ...). */
  readonly ops: OpFactory;
  /**
   * Appends ops as local writes. Call inside `db.transaction(...)` next to the domain write;
   * outside a transaction it is atomic on its own.
   */
  append(ops: Op[]): void;
  /** Called after each append with the ops (the sync client nudges itself to push soon). */
  onAppend(listener: (ops: readonly Op[]) => void): () => void;
}

const attached = new WeakMap<Database.Database, SyncOutbox>();

/**
 * One outbox per database handle: attaching twice returns the same one, so the core and the
 * sync client share one clock and never issue the same stamp twice.
 */
export function attachSyncOutbox(db: Database.Database, opts: SyncOutboxOptions): SyncOutbox {
  const existing = attached.get(db);
  if (existing) {
    if (existing.clock.nodeId !== opts.nodeId)
      throw new Error(`sync outbox already attached with node id ${existing.clock.nodeId}`);
    return existing;
  }
  const storage = new SqliteSyncStorage(db);
  const clock = new HybridClock({
    nodeId: opts.nodeId,
    now: opts.now ?? Date.now,
    maxDriftMs: opts.maxDriftMs,
    onWarning: opts.onClockWarning,
    last: storage.getMetaSync('clock.last'),
  });
  const listeners = new Set<(ops: readonly Op[]) => void>();
  const appendTx = db.transaction((ops: Op[]) => {
    storage.applySync(ops, '');
    storage.setMetaSync('clock.last', clock.last());
  });
  const outbox: SyncOutbox = {
    storage,
    clock,
    ops: new OpFactory(clock),
    append(ops: Op[]) {
      if (ops.length) appendTx(ops); // nested inside an outer transaction this becomes a savepoint
      for (const l of listeners) l(ops);
    },
    onAppend(listener: (ops: readonly Op[]) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  attached.set(db, outbox);
  return outbox;
}
