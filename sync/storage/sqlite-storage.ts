// SQLite adapter (better-sqlite3) for terminals and the store hub. Ops live in one table keyed by
// id (the HLC stamp) with a local sequence for cursors; state is read from the ops with the merge
// rules of sync/core. Everything is synchronous underneath, so the outbox can append inside the
// caller's own transaction.
import type Database from 'better-sqlite3';
import type { Op, StockLevel, MemberView, Movement } from '../core';
import {
  opHash,
  formatDigest,
  validateOps,
  stockLevel,
  memberView,
  resolveIdentity,
  erasedMemberIds,
  MEMBER_PII_FIELDS,
} from '../core';
import type {
  ApplyResult,
  KeyRangeQuery,
  KeyRangeResult,
  LocalReplicaReads,
  MovementCount,
  RawReadResult,
  ReadQuery,
  ReadResult,
  SyncStorage,
} from './types';
import { MEMBER_OP_TYPES } from './types';
import { groupStock, keyWinners, lwwFields } from './read-folds';

const MOD = 2 ** 48;

type Row = {
  seq: number;
  id: string;
  s: string;
  t: string;
  e: string;
  k: string;
  f: string;
  n: number | null;
  b: string | null;
};

function toOp(r: Row): Op {
  return {
    id: r.id,
    s: r.s,
    t: r.t as Op['t'],
    e: r.e,
    k: r.k,
    f: r.f,
    n: r.n,
    b: r.b === null ? null : JSON.parse(r.b),
  };
}

export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS sync_ops (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  s TEXT NOT NULL, t TEXT NOT NULL, e TEXT NOT NULL, k TEXT NOT NULL, f TEXT NOT NULL,
  n INTEGER, b TEXT,
  origin TEXT NOT NULL DEFAULT '',
  held INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS sync_ops_tek ON sync_ops(t, e, k);
CREATE INDEX IF NOT EXISTS sync_ops_held ON sync_ops(held) WHERE held = 1;
CREATE INDEX IF NOT EXISTS sync_ops_pickup_code ON sync_ops(json_extract(b, '$.pickupCode')) WHERE t = 'fact' AND e = 'online_order';
CREATE TABLE IF NOT EXISTS sync_digest (s TEXT PRIMARY KEY, count INTEGER NOT NULL, sum INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** Top-level fact body field names usable in a JSON path (no quoting needed). */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class SqliteSyncStorage implements SyncStorage, LocalReplicaReads {
  readonly kind = 'sqlite' as const;
  private readonly insert: Database.Statement;
  private readonly bumpDigest: Database.Statement;
  private readonly applyTx: (ops: Op[], origin: string) => ApplyResult;
  private remoteHook: ((ops: Op[], origin: string) => void) | null = null;
  private appliedHook: ((ops: Op[]) => void) | null = null;

  constructor(readonly db: Database.Database) {
    db.exec(SQLITE_SCHEMA);
    this.insert = db.prepare(
      'INSERT INTO sync_ops (id, s, t, e, k, f, n, b, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING',
    );
    this.bumpDigest = db.prepare(
      'INSERT INTO sync_digest (s, count, sum) VALUES (?, ?, ?) ON CONFLICT(s) DO UPDATE SET count = count + excluded.count, sum = (sum + excluded.sum) % 281474976710656',
    );
    this.applyTx = db.transaction((ops: Op[], origin: string) => this.applySync(ops, origin));
  }

  /**
   * Stores ops in the current transaction if there is one (the outbox case), else in its own.
   * Not atomic by itself: callers outside a transaction use apply().
   */
  applySync(ops: Op[], origin: string): ApplyResult {
    const applied: Op[] = [];
    const perScope = new Map<string, { count: number; sum: number }>();
    let touchesMembers = false;
    for (const op of ops) {
      const r = this.insert.run(
        op.id,
        op.s,
        op.t,
        op.e,
        op.k,
        op.f,
        op.n,
        op.b === null || op.b === undefined ? null : JSON.stringify(op.b),
        origin,
      );
      if (r.changes === 0) continue;
      applied.push(op);
      const d = perScope.get(op.s) ?? { count: 0, sum: 0 };
      d.count += 1;
      d.sum = (d.sum + opHash(op.id)) % MOD;
      perScope.set(op.s, d);
      if (op.t === 'erase' || op.t === 'merge' || op.t === 'ident' || (op.t === 'set' && op.e === 'member'))
        touchesMembers = true;
    }
    for (const [s, d] of perScope) this.bumpDigest.run(s, d.count, d.sum);
    if (touchesMembers) this.scrubErased();
    // Lets the terminal core mirror remote ops into its own tables in the same transaction.
    if (origin !== '' && applied.length && this.remoteHook) this.remoteHook(applied, origin);
    // Derived tables kept in step with the log (the terminal's report rollups): every newly
    // stored op, local or remote, in the transaction that stores it.
    if (applied.length && this.appliedHook) this.appliedHook(applied);
    return { applied: applied.length, duplicates: ops.length - applied.length, appliedOps: applied };
  }

  /** Wipes personal data of erased members from stored ops (idempotent). */
  private scrubErased(): void {
    const erases = this.db.prepare("SELECT * FROM sync_ops WHERE t = 'erase'").all() as Row[];
    if (erases.length === 0) return;
    const merges = this.db.prepare("SELECT * FROM sync_ops WHERE t = 'merge'").all() as Row[];
    const ids = erasedMemberIds(merges.map(toOp), erases.map(toOp));
    const wipeSet = this.db.prepare(
      `UPDATE sync_ops SET b = NULL WHERE t = 'set' AND e = 'member' AND k = ? AND b IS NOT NULL AND (f IN (${MEMBER_PII_FIELDS.map(() => '?').join(',')}) OR f LIKE 'pii.%')`,
    );
    const wipeIdent = this.db.prepare("UPDATE sync_ops SET k = '' WHERE t = 'ident' AND e = ? AND k <> ''");
    for (const id of ids) {
      wipeSet.run(id, ...MEMBER_PII_FIELDS);
      wipeIdent.run(id);
    }
  }

  /** Runs inside the apply transaction for ops that arrived from another replica (`origin`: its device key). */
  onRemoteOps(hook: ((ops: Op[], origin: string) => void) | null): void {
    this.remoteHook = hook;
  }

  /** Runs inside the storing transaction for every op newly stored, local writes included. */
  onAppliedOps(hook: ((ops: Op[]) => void) | null): void {
    this.appliedHook = hook;
  }

  async apply(ops: Op[], origin: string): Promise<ApplyResult> {
    return this.applyTx(ops, origin);
  }

  readSinceSync(q: ReadQuery): ReadResult {
    const { rows, last, more } = this.readRows(q);
    return { ops: rows.map(toOp), last, more };
  }

  private readRows(q: ReadQuery): { rows: Row[]; last: number; more: boolean } {
    const scopes = q.scopes.length ? q.scopes : ['\u0000'];
    // The cursor moves past rows the filters skip too, so a peer never rescans them.
    const max = (this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS m FROM sync_ops').get() as { m: number }).m;
    const rows = this.db
      .prepare(
        `SELECT seq, id, s, t, e, k, f, n, b FROM sync_ops WHERE seq > ? AND seq <= ? AND held = 0 AND origin <> ? AND s IN (${scopes.map(() => '?').join(',')}) ORDER BY seq LIMIT ?`,
      )
      .all(q.after, max, q.excludeOrigin ?? '\u0000', ...scopes, q.limit + 1) as Row[];
    const more = rows.length > q.limit;
    const page = more ? rows.slice(0, q.limit) : rows;
    const last = more ? page[page.length - 1]!.seq : Math.max(q.after, max);
    return { rows: page, last, more };
  }

  async readSince(q: ReadQuery): Promise<ReadResult> {
    return this.readSinceSync(q);
  }

  async readSinceRaw(q: ReadQuery): Promise<RawReadResult> {
    const { rows, last, more } = this.readRows(q);
    return { rows: rows.map(({ seq: _seq, ...r }) => r), last, more };
  }

  countSinceSync(q: Omit<ReadQuery, 'limit'>): number {
    const scopes = q.scopes.length ? q.scopes : ['\u0000'];
    const r = this.db
      .prepare(
        `SELECT count(*) AS c FROM sync_ops WHERE seq > ? AND held = 0 AND origin <> ? AND s IN (${scopes.map(() => '?').join(',')})`,
      )
      .get(q.after, q.excludeOrigin ?? '\u0000', ...scopes) as { c: number };
    return r.c;
  }

  async countSince(q: Omit<ReadQuery, 'limit'>): Promise<number> {
    return this.countSinceSync(q);
  }

  async lastSeq(): Promise<number> {
    return (this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS m FROM sync_ops').get() as { m: number }).m;
  }

  async scopes(): Promise<string[]> {
    return (this.db.prepare('SELECT s FROM sync_digest ORDER BY s').all() as { s: string }[]).map((r) => r.s);
  }

  async digests(scopes: string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    const q = this.db.prepare('SELECT count, sum FROM sync_digest WHERE s = ?');
    for (const s of scopes) {
      const r = q.get(s) as { count: number; sum: number } | undefined;
      out[s] = formatDigest(r ?? { count: 0, sum: 0 });
    }
    return out;
  }

  async stock(storeId: string, sku: string): Promise<StockLevel> {
    const rows = this.db
      .prepare("SELECT id, f AS kind, n AS qty FROM sync_ops WHERE t = 'mv' AND e = ? AND k = ?")
      .all(storeId, sku) as Movement[];
    return stockLevel(rows);
  }

  async stockAll(storeId: string): Promise<Record<string, StockLevel>> {
    const rows = this.db
      .prepare("SELECT id, k, f AS kind, n AS qty FROM sync_ops WHERE t = 'mv' AND e = ?")
      .all(storeId) as (Movement & { k: string })[];
    return groupStock(rows);
  }

  async entity(entity: string, key: string): Promise<Record<string, unknown>> {
    const rows = this.db
      .prepare("SELECT * FROM sync_ops WHERE t = 'set' AND e = ? AND k = ?")
      .all(entity, key) as Row[];
    return lwwFields(rows.map(toOp));
  }

  async fact(kind: string, id: string): Promise<Record<string, unknown> | null> {
    const r = this.db
      .prepare("SELECT b FROM sync_ops WHERE t = 'fact' AND e = ? AND k = ? ORDER BY id LIMIT 1")
      .get(kind, id) as { b: string } | undefined;
    return r ? (JSON.parse(r.b) as Record<string, unknown>) : null;
  }

  async factIds(kind: string, scope?: string): Promise<string[]> {
    const rows = (
      scope
        ? this.db
            .prepare("SELECT DISTINCT k FROM sync_ops WHERE t = 'fact' AND e = ? AND s = ? ORDER BY k")
            .all(kind, scope)
        : this.db.prepare("SELECT DISTINCT k FROM sync_ops WHERE t = 'fact' AND e = ? ORDER BY k").all(kind)
    ) as { k: string }[];
    return rows.map((r) => r.k);
  }

  keyRangeSync(q: KeyRangeQuery): KeyRangeResult {
    const entities: string[] = [];
    if (q.e !== undefined) entities.push(q.e);
    else {
      // Loose index scan over (t, e, k): one seek per distinct entity, however many ops each has.
      const next = this.db.prepare('SELECT e FROM sync_ops WHERE t = ? AND e > ? ORDER BY e LIMIT 1');
      let after = '';
      for (
        let r = next.get(q.t, after) as { e: string } | undefined;
        r;
        r = next.get(q.t, after) as { e: string } | undefined
      ) {
        entities.push(r.e);
        after = r.e;
      }
    }
    const range = this.db.prepare(
      'SELECT * FROM sync_ops WHERE t = ? AND e = ? AND k >= ? AND k < ? AND s = ? ORDER BY k, id',
    );
    const top = this.db.prepare('SELECT k FROM sync_ops WHERE t = ? AND e = ? AND s = ? ORDER BY k DESC LIMIT 1');
    const atKey = this.db.prepare('SELECT * FROM sync_ops WHERE t = ? AND e = ? AND k = ? AND s = ? ORDER BY id');
    const ops: Op[] = [];
    const latest: Op[] = [];
    for (const e of entities) {
      ops.push(...keyWinners(q.t, (range.all(q.t, e, q.fromKey, q.toKey, q.scope) as Row[]).map(toOp)));
      const k = top.get(q.t, e, q.scope) as { k: string } | undefined;
      if (k) latest.push(...keyWinners(q.t, (atKey.all(q.t, e, k.k, q.scope) as Row[]).map(toOp)));
    }
    return { ops, latest };
  }

  async keyRange(q: KeyRangeQuery): Promise<KeyRangeResult> {
    return this.keyRangeSync(q);
  }

  private memberOps(): Op[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM sync_ops WHERE t IN (${MEMBER_OP_TYPES.map(() => '?').join(',')}) OR (t = 'set' AND e = 'member')`,
      )
      .all(...MEMBER_OP_TYPES) as Row[];
    return rows.map(toOp);
  }

  async member(memberId: string): Promise<MemberView> {
    return memberView(this.memberOps(), memberId);
  }

  async findMember(type: string, value: string): Promise<string | null> {
    return resolveIdentity(this.memberOps(), type, value);
  }

  async allOps(scope?: string): Promise<Op[]> {
    const rows = (
      scope
        ? this.db.prepare('SELECT * FROM sync_ops WHERE s = ? ORDER BY id').all(scope)
        : this.db.prepare('SELECT * FROM sync_ops ORDER BY id').all()
    ) as Row[];
    return rows.map(toOp);
  }

  async hold(ids: string[]): Promise<void> {
    const st = this.db.prepare('UPDATE sync_ops SET held = 1 WHERE id = ?');
    this.db.transaction(() => {
      for (const id of ids) st.run(id);
    })();
  }

  async heldCount(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS c FROM sync_ops WHERE held = 1').get() as { c: number }).c;
  }

  factCountSync(kind: string, scope: string, id: string): number {
    return (
      this.db
        .prepare("SELECT COUNT(*) AS n FROM sync_ops WHERE t = 'fact' AND e = ? AND k = ? AND s = ?")
        .get(kind, id, scope) as { n: number }
    ).n;
  }

  hasFactInScopeSync(kind: string, scope: string): boolean {
    return !!this.db.prepare("SELECT 1 FROM sync_ops WHERE t = 'fact' AND e = ? AND s = ? LIMIT 1").get(kind, scope);
  }

  factPageSync(kind: string, scope: string, afterId: string, limit: number): Array<{ k: string; b: unknown }> {
    const rows = this.db
      .prepare("SELECT k, b FROM sync_ops WHERE t = 'fact' AND e = ? AND s = ? AND k > ? ORDER BY k, id LIMIT ?")
      .all(kind, scope, afterId, limit) as Array<{ k: string; b: string | null }>;
    return rows.map((r) => ({ k: r.k, b: r.b === null ? null : (JSON.parse(r.b) as unknown) }));
  }

  hasFactSync(kind: string, id: string): boolean {
    return !!this.db.prepare("SELECT 1 FROM sync_ops WHERE t = 'fact' AND e = ? AND k = ? LIMIT 1").get(kind, id);
  }

  hasFactWithSync(kind: string, fields: Record<string, string>): boolean {
    const entries = Object.entries(fields);
    for (const [name] of entries)
      if (!FIELD_NAME.test(name)) throw new Error(`not a fact body field name: ${name.slice(0, 40)}`);
    const where = entries.map(() => 'json_extract(b, ?) = ?').join(' AND ');
    const params = entries.flatMap(([name, value]) => [`$.${name}`, value]);
    return !!this.db
      .prepare(`SELECT 1 FROM sync_ops WHERE t = 'fact' AND e = ?${where ? ` AND ${where}` : ''} LIMIT 1`)
      .get(kind, ...params);
  }

  factKeysByPickupCodeSync(code: string): string[] {
    // The partial expression index sync_ops_pickup_code (same expression, same WHERE), named:
    // left alone, the planner prefers (t, e, k) and reads every order's body.
    const rows = this.db
      .prepare(
        "SELECT DISTINCT k FROM sync_ops INDEXED BY sync_ops_pickup_code WHERE t = 'fact' AND e = 'online_order' AND json_extract(b, '$.pickupCode') = ?",
      )
      .all(code) as { k: string }[];
    return rows.map((r) => r.k);
  }

  movementsSync(storeId: string, kinds: readonly string[], fromStamp: string, toStamp: string): Op[] {
    if (kinds.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT * FROM sync_ops WHERE t = 'mv' AND e = ? AND f IN (${kinds.map(() => '?').join(',')}) AND id >= ? AND id < ? ORDER BY id`,
      )
      .all(storeId, ...kinds, fromStamp, toStamp) as Row[];
    return rows.map(toOp);
  }

  movementCountsSync(storeId: string): MovementCount[] {
    return this.db
      .prepare(
        "SELECT k AS sku, f AS kind, json_extract(b, '$.ref') AS ref, COUNT(*) AS count FROM sync_ops WHERE t = 'mv' AND e = ? GROUP BY k, f, ref",
      )
      .all(storeId) as MovementCount[];
  }

  lwwFieldNamesSync(entity: string, key: string): string[] {
    return (
      this.db.prepare("SELECT DISTINCT f FROM sync_ops WHERE t = 'set' AND e = ? AND k = ?").all(entity, key) as {
        f: string;
      }[]
    ).map((r) => r.f);
  }

  lwwFieldSync(
    entity: string,
    keys: string[],
    field: string,
    accept?: (op: Op) => boolean,
  ): { found: boolean; value: unknown } {
    if (keys.length === 0) return { found: false, value: undefined };
    const rows = this.db
      .prepare(
        `SELECT id, s, t, e, k, f, n, b FROM sync_ops WHERE t = 'set' AND e = ? AND k IN (${keys.map(() => '?').join(', ')}) AND f = ? ORDER BY id DESC`,
      )
      .iterate(entity, ...keys, field) as IterableIterator<{
      id: string;
      s: string;
      t: string;
      e: string;
      k: string;
      f: string;
      n: number | null;
      b: string | null;
    }>;
    for (const r of rows) {
      const value: unknown = r.b === null ? null : JSON.parse(r.b);
      if (accept) {
        // Rows are re-validated before the predicate sees them; one that no longer validates never wins.
        let op: Op;
        try {
          op = validateOps([{ ...r, b: value }])[0]!;
        } catch {
          continue;
        }
        if (!accept(op)) continue;
      }
      return { found: true, value };
    }
    return { found: false, value: undefined };
  }

  getMetaSync(key: string): string | null {
    const r = this.db.prepare('SELECT value FROM sync_meta WHERE key = ?').get(key) as { value: string } | undefined;
    return r ? r.value : null;
  }

  setMetaSync(key: string, value: string): void {
    this.db
      .prepare('INSERT INTO sync_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }

  async getMeta(key: string): Promise<string | null> {
    return this.getMetaSync(key);
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.setMetaSync(key, value);
  }

  async close(): Promise<void> {
    // The database handle belongs to whoever opened it.
  }
}

/**
 * Whether a replica file holds a device credential (paired), read from a read-only handle
 * without creating anything: for diagnostics (`pos doctor`). Never returns the credential.
 */
export function replicaHoldsCredential(db: Database.Database): boolean {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sync_meta'").get();
  if (!has) return false;
  const row = db.prepare("SELECT value FROM sync_meta WHERE key = 'sync.credential'").get() as
    { value: string } | undefined;
  return !!row && row.value !== '';
}
