// Member lookup on demand, on real sockets: a cloud (PGlite or Postgres), a store hub for S1
// and terminal sync clients. Members live in the cloud: one of store S1, one of store S2 (not
// replicated to S1), one erased. The terminal looks them up through the hub (which asks the
// cloud with the terminal's credential) or the cloud directly; offline it gets a clear error.
// Every log line of the cloud, the hub and the terminals is captured: no phone number in them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import pino from 'pino';
import {
  HybridClock,
  OpFactory,
  MemberLookupError,
  createSyncClient,
  startCloud,
  startSyncHub,
  type CloudHandle,
  type SyncHub,
  type TerminalSync,
} from '../../sync';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';
import { cloudDb, dropCloudSchema, postJson, tempDir } from './helpers';

const CODE = 'DEMO-MEMBER-2026';
const PHONE_S1 = '13800138000';
const PHONE_S2 = '13900139000';
const PHONE_ERASED = '13700137000';
const PHONE_NOBODY = '13600136000';
const PHONES = [PHONE_S1, PHONE_S2, PHONE_ERASED, PHONE_NOBODY];

const logText: string[] = [];
const capture = (name: string) =>
  pino(
    { name, level: 'trace' },
    new Writable({
      write(chunk, _enc, cb) {
        logText.push(String(chunk));
        cb();
      },
    }),
  );

let cloud: CloudHandle;
let hub: SyncHub;
let hubToCloud: TcpProxy;
let termToCloud: TcpProxy;
const { databaseUrl, schema } = cloudDb('members');
const clients: TerminalSync[] = [];

function terminal(nodeId: string, urls: { hubUrl?: string; cloudUrl?: string }): TerminalSync {
  const t = createSyncClient({
    db: new Database(':memory:'),
    enrollCode: CODE,
    storeId: 'S1',
    terminalId: nodeId,
    log: capture(`term-${nodeId}`),
    ...urls,
  });
  clients.push(t);
  return t;
}

beforeAll(async () => {
  cloud = await startCloud({
    port: 0,
    databaseUrl,
    schema,
    demo: true,
    demoEnrollCode: CODE,
    demoStoreId: 'S1',
    log: capture('cloud'),
  });
  const ops = new OpFactory(new HybridClock({ nodeId: 'HQ', now: Date.now }));
  await cloud.storage.apply(
    [
      // A member of store S1, with personal fields that must not leave the cloud.
      ops.set('store:S1', 'member', 'M1', 'name', '王小明'),
      ops.set('store:S1', 'member', 'M1', 'birthday', '1990-01-02'),
      ops.set('store:S1', 'member', 'M1', 'phone', PHONE_S1),
      ops.set('store:S1', 'member', 'M1', 'consent.marketing', true),
      ops.set('store:S1', 'member', 'M1', 'level', 'gold'),
      ops.identity('store:S1', 'M1', 'phone', PHONE_S1),
      ops.identity('store:S1', 'M1', 'code', 'VIP-0001'),
      ops.points('store:S1', 'M1', 120, 'sale', 'sale-1'),
      ops.addTag('store:S1', 'M1', 'vip'),
      // A member of another store: found by exact phone, minimised, without S2's tags.
      ops.set('store:S2', 'member', 'M2', 'name', 'Li Lei'),
      ops.set('store:S2', 'member', 'M2', 'address', '1 Road, Shanghai'),
      ops.identity('store:S2', 'M2', 'phone', PHONE_S2),
      ops.points('store:S2', 'M2', 50, 'sale', 'sale-s2'),
      ops.addTag('store:S2', 'M2', 's2-private-label'),
      // An erased member.
      ops.set('chain', 'member', 'M3', 'name', 'Erased Person'),
      ops.identity('chain', 'M3', 'phone', PHONE_ERASED),
      ops.erase('chain', 'M3'),
    ],
    'cloud',
  );
  hubToCloud = await startTcpProxy(cloud.port);
  termToCloud = await startTcpProxy(cloud.port);
  hub = await startSyncHub({
    port: 0,
    dataDir: tempDir('members-hub'),
    cloudUrl: hubToCloud.url,
    enrollCode: CODE,
    storeId: 'S1',
    intervalMs: 300,
    maxBackoffMs: 1000,
    log: capture('hub'),
  });
  // The hub has paired once it has synced.
  for (let i = 0; i < 200 && (await hub.status()).lastSyncAt === null; i++)
    await new Promise((r) => setTimeout(r, 100));
}, 90_000);

afterAll(async () => {
  for (const c of clients) await c.stop();
  await hub?.close();
  await hubToCloud?.close();
  await termToCloud?.close();
  await cloud?.close();
  await dropCloudSchema(schema);
});

describe('member lookup on demand', () => {
  it('finds a member of this store through the hub, minimised', async () => {
    const t = terminal('T01', { hubUrl: hub.url, cloudUrl: termToCloud.url });
    termToCloud.setDown(true); // only the hub path is open
    try {
      const r = await t.lookupMember({ type: 'phone', value: PHONE_S1 });
      expect(r).toEqual({
        found: true,
        member: {
          id: 'M1',
          displayName: '王**',
          points: 120,
          tags: ['vip'],
          consent: { marketing: true },
          level: 'gold',
          local: true,
        },
      });
      const text = JSON.stringify(r);
      for (const secret of [PHONE_S1, '1990-01-02', 'VIP-0001', '王小明']) expect(text).not.toContain(secret);
      expect(await t.lookupMember({ type: 'code', value: 'VIP-0001' })).toMatchObject({
        found: true,
        member: { id: 'M1' },
      });
    } finally {
      termToCloud.setDown(false);
    }
  });

  it("finds another store's member from the cloud directly, without that store's private data", async () => {
    const t = terminal('T02', { cloudUrl: termToCloud.url });
    const r = await t.lookupMember({ type: 'phone', value: PHONE_S2 });
    expect(r).toEqual({
      found: true,
      member: { id: 'M2', displayName: 'L*****', points: 50, tags: [], consent: {}, level: null, local: false },
    });
    expect(JSON.stringify(r)).not.toContain('Shanghai');
    // The hub can ask for itself too (its own credential).
    expect(await hub.lookupMember({ type: 'phone', value: PHONE_S2 })).toMatchObject({
      found: true,
      member: { id: 'M2', local: false },
    });
  });

  it('answers not found for an unknown identity and for an erased member', async () => {
    const t = terminal('T03', { hubUrl: hub.url, cloudUrl: termToCloud.url });
    expect(await t.lookupMember({ type: 'phone', value: PHONE_NOBODY })).toEqual({ found: false });
    expect(await t.lookupMember({ type: 'phone', value: PHONE_ERASED })).toEqual({ found: false });
  });

  it('refuses unauthenticated lookups and bad input, and never lists', async () => {
    for (const base of [cloud.url, hub.url]) {
      const none = await postJson(`${base}/sync/members/lookup`, { type: 'phone', value: PHONE_S1 });
      expect(none.status).toBe(401);
      expect(JSON.stringify(none.body)).not.toContain('M1');
      const forged = await postJson(
        `${base}/sync/members/lookup`,
        { type: 'phone', value: PHONE_S1 },
        'eyJkIjoiVDEifQ.AAAA',
      );
      expect(forged.status).toBe(401);
    }
    const t = terminal('T04', { cloudUrl: cloud.url });
    // A wildcard or prefix is just a value that matches nobody: exact match only.
    expect(await t.lookupMember({ type: 'phone', value: '138%' })).toEqual({ found: false });
    const bad = await t.lookupMember({ type: 'email' as 'phone', value: PHONE_S1 }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(MemberLookupError);
    expect((bad as MemberLookupError).code).toBe('BAD_INPUT');
    expect((bad as Error).message).toMatch(/^Bad member lookup/);
    expect((bad as Error).message).not.toContain(PHONE_S1);
  });

  it('refuses a revoked device', async () => {
    const t = terminal('T06', { cloudUrl: cloud.url });
    expect((await t.lookupMember({ type: 'phone', value: PHONE_S1 })).found).toBe(true);
    expect((await postJson(`${cloud.url}/sync/admin/revoke`, { deviceId: 'T06' }, 'demo-admin-token')).status).toBe(
      200,
    );
    const err = await t.lookupMember({ type: 'phone', value: PHONE_S1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MemberLookupError);
    expect((err as MemberLookupError).code).toBe('REFUSED');
    expect((err as MemberLookupError).details).toEqual({ peerCode: 'REVOKED' });
    expect((err as Error).message).toMatch(/^Member lookup refused: .*revoked/);
  });

  it("answers a clear 'offline' error when neither the hub nor the cloud can answer", async () => {
    const t = terminal('T05', { hubUrl: hub.url, cloudUrl: termToCloud.url });
    expect((await t.lookupMember({ type: 'phone', value: PHONE_NOBODY })).found).toBe(false); // pairs while online
    hubToCloud.setDown(true);
    termToCloud.setDown(true);
    try {
      const err = await t.lookupMember({ type: 'phone', value: PHONE_S1 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MemberLookupError);
      expect((err as MemberLookupError).code).toBe('OFFLINE');
      expect((err as Error).message).toMatch(/^Offline/);
      // The hub, cut off from the cloud, says so too.
      const viaHub = await hub.lookupMember({ type: 'phone', value: PHONE_S1 }).catch((e: unknown) => e);
      expect((viaHub as MemberLookupError).code).toBe('OFFLINE');
    } finally {
      hubToCloud.setDown(false);
      termToCloud.setDown(false);
    }
    // Back online, the same lookup works.
    expect(await t.lookupMember({ type: 'phone', value: PHONE_S1 })).toMatchObject({
      found: true,
      member: { id: 'M1' },
    });
  });

  it('keeps phone numbers out of every log line (cloud, hub, terminals)', () => {
    const all = logText.join('');
    expect(all).toMatch(/member lookup/); // the lookups were logged ...
    for (const p of PHONES) expect(all).not.toContain(p); // ... without the number
  });
});
