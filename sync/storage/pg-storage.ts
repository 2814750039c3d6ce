// Postgres adapter for the cloud (node-postgres against a real server, or embedded PGlite).
// Writers serialise on a transaction-scoped advisory lock so the sequence order equals commit
// order: a reader paging by sequence can never skip a row committed late. That keeps several
// stateless cloud instances on one database safe.
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

const MOD = 2 ** 48;
const CHUNK = 5000;

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

export class PgSyncStorage implements SyncStorage {
  readonly kind: 'pglite' | 'postgres';
  private readonly T: string;
  private readonly lockKey: number;

  private constructor(
    private readonly driver: PgDriver,
    readonly schema: string,
  ) {
    this.kind = driver.kind;
    this.T = `"${schema}"`;
    let h = 0;
    for (const c of schema) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
    this.lockKey = h;
  }

  /** Opens the adapter on a schema (created if missing); `schema` lets parallel test runs coexist. */
  static async open(driver: PgDriver, schema = 'sync'): Promise<PgSyncStorage> {
    if (!/^[a-z_][a-z0-9_]{0,50}$/.test(schema)) throw new Error(`bad schema name: ${schema}`);
    const s = new PgSyncStorage(driver, schema);
    await s.migrate();
    return s;
  }

  private async migrate(): Promise<void> {
    const T = this.T;
    await this.driver.transaction(async (q) => {
      await q.query(`SELECT pg_advisory_xact_lock(${this.lockKey})`);
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
    });
  }

  /** Raw access for the cloud's own tables (devices, enrollment codes) in the same schema. */
  get db(): PgDriver {
    return this.driver;
  }

  get table(): string {
    return this.T;
  }

  async apply(ops: Op[], origin: string): Promise<ApplyResult> {
    if (ops.length === 0) return { applied: 0, duplicates: 0, appliedOps: [] };
    const T = this.T;
    return this.driver.transaction(async (q) => {
      await q.query(`SELECT pg_advisory_xact_lock(${this.lockKey})`);
      // Under the lock nobody else writes, so rows with seq above this are exactly ours. Counting
      // inside Postgres instead of RETURNING every id keeps big batches cheap (notably on PGlite).
      const before = Number(
        (await q.query<{ m: string }>(`SELECT COALESCE(MAX(seq), 0) AS m FROM ${T}.ops`)).rows[0]?.m ?? 0,
      );
      let inserted = 0;
      for (let i = 0; i < ops.length; i += CHUNK) {
        const chunk = ops.slice(i, i + CHUNK);
        // One JSON parameter parsed by Postgres is much cheaper than nine array parameters,
        // especially on PGlite where every parameter crosses the wasm boundary as text.
        const rows = chunk.map((o) => [
          o.id,
          o.s,
          o.t,
          o.e,
          o.k,
          o.f,
          o.n,
          o.b === null || o.b === undefined ? null : JSON.stringify(o.b),
          origin,
        ]);
        const r = await q.query<{ c: number }>(
          `WITH ins AS (INSERT INTO ${T}.ops (id, s, t, e, k, f, n, b, origin)
             SELECT r->>0, r->>1, r->>2, r->>3, r->>4, r->>5, (r->>6)::bigint, r->>7, r->>8 FROM json_array_elements($1::json) AS r
             ON CONFLICT (id) DO NOTHING RETURNING 1)
           SELECT count(*)::int AS c FROM ins`,
          [JSON.stringify(rows)],
        );
        inserted += Number(r.rows[0]?.c ?? 0);
      }
      let applied: Op[];
      if (inserted === ops.length) {
        // A batch may repeat an op id; ON CONFLICT then stores it once, so this only holds for distinct ids.
        applied = ops;
      } else {
        const ids = new Set(
          (await q.query<{ id: string }>(`SELECT id FROM ${T}.ops WHERE seq > $1`, [before])).rows.map((r) => r.id),
        );
        applied = ops.filter((o) => ids.delete(o.id));
      }
      const perScope = new Map<string, { count: number; sum: number }>();
      let touchesMembers = false;
      for (const op of applied) {
        const d = perScope.get(op.s) ?? { count: 0, sum: 0 };
        d.count += 1;
        d.sum = (d.sum + opHash(op.id)) % MOD;
        perScope.set(op.s, d);
        if (op.t === 'erase' || op.t === 'merge' || op.t === 'ident' || (op.t === 'set' && op.e === 'member'))
          touchesMembers = true;
      }
      for (const [s, d] of perScope) {
        await q.query(
          `INSERT INTO ${T}.digest (s, count, sum) VALUES ($1, $2, $3)
          ON CONFLICT (s) DO UPDATE SET count = ${T}.digest.count + excluded.count, sum = (${T}.digest.sum + excluded.sum) % 281474976710656`,
          [s, d.count, d.sum],
        );
      }
      if (touchesMembers) await this.scrubErased(q);
      return { applied: applied.length, duplicates: ops.length - applied.length, appliedOps: applied };
    });
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
    // Highest committed sequence first: the page query then sees at least every row up to it,
    // so the cursor can move past rows the filters skip without ever skipping a matching one.
    const max = await this.lastSeq();
    const rows = (
      await this.driver.query<Row>(
        `SELECT seq, id, s, t, e, k, f, n, b FROM ${this.T}.ops WHERE seq > $1 AND seq <= $2 AND NOT held AND origin <> $3 AND s = ANY($4::text[]) ORDER BY seq LIMIT $5`,
        [q.after, max, q.excludeOrigin ?? '\u0001', q.scopes, q.limit + 1],
      )
    ).rows;
    const more = rows.length > q.limit;
    const page = more ? rows.slice(0, q.limit) : rows;
    const last = more ? Number(page[page.length - 1]!.seq) : Math.max(q.after, max);
    return { ops: page.map(toOp), last, more };
  }

  async countSince(q: Omit<ReadQuery, 'limit'>): Promise<number> {
    const r = await this.driver.query<{ c: string }>(
      `SELECT count(*) AS c FROM ${this.T}.ops WHERE seq > $1 AND NOT held AND origin <> $2 AND s = ANY($3::text[])`,
      [q.after, q.excludeOrigin ?? '\u0001', q.scopes],
    );
    return Number(r.rows[0]?.c ?? 0);
  }

  async lastSeq(): Promise<number> {
    const r = await this.driver.query<{ m: string }>(`SELECT COALESCE(MAX(seq), 0) AS m FROM ${this.T}.ops`);
    return Number(r.rows[0]?.m ?? 0);
  }

  async scopes(): Promise<string[]> {
    return (await this.driver.query<{ s: string }>(`SELECT s FROM ${this.T}.digest ORDER BY s COLLATE "C"`)).rows.map(
      (r) => r.s,
    );
  }

  async digests(scopes: string[]): Promise<Record<string, string>> {
    const r = await this.driver.query<{ s: string; count: string; sum: string }>(
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
  }
}
