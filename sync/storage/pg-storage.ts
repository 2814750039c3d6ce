// Postgres adapter for the cloud (node-postgres against a real server, or embedded PGlite).
// Ordering is per scope (docs/sync.md, "Scaling the cloud"): a write to store scopes takes the
// schema's write lock SHARED plus an exclusive lock per store scope it touches; a write to any
// other scope (the chain catalog, member merges/erasure) takes the write lock EXCLUSIVE. So
// within every set of scopes one device reads (its store + chain), sequence order equals commit
// order, while writes of different stores run in parallel. Each write is one call of a
// server-side function (locks, multi-row insert, digest update): no Node round trip happens
// while a lock is held. Several stateless cloud instances can share one database.
import type { Op, StockLevel, MemberView, Movement } from '../core';
import {
  opHash,
  formatDigest,
  memberView,
  resolveIdentity,
  erasedMemberIds,
  MEMBER_PII_FIELDS,
  stockLevel,
} from '../core';
import type { ApplyResult, KeyRangeQuery, KeyRangeResult, ReadQuery, ReadResult, SyncStorage } from './types';
import { MEMBER_OP_TYPES } from './types';
import type { PgDriver, PgQuery } from './pg-driver';
import { groupStock, keyWinners, lwwFields } from './read-folds';

type Row = {
  seq: string | number;
  id: string;
  s: string;
  t: string;
  e: string;
  k: string;
  f: string;
  n: string | number | null;
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
    n: r.n === null ? null : Number(r.n),
    b: r.b === null ? null : JSON.parse(r.b),
  };
}

/** Scopes of the per-store ordering path; every other scope is written under the exclusive lock. */
const STORE_SCOPE = /^store:/;
/** More store scopes than this in one read: page with one index scan by seq instead of one per scope. */
const LATERAL_SCOPES = 64;

export interface PgStorageOptions {
  /**
   * Pool for pulls, digests and device checks, apart from the writers' pool, so a pull never
   * waits for a connection behind pushes (defaults to the write driver).
   */
  reads?: PgDriver;
}

export class PgSyncStorage implements SyncStorage {
  readonly kind: 'pglite' | 'postgres';
  private readonly T: string;
  private readonly lockKey: number;
  private readonly reader: PgDriver;

  private constructor(
    private readonly driver: PgDriver,
    readonly schema: string,
    reads?: PgDriver,
  ) {
    this.reader = reads ?? driver;
    this.kind = driver.kind;
    this.T = `"${schema}"`;
    let h = 0;
    for (const c of schema) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
    this.lockKey = h;
  }

  /** Opens the adapter on a schema (created if missing); `schema` lets parallel test runs coexist. */
  static async open(driver: PgDriver, schema = 'sync', opts: PgStorageOptions = {}): Promise<PgSyncStorage> {
    if (!/^[a-z_][a-z0-9_]{0,50}$/.test(schema)) throw new Error(`bad schema name: ${schema}`);
    const s = new PgSyncStorage(driver, schema, opts.reads);
    await s.migrate();
    return s;
  }

  /**
   * Runs schema changes under the schema's migration lock in one transaction, so N instances
   * starting together on a fresh database never race on CREATE (e.g. the cloud's device tables).
   */
  async migrateWith(fn: (q: PgQuery) => Promise<void>): Promise<void> {
    await this.driver.transaction(async (q) => {
      await q.query(`SELECT pg_advisory_xact_lock(${this.migrationKey})`);
      await fn(q);
    });
  }

  /** The migration lock: apart from the write lock, so an instance starting never stalls writers. */
  private get migrationKey(): string {
    return `${this.lockKey}::bigint + 4294967296`;
  }

  private async migrate(): Promise<void> {
    const T = this.T;
    const K = this.lockKey;
    await this.migrateWith(async (q) => {
      await q.query(`CREATE SCHEMA IF NOT EXISTS ${T}`);
      await q.query(`CREATE TABLE IF NOT EXISTS ${T}.ops (
        seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE,
        s text NOT NULL, t text NOT NULL, e text NOT NULL, k text NOT NULL, f text NOT NULL,
        n bigint, b text, origin text NOT NULL DEFAULT '', held boolean NOT NULL DEFAULT false)`);
      await q.query(`CREATE INDEX IF NOT EXISTS ops_tek ON ${T}.ops (t, e, k)`);
      await q.query(`CREATE INDEX IF NOT EXISTS ops_held ON ${T}.ops (held) WHERE held`);
      await q.query(
        `CREATE TABLE IF NOT EXISTS ${T}.digest (s text PRIMARY KEY, count bigint NOT NULL, sum bigint NOT NULL)`,
      );
      await q.query(`CREATE TABLE IF NOT EXISTS ${T}.meta (key text PRIMARY KEY, value text NOT NULL)`);
      // A scope's newest sequence (the read horizon) and its page are index range scans.
      await q.query(`CREATE INDEX IF NOT EXISTS ops_s_seq ON ${T}.ops (s, seq)`);
      // The WeCom callback finds a member's sale by its contact-QR state within WeCom's 5 s.
      await q.query(
        `CREATE INDEX IF NOT EXISTS ops_wecom_state ON ${T}.ops ((b::jsonb ->> 'wecomState')) WHERE t = 'fact' AND e = 'sale'`,
      );
      // One write = one call: locks, the multi-row insert and the digest update happen inside
      // Postgres, so the locks are held for the statement only (plus the commit). Answers the ids
      // already held. Three generations of the call share one body (`src` yields the rows):
      //  - apply_ops_v3 (this version): one JSON array per column, unnested side by side; each
      //    array is parsed once, in one pass (docs/bench.md, pg-apply).
      //  - apply_ops_v2 / apply_ops: one JSON array of [id, s, t, e, k, f, n, b, hash] rows, the
      //    body as a JSON value (v2) or as JSON text in a string (v1). Kept for instances of the
      //    previous versions during a rolling upgrade: on a json value every r->>i re-reads the
      //    row from its start, which made extraction the larger part of the statement.
      const applyOps = (name: string, params: string, src: string) =>
        `CREATE OR REPLACE FUNCTION ${T}.${name}(${params}, p_origin text, p_scopes text[], p_per_store boolean)
        RETURNS text[] LANGUAGE plpgsql AS $fn$
        DECLARE
          sc text;
          dup text[];
        BEGIN
          IF p_per_store THEN
            PERFORM pg_advisory_xact_lock_shared(${K});
            FOREACH sc IN ARRAY p_scopes LOOP
              PERFORM pg_advisory_xact_lock(${K}, hashtext(sc));
            END LOOP;
          ELSE
            PERFORM pg_advisory_xact_lock(${K});
          END IF;
          WITH src AS (${src}),
          ins AS (
            INSERT INTO ${T}.ops (id, s, t, e, k, f, n, b, origin)
            SELECT id, s, t, e, k, f, n, b, p_origin FROM src
            ON CONFLICT (id) DO NOTHING RETURNING id, s),
          dg AS (
            INSERT INTO ${T}.digest (s, count, sum)
            SELECT ins.s, count(*), (sum(src.h) % 281474976710656)::bigint FROM ins JOIN src ON src.id = ins.id GROUP BY ins.s
            ON CONFLICT (s) DO UPDATE SET count = ${T}.digest.count + excluded.count,
              sum = (${T}.digest.sum + excluded.sum) % 281474976710656
            RETURNING 1)
          SELECT array_agg(src.id) INTO dup FROM src WHERE NOT EXISTS (SELECT 1 FROM ins WHERE ins.id = src.id);
          RETURN COALESCE(dup, '{}');
        END $fn$`;
      const rows = (body: string) =>
        `SELECT r->>0 AS id, r->>1 AS s, r->>2 AS t, r->>3 AS e, r->>4 AS k, r->>5 AS f, (r->>6)::bigint AS n,
                ${body} AS b, (r->>8)::bigint AS h
         FROM json_array_elements(p) AS r`;
      await q.query(applyOps('apply_ops', 'p json', rows(`r->>7`)));
      await q.query(
        applyOps(
          'apply_ops_v2',
          'p json',
          rows(`CASE WHEN json_typeof(r->7) = 'null' THEN NULL ELSE (r->7)::text END`),
        ),
      );
      // A body element is the JSON text the instance sent (no whitespace): `null` is no body.
      await q.query(
        applyOps(
          'apply_ops_v3',
          'p_id json, p_s json, p_t json, p_e json, p_k json, p_f json, p_n json, p_b json, p_h json',
          `SELECT c.id, c.s, c.t, c.e, c.k, c.f, c.n::bigint AS n, NULLIF(c.b::text, 'null') AS b, c.h::bigint AS h
           FROM ROWS FROM (json_array_elements_text(p_id), json_array_elements_text(p_s), json_array_elements_text(p_t),
             json_array_elements_text(p_e), json_array_elements_text(p_k), json_array_elements_text(p_f),
             json_array_elements_text(p_n), json_array_elements(p_b), json_array_elements_text(p_h))
             AS c(id, s, t, e, k, f, n, b, h)`,
        ),
      );
      // The horizon of a read over several stores: waits for every write in flight (they hold the
      // write lock shared or exclusive) and blocks new ones for this one statement, so every
      // sequence number up to the answer is committed or never will be.
      await q.query(`CREATE OR REPLACE FUNCTION ${T}.horizon_all() RETURNS bigint LANGUAGE plpgsql AS $fn$
        BEGIN
          PERFORM pg_advisory_xact_lock(${K});
          RETURN (SELECT COALESCE(max(seq), 0) FROM ${T}.ops);
        END $fn$`);
    });
  }

  /** Raw access for the cloud's own tables (devices, enrollment codes) in the same schema. */
  get db(): PgDriver {
    return this.driver;
  }

  /** The read pool (pulls, digests, device checks); the write driver when none was given. */
  get readDb(): PgDriver {
    return this.reader;
  }

  get table(): string {
    return this.T;
  }

  async apply(ops: Op[], origin: string): Promise<ApplyResult> {
    if (ops.length === 0) return { applied: 0, duplicates: 0, appliedOps: [] };
    const T = this.T;
    // A batch may repeat an op id: the first one counts, the rest are duplicates.
    const seen = new Set<string>();
    const distinct: Op[] = [];
    const scopes = new Set<string>();
    let touchesMembers = false;
    for (const o of ops) {
      if (seen.has(o.id)) continue;
      seen.add(o.id);
      distinct.push(o);
      scopes.add(o.s);
      if (o.t === 'erase' || o.t === 'merge' || o.t === 'ident' || (o.t === 'set' && o.e === 'member'))
        touchesMembers = true;
    }
    const sorted = [...scopes].sort();
    // Member identity ops are folded across scopes (erasure scrubs what merges linked), so they
    // are written under the exclusive lock like the chain scope.
    const perStore = !touchesMembers && sorted.every((sc) => typeof sc === 'string' && STORE_SCOPE.test(sc));
    // One JSON array per column (apply_ops_v3): JSON.stringify of plain arrays in Node, one
    // parse per array in Postgres. Bodies go in as JSON values: serialised once.
    const columns: unknown[][] = [[], [], [], [], [], [], [], [], []];
    for (const o of distinct) {
      columns[0]!.push(o.id);
      columns[1]!.push(o.s);
      columns[2]!.push(o.t);
      columns[3]!.push(o.e);
      columns[4]!.push(o.k);
      columns[5]!.push(o.f);
      columns[6]!.push(o.n);
      columns[7]!.push(o.b ?? null);
      columns[8]!.push(typeof o.id === 'string' ? opHash(o.id) : 0);
    }
    const params = [...columns.map((c) => JSON.stringify(c)), origin, sorted, perStore];
    const call = async (q: PgQuery): Promise<string[]> =>
      (
        await q.query<{ dup: string[] }>(
          `SELECT ${T}.apply_ops_v3($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text[], $12) AS dup`,
          params,
        )
      ).rows[0]?.dup ?? [];
    let dup: string[];
    if (touchesMembers) {
      dup = await this.driver.transaction(async (q) => {
        const d = await call(q);
        await this.scrubErased(q);
        return d;
      });
    } else {
      // Autocommit: one round trip, and the locks end with it.
      dup = await call(this.driver);
    }
    const held = new Set(dup);
    const applied = held.size === 0 ? distinct : distinct.filter((o) => !held.has(o.id));
    return { applied: applied.length, duplicates: ops.length - applied.length, appliedOps: applied };
  }

  private async scrubErased(q: PgQuery): Promise<void> {
    const T = this.T;
    const erases = (await q.query<Row>(`SELECT * FROM ${T}.ops WHERE t = 'erase'`)).rows;
    if (erases.length === 0) return;
    const merges = (await q.query<Row>(`SELECT * FROM ${T}.ops WHERE t = 'merge'`)).rows;
    const ids = erasedMemberIds(merges.map(toOp), erases.map(toOp));
    await q.query(
      `UPDATE ${T}.ops SET b = NULL WHERE t = 'set' AND e = 'member' AND k = ANY($1::text[]) AND b IS NOT NULL AND (f = ANY($2::text[]) OR f LIKE 'pii.%')`,
      [ids, [...MEMBER_PII_FIELDS]],
    );
    await q.query(`UPDATE ${T}.ops SET k = '' WHERE t = 'ident' AND e = ANY($1::text[]) AND k <> ''`, [ids]);
  }

  async readSince(q: ReadQuery): Promise<ReadResult> {
    const T = this.T;
    const stores = q.scopes.filter((sc) => STORE_SCOPE.test(sc)).length;
    // The horizon: no row at or below it can still commit. For one store plus chain-wide scopes
    // it is the newest row of those scopes (their writers are ordered by the locks); over several
    // stores (an HQ reader) it comes from horizon_all(), which waits out the writes in flight.
    const horizon =
      stores <= 1
        ? `(SELECT COALESCE(max(x.m), 0) FROM unnest($4::text[]) AS u(s), LATERAL (SELECT max(o.seq) AS m FROM ${T}.ops o WHERE o.s = u.s) x)`
        : Number((await this.reader.query<{ h: string }>(`SELECT ${T}.horizon_all() AS h`)).rows[0]?.h ?? 0);
    const filter = `o.seq > $1 AND o.seq <= h.m AND NOT o.held AND o.origin <> $3`;
    const cols = `o.seq, o.id, o.s, o.t, o.e, o.k, o.f, o.n, o.b`;
    // Horizon and page in one statement (one snapshot). Per scope an index range scan on (s, seq).
    const page =
      q.scopes.length <= LATERAL_SCOPES
        ? `SELECT x.* FROM h, unnest($4::text[]) AS u(s),
             LATERAL (SELECT ${cols} FROM ${T}.ops o WHERE o.s = u.s AND ${filter} ORDER BY o.seq LIMIT $2) x
           ORDER BY x.seq LIMIT $2`
        : `SELECT ${cols} FROM h, ${T}.ops o WHERE ${filter} AND o.s = ANY($4::text[]) ORDER BY o.seq LIMIT $2`;
    const rows = (
      await this.reader.query<Row & { horizon: string }>(
        `WITH h AS (SELECT ${typeof horizon === 'number' ? '$5::bigint' : horizon} AS m), page AS (${page})
         SELECT (SELECT m FROM h) AS horizon, page.* FROM (SELECT 1) AS one LEFT JOIN page ON true ORDER BY page.seq`,
        [
          q.after,
          q.limit + 1,
          q.excludeOrigin ?? '\u0001',
          q.scopes,
          ...(typeof horizon === 'number' ? [horizon] : []),
        ],
      )
    ).rows;
    const max = Number(rows[0]?.horizon ?? 0);
    const found = rows.filter((r) => r.id !== null);
    const more = found.length > q.limit;
    const pageRows = more ? found.slice(0, q.limit) : found;
    const last = more ? Number(pageRows[pageRows.length - 1]!.seq) : Math.max(q.after, max);
    return { ops: pageRows.map(toOp), last, more };
  }

  async countSince(q: Omit<ReadQuery, 'limit'>): Promise<number> {
    const r = await this.reader.query<{ c: string }>(
      `SELECT count(*) AS c FROM ${this.T}.ops WHERE seq > $1 AND NOT held AND origin <> $2 AND s = ANY($3::text[])`,
      [q.after, q.excludeOrigin ?? '\u0001', q.scopes],
    );
    return Number(r.rows[0]?.c ?? 0);
  }

  async lastSeq(): Promise<number> {
    const r = await this.reader.query<{ m: string }>(`SELECT COALESCE(MAX(seq), 0) AS m FROM ${this.T}.ops`);
    return Number(r.rows[0]?.m ?? 0);
  }

  async scopes(): Promise<string[]> {
    return (await this.reader.query<{ s: string }>(`SELECT s FROM ${this.T}.digest ORDER BY s COLLATE "C"`)).rows.map(
      (r) => r.s,
    );
  }

  async digests(scopes: string[]): Promise<Record<string, string>> {
    const r = await this.reader.query<{ s: string; count: string; sum: string }>(
      `SELECT s, count, sum FROM ${this.T}.digest WHERE s = ANY($1::text[])`,
      [scopes],
    );
    const out: Record<string, string> = {};
    for (const s of scopes) {
      const row = r.rows.find((x) => x.s === s);
      out[s] = formatDigest(row ? { count: Number(row.count), sum: Number(row.sum) } : { count: 0, sum: 0 });
    }
    return out;
  }

  async stock(storeId: string, sku: string): Promise<StockLevel> {
    const r = await this.driver.query<Movement>(
      `SELECT id, f AS kind, n AS qty FROM ${this.T}.ops WHERE t = 'mv' AND e = $1 AND k = $2`,
      [storeId, sku],
    );
    return stockLevel(r.rows.map((m) => ({ ...m, qty: Number(m.qty) })));
  }

  async stockAll(storeId: string): Promise<Record<string, StockLevel>> {
    const r = await this.driver.query<Movement & { k: string }>(
      `SELECT id, k, f AS kind, n AS qty FROM ${this.T}.ops WHERE t = 'mv' AND e = $1`,
      [storeId],
    );
    return groupStock(r.rows);
  }

  async entity(entity: string, key: string): Promise<Record<string, unknown>> {
    const r = await this.driver.query<Row>(`SELECT * FROM ${this.T}.ops WHERE t = 'set' AND e = $1 AND k = $2`, [
      entity,
      key,
    ]);
    return lwwFields(r.rows.map(toOp));
  }

  async fact(kind: string, id: string): Promise<Record<string, unknown> | null> {
    const r = await this.driver.query<{ b: string }>(
      `SELECT b FROM ${this.T}.ops WHERE t = 'fact' AND e = $1 AND k = $2 ORDER BY id COLLATE "C" LIMIT 1`,
      [kind, id],
    );
    const row = r.rows[0];
    return row ? (JSON.parse(row.b) as Record<string, unknown>) : null;
  }

  async factIds(kind: string, scope?: string): Promise<string[]> {
    const r = scope
      ? await this.driver.query<{ k: string }>(
          `SELECT DISTINCT k FROM ${this.T}.ops WHERE t = 'fact' AND e = $1 AND s = $2 ORDER BY k`,
          [kind, scope],
        )
      : await this.driver.query<{ k: string }>(
          `SELECT DISTINCT k FROM ${this.T}.ops WHERE t = 'fact' AND e = $1 ORDER BY k`,
          [kind],
        );
    return r.rows.map((x) => x.k);
  }

  async keyRange(q: KeyRangeQuery): Promise<KeyRangeResult> {
    const T = this.T;
    const entities =
      q.e !== undefined
        ? [q.e]
        : (
            await this.driver.query<{ e: string }>(`SELECT DISTINCT e FROM ${T}.ops WHERE t = $1 AND s = $2`, [
              q.t,
              q.scope,
            ])
          ).rows
            .map((r) => r.e)
            .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const ops: Op[] = [];
    const latest: Op[] = [];
    for (const e of entities) {
      // Keys and stamps compare bytewise (COLLATE "C"), like SQLite, whatever the database locale.
      const r = await this.driver.query<Row>(
        `SELECT * FROM ${T}.ops WHERE t = $1 AND e = $2 AND s = $3 AND k COLLATE "C" >= $4 AND k COLLATE "C" < $5 ORDER BY k COLLATE "C", id COLLATE "C"`,
        [q.t, e, q.scope, q.fromKey, q.toKey],
      );
      ops.push(...keyWinners(q.t, r.rows.map(toOp)));
      const top = await this.driver.query<Row>(
        `SELECT * FROM ${T}.ops WHERE t = $1 AND e = $2 AND s = $3 AND k = (SELECT k FROM ${T}.ops WHERE t = $1 AND e = $2 AND s = $3 ORDER BY k COLLATE "C" DESC LIMIT 1) ORDER BY id COLLATE "C"`,
        [q.t, e, q.scope],
      );
      latest.push(...keyWinners(q.t, top.rows.map(toOp)));
    }
    return { ops, latest };
  }

  private async memberOps(): Promise<Op[]> {
    const r = await this.driver.query<Row>(
      `SELECT * FROM ${this.T}.ops WHERE t = ANY($1::text[]) OR (t = 'set' AND e = 'member')`,
      [[...MEMBER_OP_TYPES]],
    );
    return r.rows.map(toOp);
  }

  async member(memberId: string): Promise<MemberView> {
    return memberView(await this.memberOps(), memberId);
  }

  async findMember(type: string, value: string): Promise<string | null> {
    return resolveIdentity(await this.memberOps(), type, value);
  }

  async allOps(scope?: string): Promise<Op[]> {
    const r = scope
      ? await this.driver.query<Row>(`SELECT * FROM ${this.T}.ops WHERE s = $1 ORDER BY id COLLATE "C"`, [scope])
      : await this.driver.query<Row>(`SELECT * FROM ${this.T}.ops ORDER BY id COLLATE "C"`);
    return r.rows.map(toOp);
  }

  async hold(ids: string[]): Promise<void> {
    await this.driver.query(`UPDATE ${this.T}.ops SET held = true WHERE id = ANY($1::text[])`, [ids]);
  }

  async heldCount(): Promise<number> {
    const r = await this.driver.query<{ c: string }>(`SELECT count(*) AS c FROM ${this.T}.ops WHERE held`);
    return Number(r.rows[0]?.c ?? 0);
  }

  async getMeta(key: string): Promise<string | null> {
    const r = await this.driver.query<{ value: string }>(`SELECT value FROM ${this.T}.meta WHERE key = $1`, [key]);
    return r.rows[0]?.value ?? null;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.driver.query(
      `INSERT INTO ${this.T}.meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [key, value],
    );
  }

  /** Drops the whole schema (tests use a throwaway schema per run). */
  async dropSchema(): Promise<void> {
    await this.driver.query(`DROP SCHEMA IF EXISTS ${this.T} CASCADE`);
  }

  async close(): Promise<void> {
    await this.driver.close();
    if (this.reader !== this.driver) await this.reader.close();
  }
}
