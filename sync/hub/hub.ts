// The store hub as a library: a SQLite replica that terminals sync with over the LAN, relaying
// to the cloud whenever the WAN is up. The edge-agent service composes it; sync/hub/main.ts runs
// it alone.
import { Hono } from 'hono';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino, { type Logger } from 'pino';
import { HybridClock } from '../core';
import { SqliteSyncStorage } from '../storage';
import {
  answerErrors,
  closeServer,
  createKitServer,
  errorReply,
  bearer,
  HttpError,
  jsonReply,
  listenOn,
  readJson,
  type KitEnv,
} from '../../http-kit';
import {
  createSyncRoutes,
  deviceKey,
  syncError,
  toHttpError,
  SyncClient,
  MEMBER_LOOKUP_OFFLINE,
  OrderWake,
  waitAfter,
  watchOrderNews,
  type SyncStatus,
  type MemberLookupQuery,
  type MemberLookupResult,
} from '../protocol';
import { HubAuthority, type SeenDevice } from './hub-authority';
import { claimOrder, claimOrderRefund } from './order-claims';
import { confirmCoupon, holdCoupon, releaseCoupon } from './coupon-holds';
import { memberCodeUses } from './member-code-uses';
import type { HubAdvert } from '../discovery';
import { loyaltyHolds, loyaltyHoldSchema } from './loyalty-holds';

export interface SyncHubOptions {
  port: number;
  dataDir: string;
  cloudUrl: string;
  enrollCode: string;
  storeId: string;
  nodeId?: string;
  host?: string;
  log?: Logger;
  /** How often the hub syncs with the cloud when nothing nudges it (ms). */
  intervalMs?: number;
  maxBackoffMs?: number;
  /** Announce the hub on the LAN (mDNS `_edgepos-hub._tcp`) for the tills' first-run wizard. */
  announce?: boolean;
}

export interface SyncHub {
  url: string;
  port: number;
  storage: SqliteSyncStorage;
  client: SyncClient;
  status(): Promise<SyncStatus>;
  repair(): Promise<unknown>;
  /** Looks a member up in the cloud (the hub's own credential); throws MemberLookupError 'OFFLINE' without the WAN. */
  lookupMember(q: MemberLookupQuery): Promise<MemberLookupResult>;
  /** The store's devices seen since start, with their status reports (for the cloud's fleet view). */
  devices(): SeenDevice[];
  close(): Promise<void>;
}

/** The hub answers a terminal's member lookup by asking the cloud with the terminal's own credential. */
async function forwardMemberLookup(
  cloudUrl: string,
  q: MemberLookupQuery,
  authorization: string,
): Promise<MemberLookupResult> {
  let r: Response;
  try {
    r = await fetch(`${cloudUrl.replace(/\/$/, '')}/sync/members/lookup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify(q),
      signal: AbortSignal.timeout(8000),
    });
  } catch {
    throw syncError('OFFLINE', MEMBER_LOOKUP_OFFLINE);
  }
  let body: { ok?: boolean; error?: { code?: string; message?: string } } & Record<string, unknown>;
  try {
    body = (await r.json()) as typeof body;
  } catch {
    throw new HttpError(502, 'OFFLINE', MEMBER_LOOKUP_OFFLINE);
  }
  if (!r.ok || !body.ok)
    throw new HttpError(
      r.status >= 500 ? 503 : r.status,
      body.error?.code ?? 'REFUSED',
      body.error?.message ?? 'member lookup refused by the cloud',
    );
  const { ok: _ok, ...result } = body;
  return result as unknown as MemberLookupResult;
}

export async function startSyncHub(opts: SyncHubOptions): Promise<SyncHub> {
  const log = opts.log ?? pino({ name: 'sync-hub', level: 'info' });
  mkdirSync(opts.dataDir, { recursive: true });
  const db = new Database(join(opts.dataDir, 'hub-sync.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const storage = new SqliteSyncStorage(db);
  const nodeId = opts.nodeId ?? `H${opts.storeId.replace(/[^A-Za-z0-9_]/g, '')}`.slice(0, 24);
  const clock = new HybridClock({
    nodeId,
    now: Date.now,
    last: storage.getMetaSync('clock.last'),
    onWarning: (w) => log.warn(w, w.message),
  });
  const client = new SyncClient({
    storage,
    clock,
    log,
    peers: [{ name: 'cloud', url: opts.cloudUrl }],
    enroll: { code: opts.enrollCode, deviceId: nodeId, role: 'hub', storeId: opts.storeId },
    intervalMs: opts.intervalMs ?? 2000,
    maxBackoffMs: opts.maxBackoffMs ?? 15_000,
    followServerTime: true,
  });
  const authority = new HubAuthority(storage, opts.storeId, opts.cloudUrl);
  const codeUses = memberCodeUses(db);
  const loyalty = loyaltyHolds(db, opts.storeId);
  // Order news: tills wait here (order-wake.ts); the hub itself waits at the cloud.
  const orderWake = new OrderWake(64);
  storage.onRemoteOps((ops, origin) => orderWake.notice(ops, origin));
  const orderNews = watchOrderNews(client, 'cloud', log);
  const routes = createSyncRoutes({
    storage,
    authority,
    clock,
    log,
    receiver: 'hub',
    onApplied: () => client.nudge(),
    memberLookup: (_claims, q, authorization) => forwardMemberLookup(opts.cloudUrl, q, authorization),
  });

  const app = new Hono<KitEnv>()
    .route('/', routes)
    .get('/health', async () => {
      const scopes = ['chain', `store:${opts.storeId}`];
      return jsonReply(200, {
        ok: true,
        role: 'hub',
        storeId: opts.storeId,
        node: nodeId,
        sync: await client.status(),
        ops: await storage.lastSeq(),
        digests: await storage.digests(scopes),
      });
    })
    // Handover of an online order, exactly once across the store's tills (order-claims.ts).
    .post('/sync/orders/claim', async (c) => {
      const claims = await authority.verify(bearer(c.env.incoming.headers.authorization));
      const body = (await readJson(c.env.incoming)) as { orderId?: unknown; purpose?: unknown } | null;
      const orderId = typeof body?.orderId === 'string' ? body.orderId.slice(0, 80) : '';
      if (!orderId) throw syncError('BAD_INPUT', 'orderId required');
      // purpose "refund": which till pays back a cancelled or expired order (order-claims.ts).
      if (body?.purpose === 'refund')
        return jsonReply(200, await claimOrderRefund(storage, opts.storeId, claims, orderId));
      return jsonReply(200, await claimOrder(storage, opts.storeId, claims, orderId));
    })
    // A coupon is spent once across the store's tills: hold before payment, confirm or release (coupon-holds.ts).
    .post('/sync/coupons/:action', async (c) => {
      const claims = await authority.verify(bearer(c.env.incoming.headers.authorization));
      const body = (await readJson(c.env.incoming)) as {
        code?: unknown;
        cartId?: unknown;
        saleNumber?: unknown;
      } | null;
      const text = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');
      const input = { code: text(body?.code, 40), cartId: text(body?.cartId, 80) };
      if (!input.code || !input.cartId) throw syncError('BAD_INPUT', 'code and cartId required');
      switch (c.req.param('action')) {
        case 'hold':
          return jsonReply(200, holdCoupon(storage, opts.storeId, claims, input));
        case 'release':
          return jsonReply(200, releaseCoupon(storage, claims, input));
        case 'confirm':
          return jsonReply(
            200,
            confirmCoupon(storage, claims, { ...input, saleNumber: text(body?.saleNumber, 40) || null }),
          );
        default:
          throw syncError('NOT_FOUND', 'no such coupon action');
      }
    })
    // Stored value and points are spent once across the store's tills: hold before the sale
    // commits, confirm after, release on void or a failed payment (loyalty-holds.ts).
    .post('/sync/loyalty/:action', async (c) => {
      const claims = await authority.verify(bearer(c.env.incoming.headers.authorization));
      if (claims.r !== 'terminal') throw syncError('FORBIDDEN', 'only tills spend stored value or points');
      const parsed = loyaltyHoldSchema.safeParse(await readJson(c.env.incoming));
      if (!parsed.success)
        throw syncError('BAD_INPUT', 'kind, memberIds, amount (integer > 0), cartId and saleId required');
      switch (c.req.param('action')) {
        case 'hold':
          return jsonReply(200, loyalty.hold(claims, parsed.data));
        case 'confirm':
          return jsonReply(200, loyalty.confirm(claims, parsed.data));
        case 'release':
          return jsonReply(200, loyalty.release(claims, parsed.data));
        default:
          throw syncError('NOT_FOUND', 'no such loyalty action');
      }
    })
    // A member code attaches its member at one till of the store only (member-code-uses.ts).
    .post('/sync/members/code-use', async (c) => {
      const claims = await authority.verify(bearer(c.env.incoming.headers.authorization));
      const body = (await readJson(c.env.incoming)) as {
        nonce?: unknown;
        memberId?: unknown;
        expiresAt?: unknown;
      } | null;
      const nonce = typeof body?.nonce === 'string' && body.nonce.length <= 64 ? body.nonce : '';
      const memberId = typeof body?.memberId === 'string' && body.memberId.length <= 80 ? body.memberId : '';
      const expiresAt = Number.isSafeInteger(body?.expiresAt) ? (body?.expiresAt as number) : NaN;
      if (!nonce || !memberId || Number.isNaN(expiresAt))
        throw syncError('BAD_INPUT', 'nonce, memberId and integer expiresAt required');
      return jsonReply(200, codeUses.use(claims, { nonce, memberId, expiresAt }));
    })
    // A till's long poll for online-order news (order-wake.ts): answered at once when there is some.
    .post('/sync/orders/wait', async (c) => {
      const claims = await authority.verify(bearer(c.env.incoming.headers.authorization));
      const after = waitAfter(await readJson(c.env.incoming));
      const tick = await orderWake.wait(opts.storeId, after, undefined, deviceKey(claims));
      if (tick === null) throw syncError('RATE_LIMITED', 'too many tills waiting for order news');
      return jsonReply(200, { ok: true, tick });
    })
    .post('/sync/admin/repair', async (c) => {
      // Only from the box itself (the technician's CLI), never from the LAN.
      const from = c.env.incoming.socket.remoteAddress;
      if (from !== '127.0.0.1' && from !== '::1')
        throw syncError('FORBIDDEN', 'repair is only allowed from the hub itself');
      return jsonReply(200, { ok: true, result: await client.repair() });
    })
    .notFound((c) => errorReply(404, 'NOT_FOUND', `no route ${c.req.method} ${c.req.path}`))
    .onError(answerErrors((err) => toHttpError(err, log)));
  const server = createKitServer(app, { log, keepAliveTimeoutMs: 65_000 });
  const port = await listenOn(server, opts.port, opts.host ?? '127.0.0.1');
  client.start();
  orderNews.start();
  log.info({ port, store: opts.storeId }, 'store hub sync listening');
  // Loaded only when asked for: the multicast DNS library stays out of every other process's start.
  const advert: HubAdvert | null = opts.announce
    ? (await import('../discovery')).advertiseHub({ port, storeId: opts.storeId, hubId: nodeId, log })
    : null;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    storage,
    client,
    status: () => client.status(),
    repair: () => client.repair(),
    lookupMember: (q) => client.lookupMember(q),
    devices: () => authority.devices(),
    async close() {
      await advert?.stop();
      orderWake.close();
      orderNews.stop();
      await client.stop();
      await closeServer(server);
      storage.setMetaSync('clock.last', clock.last());
      db.close();
    },
  };
}
