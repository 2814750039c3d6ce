// Transfers between stores (调拨, docs/back-office.md "Transfers"): a store device writes each
// step as a `transfer` fact in its own store's scope, the only scope it may write. The other
// store reads only its own scope and the chain, so the cloud copies each step into the other
// store's scope, as its own (cloud-authored) fact. It relays only the step the writing store may
// take: the receiving store requests and receives, the sending store ships.
import type { Logger } from 'pino';
import { authorRoleOfNode, authorNode, storeScope, type Op, type OpFactory } from '../core';
import type { PgSyncStorage } from '../storage';

const STEP_OF: Record<string, 'fromStore' | 'toStore'> = {
  requested: 'toStore',
  shipped: 'fromStore',
  received: 'toStore',
};

/** The copies to write for newly stored ops (pure: no I/O). */
export function transferRelayOps(applied: readonly Op[], ops: OpFactory): Op[] {
  const out: Op[] = [];
  for (const op of applied) {
    if (op.t !== 'fact' || op.e !== 'transfer' || authorRoleOfNode(authorNode(op)) !== 'store') continue;
    const b = op.b as Record<string, unknown>;
    const by = STEP_OF[String(b['status'])];
    const from = b['fromStore'];
    const to = b['toStore'];
    if (!by || typeof from !== 'string' || typeof to !== 'string' || from === to) continue;
    if (op.s !== storeScope(by === 'toStore' ? to : from)) continue;
    const other = by === 'toStore' ? from : to;
    out.push(ops.fact(storeScope(other), 'transfer', op.k, b));
  }
  return out;
}

export function relayTransfers(storage: PgSyncStorage, ops: OpFactory, log: Logger) {
  return (applied: readonly Op[]): void => {
    const copies = transferRelayOps(applied, ops);
    if (copies.length === 0) return;
    storage.apply(copies, 'cloud').catch((err: unknown) => log.error({ err }, 'transfer relay failed'));
  };
}
