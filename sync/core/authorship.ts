// Who may author which op, and which ops belong in which scope: the one table every receiver
// (cloud, store hub, till) applies, so a store device cannot rewrite the chain catalog, another
// store's stock, another till's settings or a revocation. Pure: no I/O.
//
// The author of an op is the node id in its stamp (the last part of `op.id`). Its role comes
// from the node id's namespace, so every replica can tell without a registry:
//
//   C + 8 hex (a cloud instance), HQ_…  → hq          chain catalog, prices, revocations, orders
//   MGR_…                               → manager     store markdowns (store-scope price/promotion)
//   TECH_…                              → technician  store-wide till config
//   anything else (S001_T01, HS001)     → store       a till, hub or edge agent: sales, stock,
//                                                     shifts, members, footfall, its own config
//
// A till's node id is chain-unique (tillNodeId: `<store>_<terminal>`), because every store's
// first till is `T01` and op ids end in the node id: with bare terminal ids two stores minted
// the same op id in the same millisecond and the cloud kept only the first.
//
// A namespace is only worth what its first hop checks: a hub or the cloud accepts an op from a
// privileged namespace only from the device that owns that node id and holds the matching
// credential role, or from a trusted relay (see admitPushedOp). Everything else a store device
// relays (another till's sales it pulled from the cloud) stays allowed: that is how ops gossip.
import { createHash } from 'node:crypto';
import { parseStamp } from './hlc';
import type { Op } from './ops';
import { HQ_ONLY_ORDER_EVENTS, type OrderEventKind } from './orders';
import { isStaffField, STAFF_ENTITY } from './staff';
import { isPurchaseOrderField, poReceivedTill, PURCHASE_ORDER_ENTITY } from './purchase-orders';

/** Wall and counter digits ahead of the node id in a stamp (hlc.ts: 9 + 3). */
const STAMP_PREFIX = 12;

export const AUTHOR_ROLES = ['hq', 'manager', 'technician', 'store'] as const;
export type AuthorRole = (typeof AUTHOR_ROLES)[number];

/** Device id prefixes reserved for privileged credentials (see docs/sync.md, Authorship). */
export const AUTHOR_NODE_PREFIXES = { hq: 'HQ_', manager: 'MGR_', technician: 'TECH_' } as const;
const CLOUD_NODE = /^C[0-9a-f]{8}$/;
/** Key prefix of store promotions a till may author (a manager's evening markdown). */
export const STORE_MARKDOWN_PREFIX = 'md-';
/** Key prefix of a manager's store price change made on a till (docs/pricing.md, Store prices). */
const STORE_PRICE_PREFIX = 'sp-';
const BACKFILL_SUFFIX = '_bf';
/**
 * Store settings a till of the store (its node `<store>_<till>`; the RPC checks the manager's
 * session) may write in the store-wide config (`<store>`), so a manager's setting on one till
 * reaches every till of the store with the cloud down. Everything else store-wide stays HQ's or
 * a technician's; other store devices write none of it. Receivers check each value against the
 * till config schema before applying it.
 */
export const STORE_SETTING_FIELDS = [
  'cashRounding',
  'maxCashierDiscountPercent',
  'receiptWidth',
  'wecomQrUrl',
  'wedge',
  'timeZone',
  'wasteApprovalFen',
  'reasons',
] as const;

export type OpRefusal = { code: 'SCOPE_FORBIDDEN' | 'AUTHOR_FORBIDDEN'; reason: string };

/** The node id that authored an op (its stamp's node). */
export function authorNode(op: Pick<Op, 'id'>): string {
  return parseStamp(op.id).node;
}

/** The device behind a node id: backfilled ops are stamped `<device>_bf`. */
export function deviceOfNode(node: string): string {
  return node.endsWith(BACKFILL_SUFFIX) && node.length > BACKFILL_SUFFIX.length
    ? node.slice(0, -BACKFILL_SUFFIX.length)
    : node;
}

export function authorRoleOfNode(node: string): AuthorRole {
  if (CLOUD_NODE.test(node) || node.startsWith(AUTHOR_NODE_PREFIXES.hq)) return 'hq';
  if (node.startsWith(AUTHOR_NODE_PREFIXES.manager)) return 'manager';
  if (node.startsWith(AUTHOR_NODE_PREFIXES.technician)) return 'technician';
  return 'store';
}

/** The author role a device credential stands for (terminal and hub are store devices). */
export function authorRoleOfDevice(credentialRole: string): AuthorRole {
  return credentialRole === 'hq' || credentialRole === 'manager' || credentialRole === 'technician'
    ? credentialRole
    : 'store';
}

const PLAIN_PART = /^[A-Za-z0-9]+$/;
/** 24 (NODE_ID_PATTERN) minus `_bf`, so the backfill node of any till node still fits. */
const TILL_NODE_MAX = 21;
const HASHED_TILL_NODE = /^N[a-z2-7]{20}$/;
const RESERVED_STORE_IDS = new Set(Object.values(AUTHOR_NODE_PREFIXES).map((p) => p.slice(0, -1)));

/**
 * The HLC node id of a till: unique across the chain, so no two tills ever mint the same op id.
 *
 * - `<storeId>_<terminalId>` (e.g. `S001_T01`) when both are letters and digits only, it fits
 *   21 characters (room for the backfill suffix `_bf` within NODE_ID_PATTERN's 24), the store is
 *   not `HQ`/`MGR`/`TECH` (that would land in a privileged namespace) and the till is not `bf`.
 *   Injective: exactly one `_`, and neither part holds one.
 * - otherwise `N` + 20 base-32 characters of SHA-256(store, terminal) (100 bits; no `_`, so it
 *   never equals the first form; a collision among hashed ids is a 2^-100 event per pair).
 *
 * Stays inside the old wire format (1–24 of [A-Za-z0-9_]), so replicas not yet upgraded accept
 * these stamps. The till's device id (enrollment, credential) stays its terminal id: the store
 * in the credential makes it unique, and the hub or cloud derives the node from both.
 */
export function tillNodeId(storeId: string, terminalId: string): string {
  const plain = `${storeId}_${terminalId}`;
  if (
    PLAIN_PART.test(storeId) &&
    PLAIN_PART.test(terminalId) &&
    plain.length <= TILL_NODE_MAX &&
    !RESERVED_STORE_IDS.has(storeId) &&
    terminalId !== 'bf'
  )
    return plain;
  return `N${base32(createHash('sha256').update(`${storeId}\n${terminalId}`).digest()).slice(0, 20)}`;
}

function base32(bytes: Buffer): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

/** Could this id be some till's node id in this store? (Then it is no bare legacy till id.) */
function isTillNodeShape(id: string, storeId: string): boolean {
  if (HASHED_TILL_NODE.test(id)) return true;
  return id.startsWith(`${storeId}_`) && tillNodeId(storeId, id.slice(storeId.length + 1)) === id;
}

/**
 * May a store-namespace node write the own config of this till? Its node (`<node>` or
 * `<node>_bf`), or, for ops written before node ids were store-qualified, the bare terminal id,
 * unless that id is shaped like another till's node of the store.
 */
function isTillsNode(node: string, storeId: string, terminalId: string): boolean {
  const device = deviceOfNode(node);
  return device === tillNodeId(storeId, terminalId) || (device === terminalId && !isTillNodeShape(terminalId, storeId));
}

/** The node id a device stamps its ops with: a terminal's is tillNodeId, anyone else's its device id. */
export function nodeOfDevice(device: Pick<Pusher, 'deviceId' | 'role' | 'storeId'>): string {
  return device.role === 'terminal' ? tillNodeId(device.storeId, device.deviceId) : device.deviceId;
}

/**
 * Is the op's author node the pusher itself? A till's ops carry its till node; ops it wrote
 * before the upgrade (still queued, or from a till not upgraded yet) its bare terminal id,
 * accepted unless that id is shaped like another till's node (a device enrolled as `S001_T01`
 * must not pass as till T01).
 */
function isOwnNode(node: string, pusher: Pusher): boolean {
  const device = deviceOfNode(node);
  if (device === nodeOfDevice(pusher)) return true;
  return pusher.role === 'terminal' && device === pusher.deviceId && !isTillNodeShape(pusher.deviceId, pusher.storeId);
}

const storeOf = (scope: string): string | null => (scope.startsWith('store:') ? scope.slice('store:'.length) : null);

/**
 * Config key of one till: `<storeId>/<terminalId>`. A till's own config.set replicates under it
 * (HQ sees every till's settings); no other till applies it. `<storeId>` alone is store-wide.
 */
export function tillConfigKey(storeId: string, terminalId: string): string {
  return `${storeId}/${terminalId}`;
}

/** The till a config key belongs to, or null for a store-wide key. */
function configTill(key: string, storeId: string): string | null | undefined {
  if (key === storeId) return null;
  if (key.startsWith(`${storeId}/`) && key.length > storeId.length + 1) return key.slice(storeId.length + 1);
  return undefined; // another store's key
}

/** A staff record change (sync/core/staff.ts). */
const isStaffOp = (op: Op): boolean => op.t === 'set' && op.e === STAFF_ENTITY;
/** A purchase order change (sync/core/purchase-orders.ts): till-authored like staff. */
const isPurchaseOrderOp = (op: Op): boolean => op.t === 'set' && op.e === PURCHASE_ORDER_ENTITY;

/**
 * Ops that only their author (or a trusted relay) may put on the wire; a store device relaying one
 * is skipped. Staff changes too: a PIN hash or a disable must come first-hand from the till where
 * the manager made it (or through the store's hub), not from any device of the store.
 */
export function isBoundOp(op: Op): boolean {
  if (authorRoleOfNode(authorNode(op)) !== 'store') return true;
  return op.t === 'set' && (op.e === 'config' || op.e === STAFF_ENTITY || op.e === PURCHASE_ORDER_ENTITY);
}

const refuse = (code: OpRefusal['code'], reason: string): OpRefusal => ({ code, reason });

/** Does the op's entity belong to its scope? (Stock of store S only in `store:S`, and so on.) */
export function scopeRefusal(op: Op): OpRefusal | null {
  const store = storeOf(op.s);
  switch (op.t) {
    case 'mv':
      return store === op.e
        ? null
        : refuse('SCOPE_FORBIDDEN', `stock of store ${op.e} cannot be written in scope ${op.s}`);
    case 'ff':
      return store ? null : refuse('SCOPE_FORBIDDEN', 'footfall belongs to a store scope');
    case 'fact': {
      if (!store) return refuse('SCOPE_FORBIDDEN', `${op.e} facts belong to a store scope`);
      const body = op.b as Record<string, unknown>;
      if (op.e === 'order_event' && (typeof body['orderId'] !== 'string' || !op.k.startsWith(`${body['orderId']}.`)))
        return refuse('SCOPE_FORBIDDEN', `order event ${op.k} does not name its order`);
      if (op.e === 'online_order' && body['storeId'] !== undefined && body['storeId'] !== store)
        return refuse(
          'SCOPE_FORBIDDEN',
          `online order for store ${String(body['storeId'])} cannot be written in scope ${op.s}`,
        );
      if (op.e === 'coupon' && body['storeId'] !== store)
        return refuse(
          'SCOPE_FORBIDDEN',
          `coupon ${op.k} for store ${String(body['storeId'])} cannot be written in scope ${op.s}`,
        );
      // A transfer step lives in the scope of a store it names (the relay copy in the other's).
      if (op.e === 'transfer' && body['fromStore'] !== store && body['toStore'] !== store)
        return refuse('SCOPE_FORBIDDEN', `transfer ${op.k} does not name store ${store}`);
      if (op.e === 'coupon_redemption' && (typeof body['code'] !== 'string' || !op.k.startsWith(`${body['code']}.`)))
        return refuse('SCOPE_FORBIDDEN', `coupon redemption ${op.k} does not name its coupon`);
      return null;
    }
    case 'set':
      if (op.e === 'product')
        return store
          ? refuse('SCOPE_FORBIDDEN', 'the product catalog is chain-wide; a store changes prices with `price` ops')
          : null;
      if (op.e === 'config') {
        if (!store) return refuse('SCOPE_FORBIDDEN', 'till config belongs to a store scope');
        return configTill(op.k, store) === undefined
          ? refuse('SCOPE_FORBIDDEN', `config key ${op.k} is not of store ${store}`)
          : null;
      }
      if (op.e === STAFF_ENTITY) {
        if (!store) return refuse('SCOPE_FORBIDDEN', 'staff belong to a store scope');
        return isStaffField(op.f) ? null : refuse('SCOPE_FORBIDDEN', `staff field ${op.f} is not replicated`);
      }
      if (op.e === PURCHASE_ORDER_ENTITY) {
        if (!store) return refuse('SCOPE_FORBIDDEN', 'purchase orders belong to a store scope');
        return isPurchaseOrderField(op.f)
          ? null
          : refuse('SCOPE_FORBIDDEN', `purchase order field ${op.f} is not replicated`);
      }
      return null;
    default:
      return null; // member ops live in the member's home store or the chain
  }
}

const STORE_DATA: readonly AuthorRole[] = ['hq', 'manager', 'store'];

/** May a node of this role author this op? `node` matters for a till's own config. */
export function authorRefusal(op: Op, node: string, role: AuthorRole = authorRoleOfNode(node)): OpRefusal | null {
  const allow = (roles: readonly AuthorRole[], what: string): OpRefusal | null =>
    roles.includes(role)
      ? null
      : refuse('AUTHOR_FORBIDDEN', `${what} may be written by ${roles.join(', ')}, not by a ${role} device (${node})`);
  switch (op.t) {
    case 'set':
      switch (op.e) {
        case 'product':
          return allow(['hq'], 'the chain catalog');
        case 'promotion':
          // A manager's evening markdown, made on a till with the manager's PIN, must reach the
          // store's other tills while the cloud is unreachable: store devices may write store
          // promotions keyed `md-…` (receivers accept only a markdown's shape, see docs/pricing.md).
          // A store price change (`sp-…`) travels the same way, confined to the store's scope.
          if (
            op.s !== 'chain' &&
            role === 'store' &&
            (op.k.startsWith(STORE_MARKDOWN_PREFIX) || op.k.startsWith(STORE_PRICE_PREFIX))
          )
            return null;
          return allow(
            op.s === 'chain' ? ['hq'] : ['hq', 'manager'],
            op.s === 'chain' ? `chain ${op.e}s` : `store ${op.e}s (markdowns)`,
          );
        case 'price':
          return allow(
            op.s === 'chain' ? ['hq'] : ['hq', 'manager'],
            op.s === 'chain' ? `chain ${op.e}s` : `store ${op.e}s (markdowns)`,
          );
        case 'config': {
          const store = storeOf(op.s) ?? '';
          const till = configTill(op.k, store);
          if (till && role === 'store')
            return isTillsNode(node, store, till)
              ? null
              : refuse(
                  'AUTHOR_FORBIDDEN',
                  `config of till ${till} may only be written by that till, a technician or HQ, not by ${node}`,
                );
          // Store settings from a till of this store (its node, or its backfill node); not from
          // any other store device (a hub, an edge agent, a device under another name).
          if (
            till === null &&
            role === 'store' &&
            (STORE_SETTING_FIELDS as readonly string[]).includes(op.f) &&
            isTillNodeShape(deviceOfNode(node), store)
          )
            return null;
          return allow(['hq', 'technician'], 'store-wide config');
        }
        case STAFF_ENTITY:
          // Staff of store S: written on a till of S, where the RPC checked a manager's session
          // (or the staff member's own PIN change); HQ may too. Not the hub, an edge agent, a
          // manager or technician device, nor a till of another store.
          if (role === 'store' && isTillNodeShape(deviceOfNode(node), storeOf(op.s) ?? '')) return null;
          return allow(['hq'], `staff of store ${storeOf(op.s) ?? '?'} (from one of its tills)`);
        case PURCHASE_ORDER_ENTITY: {
          // Purchase orders of store S: the order and its status from a till of S (the manager's
          // session was checked there) or HQ; `received:<T>` only from till T itself, so no till
          // can overwrite what another till counted in.
          const store = storeOf(op.s) ?? '';
          const till = poReceivedTill(op.f);
          if (till !== null)
            return role === 'store' && isTillsNode(node, store, till)
              ? null
              : refuse(
                  'AUTHOR_FORBIDDEN',
                  `goods received on till ${till} may only be written by that till, not by ${node}`,
                );
          if (role === 'store' && isTillNodeShape(deviceOfNode(node), store)) return null;
          return allow(['hq'], `purchase orders of store ${store || '?'} (from one of its tills)`);
        }
        default:
          return allow(STORE_DATA, 'member profiles');
      }
    case 'mv':
      // Reservations and releases too: a till releases an order's reservation at handover and
      // reverses a losing offline handover (docs/orders.md); scope keeps them in its own store.
      return allow(STORE_DATA, 'stock movements');
    case 'fact':
      if (op.e === 'device_revoked') return allow(['hq'], 'device revocations');
      if (op.e === 'online_order') return allow(['hq'], 'online orders');
      if (op.e === 'coupon') return allow(['hq'], 'coupons');
      if (op.e === 'order_event') {
        const kind = (op.b as Record<string, unknown>)['kind'];
        return HQ_ONLY_ORDER_EVENTS.includes(kind as OrderEventKind)
          ? allow(['hq'], `order ${String(kind)} events`)
          : allow(STORE_DATA, 'order events');
      }
      return allow(STORE_DATA, `${op.e} facts`);
    case 'ff':
      return allow(['hq', 'store'], 'footfall');
    default:
      return allow(STORE_DATA, 'member identities, merges, points, tags and erasures');
  }
}

/** Both checks, whoever delivered the op: what a till or hub applies to every op it pulls. */
export function opRefusal(op: Op): OpRefusal | null {
  return scopeRefusal(op) ?? authorRefusal(op, authorNode(op));
}

/** The device pushing a batch, as its credential says. */
export interface Pusher {
  deviceId: string;
  role: string;
  storeId: string;
}

export type Admission =
  { ok: true } | { ok: false; skip: true; reason: string } | { ok: false; skip: false; refusal: OpRefusal };

/**
 * What a hub or the cloud does with one pushed op. Refused (the batch is refused whole): the op
 * breaks the table, or its author node is the pusher's own but the pusher's credential is not
 * of that namespace's role. Skipped (not stored; the pusher's cursor moves on): a bound op (a
 * privileged author's, or a till's own config) relayed by a device that is not a trusted relay
 * for it; the op reaches this replica by its authoritative path (the cloud, or the author).
 * Trusted relays: an `hq` device for anything; at the cloud, the store's hub for its store's ops
 * that are not HQ's (the hub accepted them first-hand from its devices).
 */
export function admitPushedOp(op: Op, pusher: Pusher, receiver: 'cloud' | 'hub'): Admission {
  const node = authorNode(op);
  return admitByNode(op, node, authorRoleOfNode(node), isOwnNode(node, pusher), pusher, receiver);
}

function admitByNode(
  op: Op,
  node: string,
  role: AuthorRole,
  own: boolean,
  pusher: Pusher,
  receiver: 'cloud' | 'hub',
): Admission {
  if (own && role !== authorRoleOfDevice(pusher.role)) {
    return {
      ok: false,
      skip: false,
      refusal: refuse(
        'AUTHOR_FORBIDDEN',
        `device ${pusher.deviceId} holds a ${pusher.role} credential, not a ${role} one`,
      ),
    };
  }
  // A till-shaped node is not enough for staff: the credential that pushes its own staff op must
  // be a till's (a hub or edge agent enrolled under a till-shaped id is not one).
  if (own && (isStaffOp(op) || isPurchaseOrderOp(op)) && pusher.role !== 'terminal' && role === 'store') {
    return {
      ok: false,
      skip: false,
      refusal: refuse(
        'AUTHOR_FORBIDDEN',
        `${op.e} changes come from a till, not from ${pusher.role} ${pusher.deviceId}`,
      ),
    };
  }
  if (!own && isBoundOp(op)) {
    const trusted =
      pusher.role === 'hq' ||
      (receiver === 'cloud' && pusher.role === 'hub' && role !== 'hq' && op.s === `store:${pusher.storeId}`);
    if (!trusted)
      return { ok: false, skip: true, reason: `${role} op of ${node} relayed by ${pusher.role} ${pusher.deviceId}` };
  }
  const refusal = scopeRefusal(op) ?? authorRefusal(op, node, role);
  return refusal ? { ok: false, skip: false, refusal } : { ok: true };
}

/** Facts whose scope or author check reads their body (scopeRefusal, authorRefusal). */
const BODY_CHECKED_FACTS = new Set(['order_event', 'online_order', 'coupon', 'coupon_redemption', 'transfer']);

/** What admitPushedOps makes of a batch: the ops to store, how many were left out, or the first refusal. */
export type BatchAdmission =
  { ok: true; admitted: Op[]; skipped: number } | { ok: false; index: number; refusal: OpRefusal; skipped: number };

/**
 * admitPushedOp over a whole batch, stopping at the first refused op. A batch holds few author
 * nodes (a till pushes its own ops), so each node's role and ownership is worked out once. The
 * ops must be validated (their ids are stamps). Skipped ops are counted, not returned.
 */
export function admitPushedOps(ops: Op[], pusher: Pusher, receiver: 'cloud' | 'hub'): BatchAdmission {
  const nodes = new Map<string, { role: AuthorRole; own: boolean }>();
  // For stock movements and plain facts the verdict depends on (node, type, entity, scope) only,
  // not on key or body: a till's 200 sale ops need a handful of verdicts.
  const verdicts = new Map<string, Admission>();
  const admitted: Op[] = [];
  let skipped = 0;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const node = op.id.slice(STAMP_PREFIX);
    let n = nodes.get(node);
    if (!n) {
      n = { role: authorRoleOfNode(node), own: isOwnNode(node, pusher) };
      nodes.set(node, n);
    }
    const key =
      op.t === 'mv' || (op.t === 'fact' && !BODY_CHECKED_FACTS.has(op.e)) ? `${node}|${op.t}|${op.e}|${op.s}` : '';
    let a = key ? verdicts.get(key) : undefined;
    if (!a) {
      a = admitByNode(op, node, n.role, n.own, pusher, receiver);
      if (key) verdicts.set(key, a);
    }
    if (a.ok) admitted.push(op);
    else if (a.skip) skipped++;
    else return { ok: false, index: i, refusal: a.refusal, skipped };
  }
  return { ok: true, admitted, skipped };
}

/** Fact id of one revocation of a device: `<deviceId>.<unique>` (device ids never hold a dot). */
export function revocationFactId(deviceId: string, unique: string): string {
  return `${deviceId}.${unique}`;
}

/** Key range holding every revocation fact of a device, the legacy `<deviceId>` id included. */
export function revocationKeyRange(deviceId: string): { fromKey: string; toKey: string } {
  return { fromKey: deviceId, toKey: `${deviceId}/` }; // '.' < '/' in byte order
}
