// Sync wiring of the terminal core (optional; off by default): the core's SQLite handle becomes
// a sync replica. Writers report their rows through the replication sink (app/core/replication),
// which appends ops to the outbox inside the writer's own transaction (the outbox pattern).
// Ops from other replicas are mirrored into the core's catalog and config tables inside the
// transaction that stores them.
import type pino from 'pino';
import type { Op } from '../../../sync/core';
import { createSyncClient, factOp, stockMovementOp, type TerminalSync } from '../../../sync/terminal';
import { findProduct, upsertProducts, type NewProduct } from '../catalog';
import { readTillConfig, tillConfigPatchSchema, writeTillConfig } from '../config';
import type { Db } from '../db';
import { attachReplicationSink } from '../replication';

export interface CoreSyncOptions {
  /** Store hub on the LAN (tried first). */
  hubUrl?: string | null;
  /** Cloud (fallback when the hub does not answer). */
  cloudUrl?: string | null;
  /** Pairing code for the first enrollment (the credential is kept in the database). */
  enrollCode: string;
  /** Sync cycle period (default 3 s). */
  intervalMs?: number;
}

interface WireDeps {
  db: Db; storeId: string; terminalId: string; logger: pino.Logger; clock: () => Date;
  /** These products changed; called after the apply transaction has ended (committed or not). */
  productsChanged(skus: string[]): void;
}

const PRODUCT_FIELDS = ['name', 'nameEn', 'price', 'unit', 'taxClass', 'category', 'active', 'barcodes'] as const;

/** Creates the sync client on the core's handle and attaches the replication sink. Not started. */
export function wireCoreSync(opts: CoreSyncOptions, deps: WireDeps): TerminalSync {
  const { db, storeId } = deps;
  const sync = createSyncClient({
    db, hubUrl: opts.hubUrl, cloudUrl: opts.cloudUrl, enrollCode: opts.enrollCode, storeId, nodeId: deps.terminalId,
    intervalMs: opts.intervalMs, log: deps.logger.child({ module: 'sync' }),
    onRemoteOps: (ops) => mirrorRemoteOps(ops, deps),
  });
  const { outbox } = sync;
  const scope = `store:${storeId}`;
  attachReplicationSink(db, {
    fact: (kind, id, body) => outbox.append([factOp(outbox.ops, storeId, kind, id, body)]),
    stockMovement: (m) => outbox.append([stockMovementOp(outbox.ops, storeId, m)]),
    config: (fields) => outbox.append(Object.entries(fields).map(([f, v]) => outbox.ops.set(scope, 'config', storeId, f, v))),
  });
  return sync;
}

/** The winning (highest-stamp) value of one LWW field, read from the replica's own op log. */
function winner(db: Db, entity: string, key: string, field: string): { found: boolean; value: unknown } {
  const r = db.prepare("SELECT b FROM sync_ops WHERE t = 'set' AND e = ? AND k = ? AND f = ? ORDER BY id DESC LIMIT 1").get(entity, key, field) as { b: string | null } | undefined;
  return r ? { found: true, value: r.b === null ? null : JSON.parse(r.b) } : { found: false, value: undefined };
}

function mirrorRemoteOps(ops: Op[], deps: WireDeps): void {
  const { db, storeId, logger } = deps;
  const products = new Set<string>();
  const configFields = new Set<string>();
  for (const op of ops) {
    if (op.t !== 'set') continue;
    if (op.e === 'product' || op.e === 'price') products.add(op.k);
    else if (op.e === 'config' && op.k === storeId) configFields.add(op.f);
  }
  const changed: string[] = [];
  for (const sku of products) {
    const cur = findProduct(db, sku);
    const merged: Record<string, unknown> = cur ? { ...cur } : {};
    for (const f of PRODUCT_FIELDS) {
      const w = winner(db, 'product', sku, f);
      if (w.found) merged[f] = w.value;
    }
    // A store price (entity `price`) overrides the chain product price.
    const p = winner(db, 'price', sku, 'price');
    if (p.found) merged['price'] = p.value;
    const np = toNewProduct(sku, merged);
    if (!np) { logger.warn({ sku }, 'remote product is incomplete; not mirrored yet'); continue; }
    upsertProducts(db, [np], deps.clock());
    changed.push(sku);
  }
  if (configFields.size) {
    // Field by field: a value this till cannot use (e.g. from a newer version) is skipped and
    // logged; the other fields still apply.
    const patch: Record<string, unknown> = {};
    const refused: string[] = [];
    for (const f of configFields) {
      const parsed = tillConfigPatchSchema.partial().safeParse({ [f]: winner(db, 'config', storeId, f).value });
      if (parsed.success && f in parsed.data) Object.assign(patch, parsed.data); else refused.push(f);
    }
    if (refused.length) logger.warn({ fields: refused }, 'remote config fields refused by the till config schema');
    if (Object.keys(patch).length) writeTillConfig(db, { ...readTillConfig(db, storeId, deps.terminalId), ...patch }, deps.clock());
  }
  // The search index follows once the transaction is over; it re-reads the rows, so a rolled
  // back apply leaves it as it was.
  if (changed.length) setImmediate(() => deps.productsChanged(changed));
}

function toNewProduct(sku: string, m: Record<string, unknown>): NewProduct | null {
  const { name, nameEn, price, unit, taxClass, category, active, barcodes } = m;
  if (typeof name !== 'string' || typeof price !== 'number' || !Number.isSafeInteger(price) || price < 0) return null;
  if (unit !== 'each' && unit !== 'weighed') return null;
  return {
    sku, name, nameEn: typeof nameEn === 'string' ? nameEn : name, price, unit,
    taxClass: typeof taxClass === 'string' ? taxClass : 'standard', category: typeof category === 'string' ? category : '',
    active: active !== false, barcodes: Array.isArray(barcodes) ? barcodes.filter((b): b is string => typeof b === 'string') : [],
  };
}
