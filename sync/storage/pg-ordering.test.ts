// Per-scope ordering of the Postgres adapter: stores write in parallel (each under its own lock,
// chain writes under the exclusive one) while devices page through their store + chain with one
// sequence cursor. Every reader must end with exactly its scopes' ops, none skipped, none twice,
// and a cursor handed out before the upgrade (old schema, one global lock) must keep working.
// Real Postgres where DATABASE_URL is set (throwaway schemas), embedded PGlite otherwise.
import { afterAll, describe, expect, it } from 'vitest';
import { HybridClock, OpFactory, type Op } from '../core';
import { PgSyncStorage } from './pg-storage';
import { pgliteDriver, poolDriver, type PgDriver } from './pg-driver';

const url = process.env['DATABASE_URL'];
const run = `${Date.now().toString(36)}_${process.pid}`;
let n = 0;
const opened: PgSyncStorage[] = [];
let lite: PgDriver | undefined;
const BATCHES = 25;
const CHAIN_BATCHES = 15;

async function open(): Promise<PgSyncStorage> {
  const schema = `t_ord_${run}_${n++}`;
  let s: PgSyncStorage;
  if (url) {
    s = await PgSyncStorage.open(poolDriver(url, 8), schema, { reads: poolDriver(url, 4) });
  } else {
    lite ??= await pgliteDriver();
    s = await PgSyncStorage.open({ ...lite, close: async () => {} }, schema);
  }
  opened.push(s);
  return s;
}

afterAll(async () => {
  for (const s of opened) {
    await s.dropSchema();
    await s.close();
  }
  await lite?.close();
});

function factory(node: string): OpFactory {
  let t = 1_700_000_000_000;
  return new OpFactory(new HybridClock({ nodeId: node, now: () => (t += 1) }));
}

async function drain(s: PgSyncStorage, after: number, scopes: string[], got: string[]): Promise<number> {
  for (;;) {
    const page = await s.readSince({ after, scopes, limit: 37 });
    got.push(...page.ops.map((o) => o.id));
    after = page.last;
    if (!page.more) return after;
  }
}

describe(`Postgres adapter: per-scope ordering (${url ? 'Postgres' : 'PGlite'})`, () => {
  // PGlite is one embedded connection: nothing would run in parallel there.
  it.skipIf(!url)('keeps every reader exact while stores and the chain write in parallel', async () => {
    const s = await open();
    const stores = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'];
    const written = new Map<string, string[]>(stores.map((st) => [`store:${st}`, []]));
    written.set('chain', []);
    let writing = true;
    const writers = stores.map(async (st, i) => {
      const f = factory(`T${i}`);
      for (let b = 0; b < BATCHES; b++) {
        const batch = Array.from({ length: 40 }, (_, j) => f.move(st, `sku${j % 7}`, 'sale', 1));
        await s.apply(batch, `dev${i}`);
        written.get(`store:${st}`)!.push(...batch.map((o) => o.id));
      }
    });
    const chainWriter = (async () => {
      const f = factory('HQ');
      for (let b = 0; b < CHAIN_BATCHES; b++) {
        const batch = [f.set('chain', 'product', `p${b}`, 'price', b * 10)];
        await s.apply(batch, 'hq');
        written.get('chain')!.push(...batch.map((o) => o.id));
        await new Promise((r) => setTimeout(r, 3));
      }
    })();
    // Readers poll while the writes land, like devices pulling under load.
    const readers = stores.map(async (st) => {
      const got: string[] = [];
      let cursor = 0;
      while (writing) {
        cursor = await drain(s, cursor, [`store:${st}`, 'chain'], got);
        await new Promise((r) => setTimeout(r, 2));
      }
      await drain(s, cursor, [`store:${st}`, 'chain'], got);
      return got;
    });
    const hq = (async () => {
      const got: string[] = [];
      let cursor = 0;
      while (writing) {
        cursor = await drain(s, cursor, [...written.keys()], got);
        await new Promise((r) => setTimeout(r, 5));
      }
      await drain(s, cursor, [...written.keys()], got);
      return got;
    })();
    await Promise.all([...writers, chainWriter]);
    writing = false;
    const results = await Promise.all(readers);
    results.forEach((got, i) => {
      const want = [...written.get(`store:${stores[i]}`)!, ...written.get('chain')!];
      expect(new Set(got).size).toBe(got.length);
      expect([...got].sort()).toEqual([...want].sort());
    });
    const all = await hq;
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe([...written.values()].reduce((a, ids) => a + ids.length, 0));
    // The digests still count every op once.
    const d = await s.digests(['store:S1']);
    expect(d['store:S1']).toMatch(new RegExp(`^${BATCHES * 40}:`));
  });

  it('keeps a cursor from before the upgrade exact (old schema, old global-lock rows)', async () => {
    // The schema as the previous version left it: no (s, seq) index, no apply_ops function.
    const schema = `t_ord_${run}_${n++}`;
    const T = `"${schema}"`;
    const driver: PgDriver = url ? poolDriver(url, 2) : { ...(lite ??= await pgliteDriver()), close: async () => {} };
    await driver.query(`CREATE SCHEMA ${T}`);
    await driver.query(`CREATE TABLE ${T}.ops (
        seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE,
        s text NOT NULL, t text NOT NULL, e text NOT NULL, k text NOT NULL, f text NOT NULL,
        n bigint, b text, origin text NOT NULL DEFAULT '', held boolean NOT NULL DEFAULT false)`);
    await driver.query(`CREATE TABLE ${T}.digest (s text PRIMARY KEY, count bigint NOT NULL, sum bigint NOT NULL)`);
    await driver.query(`CREATE TABLE ${T}.meta (key text PRIMARY KEY, value text NOT NULL)`);
    const f = factory('OLD');
    const old: Op[] = [
      ...Array.from({ length: 10 }, () => f.move('S1', 'a', 'sale', 1)),
      ...Array.from({ length: 10 }, () => f.move('S2', 'a', 'sale', 1)),
      f.set('chain', 'product', 'a', 'price', 100),
    ];
    for (const o of old)
      await driver.query(`INSERT INTO ${T}.ops (id, s, t, e, k, f, n, b) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
        o.id,
        o.s,
        o.t,
        o.e,
        o.k,
        o.f,
        o.n,
        o.b === null ? null : JSON.stringify(o.b),
      ]);
    // The terminal of S1 had pulled the first 5 of its ops: its stored cursor is their seq.
    const seq5 = Number(
      (await driver.query<{ seq: string }>(`SELECT seq FROM ${T}.ops WHERE id = $1`, [old[4]!.id])).rows[0]!.seq,
    );
    await driver.close();
    const s = url
      ? await PgSyncStorage.open(poolDriver(url, 4), schema, { reads: poolDriver(url, 2) })
      : await PgSyncStorage.open({ ...lite!, close: async () => {} }, schema);
    opened.push(s);
    const fresh = Array.from({ length: 8 }, () => f.move('S1', 'a', 'sale', 1));
    await s.apply(fresh, 'dev');
    await s.apply([f.move('S2', 'a', 'sale', 1)], 'dev');
    const got: string[] = [];
    await drain(s, seq5, ['store:S1', 'chain'], got);
    expect(got).toEqual([...old.slice(5, 10), old[20]!, ...fresh].map((o) => o.id));
    // PGlite boots inside this test; on a loaded 2-core box that alone can take a minute.
  }, 180_000);
});
