// Minimal query interface shared by node-postgres (a real server) and PGlite (embedded), so
// one Postgres adapter serves both.
import type { Pool } from 'pg';
import type { PGlite } from '@electric-sql/pglite';

export interface PgQuery {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

export interface PgDriver extends PgQuery {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(fn: (q: PgQuery) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function poolDriver(connectionString: string, max = 5): PgDriver {
  // node-postgres is imported by the first query, not with this module: the till and the hub reach
  // this file through sync/storage and never open a pool, and pg takes ~0.1 s to load (issue 19).
  // The pool connects on first use either way, so errors surface where they did.
  let pool: Promise<Pool> | null = null;
  const open = () => (pool ??= import('pg').then(({ default: pg }) => new pg.Pool({ connectionString, max })));
  return {
    kind: 'postgres',
    async query<T>(sql: string, params?: unknown[]) {
      const r = await (await open()).query(sql, params as unknown[]);
      return { rows: r.rows as T[] };
    },
    async transaction<T>(fn: (q: PgQuery) => Promise<T>): Promise<T> {
      const client = await (await open()).connect();
      try {
        await client.query('BEGIN');
        const q: PgQuery = {
          query: async <R>(sql: string, params?: unknown[]) => ({
            rows: (await client.query(sql, params as unknown[])).rows as R[],
          }),
        };
        const out = await fn(q);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      if (pool) await (await pool).end();
    },
  };
}

export async function pgliteDriver(dataDir?: string): Promise<PgDriver> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db: PGlite = new PGlite(dataDir);
  await db.waitReady;
  return {
    kind: 'pglite',
    async query<T>(sql: string, params?: unknown[]) {
      const r = await db.query<T>(sql, params as unknown[]);
      return { rows: r.rows };
    },
    async transaction<T>(fn: (q: PgQuery) => Promise<T>): Promise<T> {
      return db.transaction(async (tx) =>
        fn({
          query: async <R>(sql: string, params?: unknown[]) => ({
            rows: (await tx.query<R>(sql, params as unknown[])).rows,
          }),
        }),
      );
    },
    async close() {
      await db.close();
    },
  };
}
