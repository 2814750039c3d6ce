// Enrollment, device identity and abuse limits of the cloud, on real sockets (PGlite or
// Postgres). A device is its store plus its terminal id: every till defaults to `T01`, so a
// second store's `T01` must not replace the first. Re-enrolling a live device of the same store
// needs a technician's `replace: true`. Wrong pairing codes back off per source address (other
// loopback addresses 127.0.0.x stand in for other machines) and per store, with Retry-After.
// Member lookups are limited per store, so fresh enrollments do not buy more quota.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import Database from 'better-sqlite3';
import { startCloud, createSyncClient, HybridClock, OpFactory, encodeBatch, type CloudHandle } from '../../sync';
import { cloudDb, dropCloudSchema, postJson, postRaw, quietLog } from './helpers';

const ADMIN = 'enroll-test-admin-token';
const DEMO_CODE = 'DEMO-ENROLL-TEST';
const logLines: string[] = [];
const log = pino(
  { level: 'warn' },
  new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  }),
);
const { databaseUrl, schema } = cloudDb('enroll');
let cloud: CloudHandle;
const ops = new OpFactory(new HybridClock({ nodeId: 'X1', now: Date.now }));

/** POST from a chosen loopback source address (Linux routes all of 127/8 to lo). */
function postFrom(
  source: string,
  path: string,
  body: unknown,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: cloud.port,
        path,
        method: 'POST',
        localAddress: source,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      },
      (res) => {
        let data = '';
        res.on('data', (d) => {
          data += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(data) }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

const newCode = async (storeId: string) =>
  (await postJson(`${cloud.url}/sync/admin/enroll-codes`, { storeId }, ADMIN)).body.code as string;
const push = (token: string, storeId: string) =>
  postRaw(`${cloud.url}/sync/push`, encodeBatch([ops.move(storeId, 'enroll-sku', 'sale', 1)]), token);

beforeAll(async () => {
  cloud = await startCloud({
    port: 0,
    databaseUrl,
    schema,
    adminToken: ADMIN,
    demo: true,
    demoEnrollCode: DEMO_CODE,
    demoStoreId: 'S1',
    log,
  });
});

afterAll(async () => {
  await cloud?.close();
  await dropCloudSchema(schema);
});

describe('device identity is store + terminal id', () => {
  it("enrolling T01 in store S2 leaves store S1's T01 working", async () => {
    const s1 = await postJson(`${cloud.url}/sync/enroll`, { code: await newCode('ID1'), deviceId: 'T01' });
    expect(s1.status).toBe(200);
    // Another store pairs its till later (the old rule forgave a credential 1 s older than the latest enrollment).
    await new Promise((r) => setTimeout(r, 1500));
    const s2 = await postJson(`${cloud.url}/sync/enroll`, { code: await newCode('ID2'), deviceId: 'T01' });
    expect(s2.status).toBe(200);
    expect(s2.body.storeId).toBe('ID2');
    // Before the fix S1's till got 403 REVOKED "replaced by a newer enrollment" here.
    const r1 = await push(s1.body.token, 'ID1');
    expect(r1.body.error).toBeUndefined();
    expect(r1.status).toBe(200);
    expect((await push(s2.body.token, 'ID2')).status).toBe(200);
  });

  it('re-enrolling a live till of the same store needs replace: true, and the code is not used up by the refusal', async () => {
    const first = await postJson(`${cloud.url}/sync/enroll`, { code: await newCode('ID3'), deviceId: 'T01' });
    const code = await newCode('ID3');
    const refused = await postJson(`${cloud.url}/sync/enroll`, { code, deviceId: 'T01' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('CONFLICT');
    expect(refused.body.error.message).toMatch(/already enrolled in store ID3.*replace: true/);
    expect((await push(first.body.token, 'ID3')).status).toBe(200);
    // The same code still works once a technician confirms the replacement.
    const replaced = await postJson(`${cloud.url}/sync/enroll`, { code, deviceId: 'T01', replace: true });
    expect(replaced.status).toBe(200);
    expect((await push(replaced.body.token, 'ID3')).status).toBe(200);
    const old = await push(first.body.token, 'ID3');
    expect(old.status).toBe(403);
    expect(old.body.error.code).toBe('REVOKED');
  });

  it('the demo code cannot take over a live till either', async () => {
    const first = await postJson(`${cloud.url}/sync/enroll`, { code: DEMO_CODE, deviceId: 'TD1' });
    expect(first.status).toBe(200);
    expect((await postJson(`${cloud.url}/sync/enroll`, { code: DEMO_CODE, deviceId: 'TD1' })).status).toBe(409);
    expect((await push(first.body.token, 'S1')).status).toBe(200);
  });

  it('a reinstalled till is told to confirm the replacement, and ENROLL_REPLACE takes over', async () => {
    const till = (replace?: boolean) =>
      createSyncClient({
        db: new Database(':memory:'),
        cloudUrl: cloud.url,
        enrollCode: DEMO_CODE,
        storeId: 'S1',
        terminalId: 'TRI',
        log: quietLog,
        intervalMs: 60_000,
        enrollReplace: replace,
      });
    const first = till();
    await first.syncNow();
    const reinstalled = till();
    await expect(reinstalled.syncNow()).rejects.toThrow(/already enrolled in store S1/);
    const confirmed = till(true);
    await confirmed.syncNow();
    await expect(first.syncNow()).rejects.toThrow(/replaced by a newer enrollment/);
    for (const t of [first, reinstalled, confirmed]) await t.stop();
  });

  it('a code of another store is refused before it is used up', async () => {
    const code = await newCode('ID4');
    const wrong = await postJson(`${cloud.url}/sync/enroll`, { code, deviceId: 'T02', storeId: 'ID5' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.message).toMatch(/for store ID4/);
    expect((await postJson(`${cloud.url}/sync/enroll`, { code, deviceId: 'T02', storeId: 'ID4' })).status).toBe(200);
  });

  it('revoking an id two stores share needs the store; a revoked till re-pairs without replace', async () => {
    const a = await postJson(`${cloud.url}/sync/enroll`, { code: await newCode('ID6'), deviceId: 'TR' });
    const b = await postJson(`${cloud.url}/sync/enroll`, { code: await newCode('ID7'), deviceId: 'TR' });
    const ambiguous = await postJson(`${cloud.url}/sync/admin/revoke`, { deviceId: 'TR' }, ADMIN);
    expect(ambiguous.status).toBe(409);
    expect(ambiguous.body.error.message).toMatch(/ID6, ID7/);
    expect((await postJson(`${cloud.url}/sync/admin/revoke`, { deviceId: 'TR', storeId: 'ID6' }, ADMIN)).status).toBe(
      200,
    );
    expect((await push(a.body.token, 'ID6')).body.error.code).toBe('REVOKED');
    expect((await push(b.body.token, 'ID7')).status).toBe(200);
    expect((await postJson(`${cloud.url}/sync/enroll`, { code: await newCode('ID6'), deviceId: 'TR' })).status).toBe(
      200,
    );
  });
});

describe('pairing-code guessing backs off', () => {
  it('per source address: after 5 wrong codes a 429 with Retry-After that doubles, even for a right code', async () => {
    const source = '127.0.0.2';
    for (let i = 0; i < 5; i++) {
      const r = await postFrom(source, '/sync/enroll', { code: `GUESS-${i}`, deviceId: 'TG' });
      expect(r.status).toBe(401);
    }
    const good = await newCode('G1');
    const throttled = await postFrom(source, '/sync/enroll', { code: good, deviceId: 'TG' });
    expect(throttled.status).toBe(429);
    expect(throttled.body.error.code).toBe('RATE_LIMITED');
    expect(throttled.headers['retry-after']).toBe('1');
    // Another machine is not held back by this one.
    expect((await postFrom('127.0.0.3', '/sync/enroll', { code: good, deviceId: 'TG' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await postFrom(source, '/sync/enroll', { code: 'GUESS-6', deviceId: 'TG' })).status).toBe(401);
    const longer = await postFrom(source, '/sync/enroll', { code: 'GUESS-7', deviceId: 'TG' });
    expect(longer.status).toBe(429);
    expect(longer.headers['retry-after']).toBe('2');
  });

  it('per store: wrong codes from many addresses for one store back off that store only', async () => {
    for (let i = 0; i < 10; i++) {
      expect(
        (
          await postFrom(`127.0.1.${i + 1}`, '/sync/enroll', {
            code: `STORE-GUESS-${i}`,
            deviceId: 'TS',
            storeId: 'G2',
          })
        ).status,
      ).toBe(401);
    }
    const r = await postFrom('127.0.1.50', '/sync/enroll', {
      code: await newCode('G2'),
      deviceId: 'TS',
      storeId: 'G2',
    });
    expect(r.status).toBe(429);
    expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(
      (await postFrom('127.0.1.50', '/sync/enroll', { code: await newCode('G3'), deviceId: 'TS', storeId: 'G3' }))
        .status,
    ).toBe(200);
    const health = await (await fetch(`${cloud.url}/health`)).json();
    expect(health.limits.enrollThrottled).toBeGreaterThanOrEqual(2);
    expect(health.limits.enrollFailures).toBe(16);
    expect(logLines.some((l) => l.includes('pairing attempts throttled'))).toBe(true);
  });
});

describe('member lookups are limited per store, not per enrollment', () => {
  it('five fresh enrollments do not give five times the quota', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 5; i++)
      tokens.push((await postJson(`${cloud.url}/sync/enroll`, { code: DEMO_CODE, deviceId: `TL${i}` })).body.token);
    let ok = 0;
    let refused = 0;
    let retryAfter: string | null = null;
    const started = Date.now();
    for (let i = 0; i < 300; i++) {
      const r = await fetch(`${cloud.url}/sync/members/lookup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i % 5]}` },
        body: JSON.stringify({ type: 'code', value: `NOBODY-${i}` }),
      });
      await r.arrayBuffer();
      if (r.status === 200) ok += 1;
      else if (r.status === 429) {
        refused += 1;
        retryAfter = r.headers.get('retry-after');
      }
    }
    // 120 a minute per store (the bucket refills 2 a second while the run lasts), not 5 × 60.
    const refill = Math.ceil(((Date.now() - started) / 1000) * 2);
    expect(ok).toBeLessThanOrEqual(120 + refill);
    expect(ok).toBeLessThan(200);
    expect(ok).toBeGreaterThanOrEqual(120);
    expect(refused).toBe(300 - ok);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    const health = await (await fetch(`${cloud.url}/health`)).json();
    expect(health.limits.memberLookupsRefused).toBe(refused);
    expect(logLines.some((l) => l.includes('member lookups over the limit') && l.includes('"by":"store"'))).toBe(true);
  });
});

// Last: its refused code counts in the /health failure counter the back-off tests check exactly.
describe('pairing codes expire (issue 19)', () => {
  it('a code made by the admin API is valid for 2 h and refused, unused, once past its expiry', async () => {
    const made = (await postJson(`${cloud.url}/sync/admin/enroll-codes`, { storeId: 'S7' }, ADMIN)).body;
    const ttl = Date.parse(made.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(119 * 60_000);
    expect(ttl).toBeLessThanOrEqual(120 * 60_000 + 5_000);
    const short = (await postJson(`${cloud.url}/sync/admin/enroll-codes`, { storeId: 'S7', ttlMinutes: 5 }, ADMIN))
      .body;
    expect(Date.parse(short.expiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000 + 5_000);
    // Two hours later, as far as the database is concerned.
    const T = cloud.storage.table;
    await cloud.storage.db.query(
      `UPDATE ${T}.enroll_codes SET expires_at = now() - interval '1 second' WHERE code = $1`,
      [made.code],
    );
    const late = await postFrom('127.0.0.71', '/sync/enroll', { code: made.code, deviceId: 'T01' });
    expect(late.status).toBe(401);
    expect(late.body.error.message).toMatch(/expired/);
    const row = await cloud.storage.db.query<{ used_by: string | null }>(
      `SELECT used_by FROM ${T}.enroll_codes WHERE code = $1`,
      [made.code],
    );
    expect(row.rows[0]!.used_by).toBeNull();
    // The short code, still in time, pairs.
    const ok = await postFrom('127.0.0.71', '/sync/enroll', { code: short.code, deviceId: 'T01' });
    expect(ok.status).toBe(200);
    expect(ok.body.storeId).toBe('S7');
  });
});
