// Fuzz channel 3 (docs/fuzzing.md): op batches at a real cloud sync process (PGlite) with a
// store-scoped device credential of store S001 — valid and invalid ops of every type, ops for
// another store or the chain, privileged author stamps, torn / garbled / non-gzip / lying-count
// bodies, a gzip bomb, missing or forged credentials; plus pulls and digests with random input.
// Invariants: no 5xx, the process stays up, a refused batch leaves none of its ops and an
// accepted one all of them (all-or-nothing), and — read from the cloud's own database after it
// stops — nothing the S001 device sent landed outside store S001.
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACT_KINDS, HybridClock, IDENTITY_TYPES, LWW_ENTITIES, MOVEMENT_KINDS, pgliteDriver } from '../../sync';
import { startProcess, type Proc } from '../sync/processes';
import { tempDir } from '../sync/helpers';
import { draw, FuzzCounts, pool, scaled } from './fuzz-support';

const ADMIN = `fuzz-admin-token-${process.pid}`;
const DEVICE = 'FZT01';
const OTHER = 'FZT02';

type Row = Record<string, unknown>;
interface Batch {
  rows: Row[];
  enc: 'gzip' | 'torn' | 'garbled' | 'plain' | 'count' | 'version' | 'empty' | 'junk';
  auth: 'device' | 'none' | 'forged' | 'other';
  cut: number;
}

const STORES = ['S001', 'S001', 'S001', 'S002', 'S00X', '', 'S001/../S002'];
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('100114', 'sku-1', 'S001', 'S002', 'x'.repeat(201)),
);
const scope = fc.oneof(
  { weight: 6, arbitrary: fc.constant('store:S001') },
  { weight: 1, arbitrary: fc.constantFrom('store:S002', 'chain', 'store:', 'store:S001 ', 'STORE:S001', '*') },
);
/** Author node of the stamp: the device itself mostly, sometimes a privileged or foreign one. */
const author = fc.oneof(
  { weight: 30, arbitrary: fc.constant(DEVICE) },
  { weight: 1, arbitrary: fc.constantFrom('HQ_1', 'C1234abcd', 'MGR_1', 'TECH_1', OTHER, `${DEVICE}_bf`, 'bad node!') },
);
const opRow: fc.Arbitrary<Row> = fc.oneof(
  fc.record({
    s: scope,
    t: fc.constant('mv'),
    e: fc.constantFrom(...STORES),
    k: text,
    f: fc.constantFrom(...MOVEMENT_KINDS, 'steal'),
    n: fc.oneof(fc.integer({ min: -50, max: 50 }), fc.constant(2 ** 60), fc.constant(1.5)),
    b: fc.constant(null),
  }),
  fc.record({
    s: scope,
    t: fc.constant('fact'),
    e: fc.constantFrom(...FACT_KINDS),
    k: fc.uuid(),
    f: fc.constant(''),
    n: fc.constant(null),
    b: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  }),
  fc.record({
    s: scope,
    t: fc.constant('set'),
    e: fc.constantFrom(...LWW_ENTITIES),
    k: text,
    f: fc.constantFrom('price', 'name', 'maxCashierDiscountPercent', ''),
    n: fc.constant(null),
    b: fc.jsonValue({ maxDepth: 1 }),
  }),
  fc.record({
    s: scope,
    t: fc.constant('ident'),
    e: text,
    k: text,
    f: fc.constantFrom(...IDENTITY_TYPES),
    n: fc.constant(null),
    b: fc.constant(null),
  }),
  fc.record({
    s: scope,
    t: fc.constant('pts'),
    e: text,
    k: text,
    f: text,
    n: fc.integer({ min: -1000, max: 1000 }),
    b: fc.constant(null),
  }),
  fc.record({
    s: scope,
    t: fc.constantFrom('tag', 'erase', 'merge', 'ff', 'nope'),
    e: text,
    k: text,
    f: fc.constantFrom('', 'add', 'rm'),
    n: fc.constant(null),
    b: fc.oneof(fc.constant(null), fc.jsonValue({ maxDepth: 1 })),
  }),
  fc.dictionary(fc.constantFrom('id', 's', 't', 'e', 'k', 'f', 'n', 'b', 'x'), fc.jsonValue({ maxDepth: 1 })),
);
/** Well-formed ops of the device's own store (the entity of a movement may still be another store). */
const goodRow: fc.Arbitrary<Row> = fc.oneof(
  fc.record({
    s: fc.constant('store:S001'),
    t: fc.constant('mv'),
    e: fc.constantFrom('S001', 'S001', 'S001', 'S002'),
    k: fc.constantFrom('100114', '100808', '200001'),
    f: fc.constantFrom('sale', 'return', 'receive', 'adjust', 'count'),
    n: fc.integer({ min: -20, max: 20 }),
    b: fc.constant(null),
  }),
  fc.record({
    s: fc.constant('store:S001'),
    t: fc.constant('fact'),
    e: fc.constantFrom('sale', 'sale_line', 'tender', 'shift', 'audit'),
    k: fc.uuid(),
    f: fc.constant(''),
    n: fc.constant(null),
    b: fc.record({ total: fc.nat(10_000), storeId: fc.constantFrom('S001', 'S002') }),
  }),
  fc.record({
    s: fc.constant('store:S001'),
    t: fc.constant('pts'),
    e: fc.constantFrom('m1', 'm2'),
    k: fc.uuid(),
    f: fc.constant('sale'),
    n: fc.integer({ min: -100, max: 100 }),
    b: fc.constant(null),
  }),
);
const batchArb: fc.Arbitrary<Batch & { authors: string[]; stampBad: number[] }> = fc.record({
  // Well-formed batches, the same with one hostile op somewhere (refused whole), and pure noise.
  rows: fc.oneof(
    { weight: 4, arbitrary: fc.array(goodRow, { minLength: 1, maxLength: 12 }) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.array(goodRow, { minLength: 1, maxLength: 11 }), opRow, fc.nat())
        .map(([rows, bad, at]) => [
          ...rows.slice(0, at % (rows.length + 1)),
          bad,
          ...rows.slice(at % (rows.length + 1)),
        ]),
    },
    { weight: 2, arbitrary: fc.array(opRow, { minLength: 1, maxLength: 12 }) },
  ),
  authors: fc.array(author, { minLength: 12, maxLength: 12 }),
  stampBad: fc.array(fc.nat(200), { minLength: 12, maxLength: 12 }),
  enc: fc.oneof(
    { weight: 14, arbitrary: fc.constant('gzip' as const) },
    { weight: 7, arbitrary: fc.constantFrom('torn', 'garbled', 'plain', 'count', 'version', 'empty', 'junk') },
  ),
  auth: fc.oneof(
    { weight: 12, arbitrary: fc.constant('device' as const) },
    { weight: 3, arbitrary: fc.constantFrom('none', 'forged', 'other') },
  ),
  cut: fc.nat(),
});

describe('fuzz: sync batches at the cloud process', () => {
  let cloud: Proc;
  let dataDir: string;
  const counts = new FuzzCounts('sync-cloud');
  const tokens: Record<string, string> = {};

  async function post(
    path: string,
    body: Buffer | string,
    token: string | undefined,
    type = 'application/x-pos-ops+gzip',
  ): Promise<{ status: number; body: any }> {
    const r = await fetch(`${cloud.info.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body as unknown as BodyInit,
    });
    const t = Buffer.from(await r.arrayBuffer());
    let parsed: any = null;
    try {
      parsed = JSON.parse(t.toString('utf8'));
    } catch {
      parsed = (r.headers.get('content-type') ?? '').includes('gzip') ? { ok: true } : null;
    }
    return { status: r.status, body: parsed };
  }

  beforeAll(async () => {
    dataDir = tempDir('fuzz-cloud');
    // Its own embedded database (never the shared Postgres of DATABASE_URL): the device ids are
    // fixed, so a second run against a kept database would meet them already enrolled.
    cloud = await startProcess('sync/cloud/main.ts', {
      DATABASE_URL: '',
      CLOUD_PORT: '0',
      CLOUD_DATA_DIR: dataDir,
      CLOUD_ADMIN_TOKEN: ADMIN,
      LOG_LEVEL: 'fatal',
    });
    for (const [device, store] of [
      [DEVICE, 'S001'],
      [OTHER, 'S002'],
    ] as const) {
      const code = (
        await post(
          '/sync/admin/enroll-codes',
          JSON.stringify({ storeId: store, role: 'terminal' }),
          ADMIN,
          'application/json',
        )
      ).body.code;
      tokens[device] = (
        await post('/sync/enroll', JSON.stringify({ code, deviceId: device }), undefined, 'application/json')
      ).body.token;
    }
  });
  afterAll(async () => {
    counts.report();
    await cloud?.stop();
  });

  it('never answers 5xx, applies batches all-or-nothing and keeps every write inside the device store', async () => {
    const clocks: Record<string, HybridClock> = {};
    const stampBy = (node: string) => {
      if (!/^[A-Za-z0-9_]{1,24}$/.test(node)) return `000000000000${node}`;
      clocks[node] ??= new HybridClock({ nodeId: node, now: Date.now });
      return clocks[node]!.tick();
    };
    const batches = draw('sync', batchArb, scaled(600));
    const accepted: string[][] = [];
    const answers: Record<string, number> = {};
    const refused: string[][] = [];
    let dead = false;
    await pool(batches, 4, async (b, i) => {
      if (dead) return;
      const rows: Row[] = b.rows.map((r, j) => {
        const bad = b.stampBad[j]!;
        // Mostly a good stamp; sometimes one far in the future, malformed, or missing.
        const id =
          bad === 0
            ? `zzzzzzzzzzzz${DEVICE}`
            : bad === 1
              ? 'not-a-stamp'
              : bad === 2
                ? undefined
                : stampBy(b.authors[j]!);
        return { ...r, id };
      });
      const c = {
        id: rows.map((r) => r.id),
        s: rows.map((r) => r.s),
        t: rows.map((r) => r.t),
        e: rows.map((r) => r.e),
        k: rows.map((r) => r.k),
        f: rows.map((r) => r.f),
        n: rows.map((r) => r.n ?? null),
        b: rows.map((r) => r.b ?? null),
      };
      const json = JSON.stringify({
        v: b.enc === 'version' ? 2 : 1,
        count: rows.length + (b.enc === 'count' ? 1 : 0),
        ops: c,
      });
      const gz = gzipSync(json);
      const body =
        b.enc === 'torn'
          ? gz.subarray(0, b.cut % gz.length)
          : b.enc === 'garbled'
            ? Buffer.from(gz.map((x, j) => (j === 10 + (b.cut % Math.max(1, gz.length - 10)) ? x ^ 0xff : x)))
            : b.enc === 'plain'
              ? Buffer.from(json)
              : b.enc === 'empty'
                ? Buffer.alloc(0)
                : b.enc === 'junk'
                  ? gzipSync(
                      Buffer.from(
                        '{"v":1,"count":1,"ops":{"id":[{}],"s":[[]],"t":[1],"e":[null],"k":[true],"f":[{}],"n":["1"],"b":[1]}}',
                      ),
                    )
                  : gz;
      const token =
        b.auth === 'device'
          ? tokens[DEVICE]
          : b.auth === 'other'
            ? tokens[OTHER]
            : b.auth === 'forged'
              ? `${tokens[DEVICE]!.split('.')[0]}.AAAA`
              : undefined;
      let r: { status: number; body: any };
      try {
        r = await post('/sync/push', body, token);
      } catch (err) {
        dead = true;
        counts.fail('sync', `request failed (${(err as Error).message}): ${cloud.output().slice(-1500)}`, {
          i,
          enc: b.enc,
        });
        return;
      }
      counts.add('sync.push');
      const code = `${r.status} ${r.body?.error?.code ?? 'ok'}`;
      answers[code] = (answers[code] ?? 0) + 1;
      const ids = rows.map((x) => x.id).filter((x): x is string => typeof x === 'string');
      if (r.status >= 500)
        counts.fail('sync', `push answered ${r.status} ${JSON.stringify(r.body)}`, {
          i,
          enc: b.enc,
          auth: b.auth,
          rows,
        });
      else if (!r.body || typeof r.body.ok !== 'boolean')
        counts.fail('sync', `push answer is not JSON (${r.status})`, { i, enc: b.enc });
      else if (r.status === 200 && r.body.ok) {
        if (b.auth === 'device' && !r.body.skipped) accepted.push(ids);
      } else refused.push(ids);
      // Pulls and digests with random input, now and then.
      if (i % 8 === 0) {
        const pull = await post(
          '/sync/pull',
          JSON.stringify({ cursor: (b.cut % 5000) - 10, limit: b.cut % 7000 || 1, echo: b.cut % 2 === 0 }),
          token,
          'application/json',
        );
        counts.add('sync.pull');
        if (pull.status >= 500) counts.fail('sync', `pull answered ${pull.status}`, { i });
      }
    });

    // Hostile bodies that need no generator: a gzip bomb, a huge plain body, a pull of junk.
    const bomb = gzipSync(Buffer.alloc(256 * 1024 * 1024));
    for (const [path, body, type] of [
      ['/sync/push', bomb, 'application/x-pos-ops+gzip'],
      ['/sync/pull', '{"cursor":', 'application/json'],
      ['/sync/enroll', '{"code":"x","deviceId":"../.."}', 'application/json'],
    ] as const) {
      const r = await post(path, body, tokens[DEVICE], type).catch((e: Error) => ({ status: -1, body: e.message }));
      counts.add('sync.hostile');
      if (r.status >= 500 || r.status < 0)
        counts.fail('sync', `${path} answered ${r.status} ${JSON.stringify(r.body)}`, path);
    }
    const health = await fetch(`${cloud.info.url}/health`)
      .then((r) => r.status)
      .catch((e: Error) => e.message);
    expect(health).toBe(200);
    await cloud.stop();

    // The cloud's own database: where did the S001 device's ops land?
    const db = await pgliteDriver(dataDir);
    try {
      const ops = (
        await db.query<{ id: string; s: string; t: string; e: string; k: string; origin: string }>(
          'SELECT id, s, t, e, k, origin FROM sync.ops',
        )
      ).rows;
      counts.add('sync.stored', ops.length);
      const have = new Set(ops.map((o) => o.id));
      for (const o of ops) {
        if (o.origin !== DEVICE) continue;
        if (o.s !== 'store:S001') counts.fail('sync', `device of S001 wrote into scope ${o.s}`, o);
        if (o.t === 'mv' && o.e !== 'S001') counts.fail('sync', `device of S001 moved stock of store ${o.e}`, o);
        if (o.t === 'fact' && (o.e === 'device_revoked' || o.e === 'online_order'))
          counts.fail('sync', `device of S001 wrote a ${o.e} fact`, o);
      }
      for (const ids of refused)
        if (ids.some((x) => have.has(x))) counts.fail('sync', 'a refused batch left ops behind', ids);
      for (const ids of accepted)
        if (!ids.every((x) => have.has(x))) counts.fail('sync', 'an accepted batch is missing ops', ids);
      console.log(
        JSON.stringify({
          fuzz: 'sync-cloud',
          accepted: accepted.length,
          refused: refused.length,
          stored: ops.length,
          answers,
        }),
      );
    } finally {
      await db.close();
    }
    expect(counts.failures, counts.failures.join('\n')).toEqual([]);
    expect(accepted.length).toBeGreaterThan(0);
  }, 600_000);
});
