// Sync wiring of the terminal core (optional; off by default): the core's SQLite handle becomes
// a sync replica. Writers report their rows through the replication sink (app/core/replication),
// which appends ops to the outbox inside the writer's own transaction (the outbox pattern).
// Ops from other replicas are mirrored into the core's catalog and config tables inside the
// transaction that stores them.
import type pino from 'pino';
import { z } from 'zod';
import type { TransferView } from '../../contract';
import {
  authorNode,
  authorRoleOfNode,
  OpFactory,
  opRefusal,
  parsePoOrder,
  parsePoReceived,
  parsePoStatus,
  poReceivedTill,
  PURCHASE_ORDER_ENTITY,
  STAFF_ENTITY,
  stampsForTimes,
  tillConfigKey,
  type Op,
} from '../../../sync/core';
import type { LocalReplicaReads, SyncOutbox } from '../../../sync/storage';
import type { EnrollResult } from '../../../sync/protocol';
import { createSyncClient, factOp, stockMovementOp, type TerminalSync } from '../../../sync/terminal';
import { findProduct, upsertProducts, type NewProduct } from '../catalog';
import { readTillConfig, tillConfigPatchSchema, writeTillConfig } from '../config';
import { deleteRule, isStoreMarkdown, isStorePrice, storeRule } from '../price-rules';
import { parsePriceRule } from '../pricing';
import type { Db } from '../db';
import { attachReplicationSink, backfillRowCounts, collectBackfill, shiftCloseFactId } from '../replication';
import { applyMemberOps, dropOfflineMemberOps, mirrorMemberVisits, offlineMemberOps, wecomState } from '../members';
import { mirrorStaff } from '../auth';
import { mirrorPurchaseOrder } from '../replenishment';
import { applyStoredValueOps } from '../stored-value';
import { importTransfer } from '../stock';
import { DEFAULT_TIME_ZONE, isTimeZone } from '../footfall-math';
import { attachReportRollup } from '../reports';

export interface CoreSyncOptions {
  /** Store hub on the LAN (tried first). */
  hubUrl?: string | null;
  /** Cloud (fallback when the hub does not answer). */
  cloudUrl?: string | null;
  /** Pairing code for the first enrollment (the credential is kept in the database). */
  enrollCode: string;
  /** This till replaces an enrolled till of the same store and id (a technician's confirmation). */
  enrollReplace?: boolean;
  /** A credential the first-run wizard enrolled already through the hub (stored on the first cycle). */
  enrolled?: EnrollResult;
  /** Sync cycle period (default 3 s). */
  intervalMs?: number;
  /** Longest retry backoff while no peer answers (default 30 s). */
  maxBackoffMs?: number;
}

interface WireDeps {
  db: Db;
  storeId: string;
  terminalId: string;
  logger: pino.Logger;
  clock: () => Date;
  /** These products changed; called after the apply transaction has ended (committed or not). */
  productsChanged(skus: string[]): void;
  /** Members erased by remote ops, inside the transaction that stores them (face templates go). */
  membersErased?(memberIds: string[]): void;
  /** Online orders or their events arrived; called after the apply transaction has ended. */
  ordersChanged?(): void;
  /** Coupon redemptions arrived; called after the apply transaction has ended. */
  couponsChanged?(): void;
  /** Price rules changed (after the apply transaction): the open cart is re-priced. */
  rulesChanged?(): void;
}

const PRODUCT_FIELDS = ['name', 'nameEn', 'price', 'unit', 'taxClass', 'category', 'active', 'barcodes'] as const;

/** Creates the sync client on the core's handle and attaches the replication sink. Not started. */
export function wireCoreSync(opts: CoreSyncOptions, deps: WireDeps): TerminalSync {
  const { db, storeId } = deps;
  const sync = createSyncClient({
    db,
    hubUrl: opts.hubUrl,
    cloudUrl: opts.cloudUrl,
    enrollCode: opts.enrollCode,
    enrollReplace: opts.enrollReplace,
    enrolled: opts.enrolled,
    storeId,
    terminalId: deps.terminalId,
    // The HLC reads the core's clock, so a test that fixes the clock fixes the stamps too.
    now: () => deps.clock().getTime(),
    intervalMs: opts.intervalMs,
    maxBackoffMs: opts.maxBackoffMs,
    log: deps.logger.child({ module: 'sync' }),
    // Called only while the client runs, so `sync` is assigned by then.
    onRemoteOps: (ops) => mirrorRemoteOps(ops, deps, sync.outbox.storage),
  });
  const { outbox } = sync;
  const scope = `store:${storeId}`;
  // Before the backfill below: sales it queues are rolled up like live ones.
  const zone: unknown = readTillConfig(db, storeId, deps.terminalId).timeZone;
  attachReportRollup(
    db,
    outbox.storage,
    storeId,
    typeof zone === 'string' && isTimeZone(zone) ? zone : DEFAULT_TIME_ZONE,
    deps.clock(),
  );
  attachReplicationSink(db, {
    fact: (kind, id, body) => outbox.append([factOp(outbox.ops, storeId, kind, id, body)]),
    stockMovement: (m) => outbox.append([stockMovementOp(outbox.ops, storeId, m)]),
    // A manager's or technician's config.set on this till is this till's own config (key
    // `<store>/<till>`): replicated so HQ sees it, applied by no other till. Store-wide config
    // (key `<store>`) comes from HQ or a technician device (sync/core/authorship.ts).
    config: (fields) =>
      outbox.append(
        Object.entries(fields).map(([f, v]) =>
          outbox.ops.set(scope, 'config', tillConfigKey(storeId, deps.terminalId), f, v),
        ),
      ),
    // A manager's store settings (settings.set): the store-wide key, which every till of the
    // store applies; authorship lets a store device write only STORE_SETTING_FIELDS there.
    storeSettings: (fields) =>
      outbox.append(Object.entries(fields).map(([f, v]) => outbox.ops.set(scope, 'config', storeId, f, v))),
    memberOps: (build) => {
      const ops = build(outbox.ops, scope);
      outbox.append(ops);
      return ops;
    },
    // A manager's markdown on this till: one LWW field per rule (the whole rule; null withdraws it).
    promotion: (ruleId, rule) => outbox.append([outbox.ops.set(scope, 'promotion', ruleId, 'rule', rule)]),
    // A staff change made on this till: each changed field (PIN hashes only), applied by every till of the store.
    staff: (staffId, fields) =>
      outbox.append(
        Object.entries(fields).map(([f, v]) => outbox.ops.set(scope, STAFF_ENTITY, staffId, f, v as unknown)),
      ),
    // A purchase order sent on this till, or goods this till received against one of the store's.
    purchaseOrder: (orderId, fields) =>
      outbox.append(
        Object.entries(fields).map(([f, v]) => outbox.ops.set(scope, PURCHASE_ORDER_ENTITY, orderId, f, v)),
      ),
  });
  backfillIfNeeded(outbox, deps);
  backfillMemberOps(outbox, deps);
  // Remember the row counts at a clean stop: a start that finds the same counts knows nothing
  // was written while sync was off and skips the backfill scan.
  const stop = sync.stop.bind(sync);
  return {
    ...sync,
    async stop() {
      await stop();
      recordRowCounts(outbox, db);
    },
  };
}

export const BACKFILL_META = 'core.backfill';

interface BackfillMeta {
  at: string;
  appended: number;
  rows: Record<string, number>;
}

function recordRowCounts(outbox: SyncOutbox, db: Db): void {
  const raw = outbox.storage.getMetaSync(BACKFILL_META);
  if (!raw) return;
  try {
    outbox.storage.setMetaSync(
      BACKFILL_META,
      JSON.stringify({ ...(JSON.parse(raw) as BackfillMeta), rows: backfillRowCounts(db) }),
    );
  } catch {
    /* the database is already closed: the next start just re-checks */
  }
}

/**
 * Backfill on start: every sale, return, shift event, audit entry and stock movement the till
 * wrote while sync was off becomes the same op the live writer would have appended, exactly
 * once. Op ids are deterministic (the row's own time, a counter over that millisecond's rows in
 * a stable order, node `<till node>_bf`), so a re-run produces the same ids and the replica and
 * every peer drop them as duplicates; rows that already have their op (written with sync on, or
 * backfilled before) are skipped. One transaction; recorded in sync_meta (`core.backfill`), and
 * skipped on later starts while the table row counts match those recorded at the last stop.
 */
export function backfillIfNeeded(outbox: SyncOutbox, deps: Pick<WireDeps, 'db' | 'storeId' | 'logger'>): number {
  const { db, storeId, logger } = deps;
  const rows = backfillRowCounts(db);
  const raw = outbox.storage.getMetaSync(BACKFILL_META);
  if (raw) {
    try {
      const prev = JSON.parse(raw) as BackfillMeta;
      if (JSON.stringify(prev.rows) === JSON.stringify(rows)) return 0;
    } catch {
      /* unreadable: check again */
    }
  }
  const started = Date.now();
  const total = Object.values(rows).reduce((a, b) => a + b, 0);
  if (total > 10_000)
    logger.info(
      { rows: total },
      'sync backfill: checking rows written while sync was off (one-time, may take a few seconds)',
    );
  const items = collectBackfill(db);
  const replica = outbox.storage;
  // Deterministic stamps over ALL rows (before filtering), so a row's op id never depends on
  // which other rows were already replicated.
  // Node `<till node>_bf` (`S001_T01_bf`): never one of the till's live stamps nor another
  // store's. A till upgraded from bare node ids holds ops stamped `T01_bf`; their rows are found
  // by content below, so they are not sent again under the new ids.
  const stamps = stampsForTimes(
    items.map((it) => it.at),
    `${outbox.clock.nodeId}_bf`,
  );
  // How many movement ops the replica holds per (sku, op kind, ref); rows beyond that are missing.
  const held = new Map<string, number>();
  for (const r of replica.movementCountsSync(storeId)) held.set(`${r.sku}\u0000${r.kind}\u0000${r.ref ?? ''}`, r.count);
  let next = '';
  const factory = new OpFactory({ tick: () => next });
  const ops: Op[] = [];
  items.forEach((it, i) => {
    next = stamps[i]!;
    if ('fact' in it) {
      const { kind, id, body } = it.fact;
      if (replica.hasFactSync(kind, id)) return;
      const shiftId = String(body['shiftId']);
      if (
        kind === 'shift' &&
        body['event'] === 'close' &&
        id === shiftCloseFactId(shiftId) &&
        replica.hasFactWithSync('shift', { event: 'close', shiftId })
      )
        return;
      // A member's sale carries the WeCom state its receipt printed (the same keyed hash), so a
      // contact added through an offline receipt still finds its sale in the cloud.
      const withState =
        kind === 'sale' && typeof body['memberId'] === 'string' ? { ...body, wecomState: wecomState(db, id) } : body;
      ops.push(factOp(factory, storeId, kind, id, withState));
    } else {
      const op = stockMovementOp(factory, storeId, it.movement);
      const key = `${op.k}\u0000${op.f}\u0000${(op.b as { ref?: string } | null)?.ref ?? ''}`;
      const n = held.get(key) ?? 0;
      if (n > 0) {
        held.set(key, n - 1);
        return;
      }
      ops.push(op);
    }
  });
  db.transaction(() => {
    outbox.append(ops);
    outbox.storage.setMetaSync(
      BACKFILL_META,
      JSON.stringify({ at: new Date().toISOString(), appended: ops.length, rows } satisfies BackfillMeta),
    );
  })();
  if (ops.length)
    logger.info(
      { ops: ops.length, rows: items.length, ms: Date.now() - started },
      'sync backfill: rows written while sync was off queued for replication',
    );
  return ops.length;
}

/**
 * Member ops written while sync was off (a sign-up's phone and name, points of offline sales):
 * appended with their own stamps (node `<till node>_m`), so an op the replica already holds is
 * dropped by id, and forgotten from the kv table in the same transaction.
 */
function backfillMemberOps(outbox: SyncOutbox, deps: Pick<WireDeps, 'db' | 'logger'>): number {
  const kept = offlineMemberOps(deps.db);
  if (kept.length === 0) return 0;
  deps.db.transaction(() => {
    outbox.append(kept);
    dropOfflineMemberOps(
      deps.db,
      kept.map((op) => op.id),
    );
  })();
  deps.logger.info({ ops: kept.length }, 'sync backfill: member ops written while sync was off queued for replication');
  return kept.length;
}

/**
 * Mirrors catalog, price and config ops into the core's tables. Each field's value is the
 * winning (highest-stamp) write in the replica's op log among the ops the authorship table
 * allows (sync/core/authorship.ts): whatever reached the log, a store device's write to the
 * chain catalog, a store price or the store-wide config never reaches the till's tables.
 */
function mirrorRemoteOps(ops: Op[], deps: WireDeps, replica: LocalReplicaReads): void {
  const { db, storeId, logger } = deps;
  const ownConfig = tillConfigKey(storeId, deps.terminalId);
  const allowed = (op: Op) => !opRefusal(op);
  const winner = (entity: string, keys: string[], field: string) => replica.lwwFieldSync(entity, keys, field, allowed);
  const products = new Set<string>();
  const configFields = new Set<string>();
  const erased = ops.filter((op) => op.t === 'erase').map((op) => op.e);
  if (erased.length) deps.membersErased?.(erased);
  const promotions = new Set<string>();
  for (const op of ops) {
    if (op.t !== 'set') continue;
    if (op.e === 'promotion' && op.f === 'rule') promotions.add(op.k);
    else if (op.e === 'product' || op.e === 'price') products.add(op.k);
    else if (op.e === 'config' && (op.k === storeId || op.k === ownConfig)) configFields.add(op.f);
  }
  // Member ops (profiles, identities, merges, points, tags, erasures) feed the till's member tables.
  const memberOps = ops.filter(
    (o) => (o.t === 'set' ? o.e === 'member' : ['ident', 'merge', 'pts', 'tag', 'erase'].includes(o.t)) && allowed(o),
  );
  if (memberOps.length) applyMemberOps(db, memberOps);
  // Stored-value ledger rows of other tills (a grow-only set keyed by fact id).
  const storedValue = ops.filter((o) => o.t === 'fact' && o.e === 'stored_value' && allowed(o));
  if (storedValue.length) applyStoredValueOps(db, storedValue);
  // Transfer steps (调拨): this store's other tills' and, relayed by the cloud, the other store's.
  for (const o of ops) {
    if (o.t !== 'fact' || o.e !== 'transfer' || !allowed(o)) continue;
    const t = parseTransfer(o.b);
    if (!t || (t.fromStore !== storeId && t.toStore !== storeId)) continue;
    try {
      importTransfer(db, t);
    } catch (err) {
      logger.warn({ transfer: t.id, err }, 'transfer fact does not match the local transfer; not mirrored');
    }
  }
  // Other tills' sales credited to a member: the member panel shows them as visits.
  const memberSales = ops.filter((o) => o.t === 'fact' && o.e === 'sale' && allowed(o));
  if (memberSales.length) mirrorMemberVisits(db, memberSales);
  if (deps.ordersChanged && ops.some((o) => o.t === 'fact' && (o.e === 'online_order' || o.e === 'order_event')))
    setImmediate(() => deps.ordersChanged?.());
  if (deps.couponsChanged && ops.some((o) => o.t === 'fact' && o.e === 'coupon_redemption'))
    setImmediate(() => deps.couponsChanged?.());
  const changed: string[] = [];
  for (const sku of products) {
    const cur = findProduct(db, sku);
    const merged: Record<string, unknown> = cur ? { ...cur } : {};
    for (const f of PRODUCT_FIELDS) {
      const w = winner('product', [sku], f);
      if (w.found) merged[f] = w.value;
    }
    // A store price (entity `price`) overrides the chain product price.
    const p = winner('price', [sku], 'price');
    if (p.found) merged['price'] = p.value;
    const np = toNewProduct(sku, merged);
    if (!np) {
      logger.warn({ sku }, 'remote product is incomplete; not mirrored yet');
      continue;
    }
    upsertProducts(db, [np], deps.clock());
    changed.push(sku);
  }
  if (configFields.size) {
    // Field by field: a value this till cannot use (e.g. from a newer version) is skipped and
    // logged; the other fields still apply.
    const patch: Record<string, unknown> = {};
    const refused: string[] = [];
    for (const f of configFields) {
      const parsed = tillConfigPatchSchema
        .partial()
        .safeParse({ [f]: winner('config', [storeId, ownConfig], f).value });
      if (parsed.success && f in parsed.data) Object.assign(patch, parsed.data);
      else refused.push(f);
    }
    if (refused.length) logger.warn({ fields: refused }, 'remote config fields refused by the till config schema');
    if (Object.keys(patch).length)
      writeTillConfig(db, { ...readTillConfig(db, storeId, deps.terminalId), ...patch }, deps.clock());
  }
  if (promotions.size) mirrorPromotions(promotions, deps, replica);
  // Staff added, disabled, re-enabled or PIN-reset on another till of the store.
  const staff = new Set(ops.filter((o) => o.t === 'set' && o.e === STAFF_ENTITY).map((o) => o.k));
  if (staff.size) mirrorStaff(db, [...staff], replica, deps.clock(), logger);
  // The store's purchase orders: another till's or HQ's, and what other tills received against them.
  const poFields = new Map<string, Set<string>>();
  for (const o of ops)
    if (o.t === 'set' && o.e === PURCHASE_ORDER_ENTITY && o.s === `store:${storeId}`)
      poFields.set(o.k, (poFields.get(o.k) ?? new Set()).add(o.f));
  for (const [id, fields] of poFields) {
    const order = parsePoOrder(winner(PURCHASE_ORDER_ENTITY, [id], 'order').value);
    const status = parsePoStatus(winner(PURCHASE_ORDER_ENTITY, [id], 'status').value);
    const received: Record<string, Record<string, number>> = {};
    for (const f of fields) {
      const till = poReceivedTill(f);
      if (till === null || till === deps.terminalId) continue;
      const m = parsePoReceived(winner(PURCHASE_ORDER_ENTITY, [id], f).value);
      if (m) received[till] = m;
    }
    // Counts that arrived before the order itself: read every till's once the order is here.
    if (order && fields.has('order'))
      for (const f of replica.lwwFieldNamesSync(PURCHASE_ORDER_ENTITY, id)) {
        const till = poReceivedTill(f);
        if (till === null || till === deps.terminalId || received[till]) continue;
        const m = parsePoReceived(winner(PURCHASE_ORDER_ENTITY, [id], f).value);
        if (m) received[till] = m;
      }
    mirrorPurchaseOrder({ db }, id, order, status, received);
  }
  // The search index follows once the transaction is over; it re-reads the rows, so a rolled
  // back apply leaves it as it was.
  if (changed.length) setImmediate(() => deps.productsChanged(changed));
}

/**
 * Mirrors price rules: per rule the winning `promotion` write among those the authorship table
 * allows and, for a store device's write, only a markdown's shape (isStoreMarkdown: a day at
 * most, ≤ 90 % or a fixed price) or a store price change's (isStorePrice: ≤ 90 % or a fixed
 * price, no member conditions), so a till cannot hand its store a month of free goods. A rule
 * that does not parse is logged and left out; null withdraws the rule.
 */
function mirrorPromotions(ids: Set<string>, deps: WireDeps, replica: LocalReplicaReads): void {
  const { db, logger } = deps;
  const accept = (op: Op): boolean => {
    if (opRefusal(op)) return false;
    if (authorRoleOfNode(authorNode(op)) !== 'store' || op.b === null) return true;
    const parsed = parsePriceRule(op.b);
    return parsed.ok && parsed.rule.id === op.k && (isStoreMarkdown(parsed.rule) || isStorePrice(parsed.rule));
  };
  for (const id of ids) {
    const w = replica.lwwFieldSync('promotion', [id], 'rule', accept);
    if (!w.found) continue;
    if (w.value === null) {
      deleteRule(db, id);
      continue;
    }
    const parsed = parsePriceRule(w.value);
    if (!parsed.ok || parsed.rule.id !== id) {
      logger.warn({ ruleId: id, reason: parsed.ok ? 'id mismatch' : parsed.reason }, 'remote price rule refused');
      continue;
    }
    storeRule(db, parsed.rule, deps.clock());
  }
  setImmediate(() => deps.rulesChanged?.());
}

function toNewProduct(sku: string, m: Record<string, unknown>): NewProduct | null {
  const { name, nameEn, price, unit, taxClass, category, active, barcodes } = m;
  if (typeof name !== 'string' || typeof price !== 'number' || !Number.isSafeInteger(price) || price < 0) return null;
  if (unit !== 'each' && unit !== 'weighed') return null;
  return {
    sku,
    name,
    nameEn: typeof nameEn === 'string' ? nameEn : name,
    price,
    unit,
    taxClass: typeof taxClass === 'string' ? taxClass : 'standard',
    category: typeof category === 'string' ? category : '',
    active: active !== false,
    barcodes: Array.isArray(barcodes) ? barcodes.filter((b): b is string => typeof b === 'string') : [],
  };
}

const transferFactSchema = z.object({
  id: z.string().min(1).max(80),
  fromStore: z.string().min(1).max(32),
  toStore: z.string().min(1).max(32),
  sku: z.string().min(1).max(80),
  quantity: z.number().int().positive(),
  status: z.enum(['requested', 'shipped', 'received']),
  requestedAt: z.string().max(40),
  shippedQuantity: z.number().int().nonnegative().nullable(),
  shippedAt: z.string().max(40).nullable(),
  receivedQuantity: z.number().int().nonnegative().nullable(),
  receivedAt: z.string().max(40).nullable(),
  variance: z.number().int().nullable(),
});

/** A transfer fact's body, or null when it is not one this version understands. */
function parseTransfer(body: unknown): TransferView | null {
  const r = transferFactSchema.safeParse(body);
  return r.success ? r.data : null;
}
