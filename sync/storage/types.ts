// The one interface every sync storage adapter implements (SQLite on terminals and the hub,
// Postgres or embedded PGlite in the cloud). The shared contract suite (storage.case.ts) runs
// against each of them.
import type { Op, StockLevel, MemberView } from '../core';

export interface ApplyResult {
  /** Ops newly stored. */
  applied: number;
  /** Ops already held (same id): idempotent re-delivery. */
  duplicates: number;
  /** The newly stored ops, in order, for callers that mirror them into domain tables. */
  appliedOps: Op[];
}

export interface ReadQuery {
  /** Local sequence number to read after (the cursor). */
  after: number;
  scopes: string[];
  limit: number;
  /** Leave out ops that arrived from this peer (no echo back to where they came from). */
  excludeOrigin?: string;
}

export interface ReadResult {
  ops: Op[];
  last: number;
  more: boolean;
}

/** A page of stored ops with bodies as JSON text, for relaying without re-serialising. */
export interface RawReadResult {
  rows: { id: string; s: string; t: string; e: string; k: string; f: string; n: number | null; b: string | null }[];
  last: number;
  more: boolean;
}

/** A range read over time-ordered keys (additive; for reports such as footfall and conversion). */
export interface KeyRangeQuery {
  /** `fact`: the first write per key wins (lowest stamp); `ff`: the latest re-send wins (highest stamp). */
  t: 'fact' | 'ff';
  scope: string;
  /** One entity (a fact kind such as `sale`, a camera id); every entity of the type when absent. */
  e?: string;
  /** Keys k with fromKey <= k < toKey, in byte order (ISO interval starts, uuid v7 fact ids). */
  fromKey: string;
  toKey: string;
}

export interface KeyRangeResult {
  /** The winning op per (e, k) inside the range, ordered by e then k. */
  ops: Op[];
  /** Per entity, the winning op of the highest key held at any time (e.g. each camera's newest interval), ordered by e. */
  latest: Op[];
}

export interface SyncStorage {
  /** Optional fast path for pushing: like readSince but bodies stay JSON text. */
  readSinceRaw?(q: ReadQuery): Promise<RawReadResult>;
  readonly kind: 'sqlite' | 'pglite' | 'postgres';
  /** Stores the batch atomically (all or nothing), skipping ops already held. */
  apply(ops: Op[], origin: string): Promise<ApplyResult>;
  readSince(q: ReadQuery): Promise<ReadResult>;
  /** How many ops readSince would still return (pending work for a push cursor). */
  countSince(q: Omit<ReadQuery, 'limit'>): Promise<number>;
  /** Highest local sequence number stored. */
  lastSeq(): Promise<number>;
  /** Every scope that holds at least one op. */
  scopes(): Promise<string[]>;
  /** Order-independent checksum per scope (formatDigest of the op ids held). */
  digests(scopes: string[]): Promise<Record<string, string>>;
  stock(storeId: string, sku: string): Promise<StockLevel>;
  stockAll(storeId: string): Promise<Record<string, StockLevel>>;
  /** LWW fields of one entity (e.g. product p1 -> { name, price }). */
  entity(entity: string, key: string): Promise<Record<string, unknown>>;
  fact(kind: string, id: string): Promise<Record<string, unknown> | null>;
  factIds(kind: string, scope?: string): Promise<string[]>;
  /**
   * Winning ops of one type in a scope whose key lies in a range, per entity, plus each entity's
   * newest key. Footfall intervals are keyed by ISO start and sale facts by uuid v7 ids, so a store
   * day is a few indexed reads (one per camera) instead of a scan of everything held.
   */
  keyRange(q: KeyRangeQuery): Promise<KeyRangeResult>;
  member(memberId: string): Promise<MemberView>;
  findMember(type: string, value: string): Promise<string | null>;
  /** Every op held for a scope, for audits and tests. */
  allOps(scope?: string): Promise<Op[]>;
  /** Marks ops as held back from pushing (e.g. stamped by a clock far in the future). */
  hold(ids: string[]): Promise<void>;
  heldCount(): Promise<number>;
  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;
  close(): Promise<void>;
}

/** Held stock movement ops of one store, counted per (sku, movement kind, ref). */
export interface MovementCount {
  sku: string;
  kind: string;
  ref: string | null;
  count: number;
}

/**
 * Synchronous reads of a terminal's own replica (the SQLite adapter), for code that must decide
 * inside its own SQLite transaction what to append to the outbox (the core's backfill, mirroring
 * remote catalog and config ops into domain tables). Nothing outside sync/storage reads the op
 * table directly.
 */
export interface LocalReplicaReads {
  /** True when a fact op of this kind and id is held. */
  hasFactSync(kind: string, id: string): boolean;
  /** True when some fact of `kind` (any id) has these top-level body fields, e.g. {event: 'close', shiftId}. */
  hasFactWithSync(kind: string, fields: Record<string, string>): boolean;
  /** Ids of the online orders with this pickup code (an index lookup: a pickup scan must not read every order). */
  factKeysByPickupCodeSync(code: string): string[];
  /**
   * Stock movement ops of one store and kinds whose stamp lies in [fromStamp, toStamp) (stamps
   * begin with their wall time, so this is a time range by the writer's clock), for reports.
   */
  movementsSync(storeId: string, kinds: readonly string[], fromStamp: string, toStamp: string): Op[];
  /** Stock movement ops held for one store, counted per (sku, kind, ref). */
  movementCountsSync(storeId: string): MovementCount[];
  /**
   * The winning (highest-stamp) value of one LWW field over one or more keys, among the ops
   * `accept` allows (all when absent); found is false when no such op set it.
   */
  lwwFieldSync(
    entity: string,
    keys: string[],
    field: string,
    accept?: (op: Op) => boolean,
  ): { found: boolean; value: unknown };
  /** The LWW field names some op set on this key (e.g. every till's `received:<T>` of a purchase order). */
  lwwFieldNamesSync(entity: string, key: string): string[];
  getMetaSync(key: string): string | null;
  setMetaSync(key: string, value: string): void;
  /** How many fact ops of `kind` with this id are held in `scope` (a re-sent fact is stored once per op id). */
  factCountSync(kind: string, scope: string, id: string): number;
  /** True when `scope` holds some fact of `kind`. */
  hasFactInScopeSync(kind: string, scope: string): boolean;
  /**
   * One page of the facts of `kind` in `scope` with id greater than `afterId`, by id then op
   * stamp (so the first row per id is the fact as first written); for derived tables that are
   * rebuilt from the log without holding it in memory.
   */
  factPageSync(kind: string, scope: string, afterId: string, limit: number): Array<{ k: string; b: unknown }>;
}

export const MEMBER_OP_TYPES = ['ident', 'merge', 'pts', 'tag', 'erase'] as const;
