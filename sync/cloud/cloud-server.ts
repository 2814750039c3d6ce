// The cloud sync endpoint: the shared sync routes over Postgres (pg) or embedded PGlite, plus
// HQ admin routes (pairing codes, revocation, the fleet view) and the online-order API that reserves stock.
// Stateless: every fact lives in the database, so several instances can share one Postgres.
import { Hono } from 'hono';
import { randomBytes, randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { z } from 'zod';
import { HybridClock, OpFactory, revocationFactId, storeScope, stampWall, type Op } from '../core';
import { PgSyncStorage, poolDriver, pgliteDriver, type PgDriver } from '../storage';
import {
  answerErrors,
  bearer,
  closeServer,
  createKitServer,
  errorReply,
  jsonReply,
  listenOn,
  readJson,
  type KitEnv,
} from '../../http-kit';
import {
  createSyncRoutes,
  secretMatches,
  syncError,
  toHttpError,
  SyncLimits,
  DEVICE_ROLES,
  OrderWake,
  waitAfter,
  type SyncLimitsOptions,
} from '../protocol';
import { CloudAuthority } from './cloud-authority';
import { cloudMemberLookup } from './member-lookup';
import { createCdpRoutes } from './cdp-routes';
import { createOrderApi, type OrderApiOptions } from './order-api';
import { createCouponApi } from './coupon-api';
import { wecomProvider, type WecomSettings } from './wecom-provider';
import { createWecomRoutes } from './wecom-routes';
import { createWecomStoreRoutes, WecomStores } from './wecom-stores';
import { createPurchaseOrderRoutes } from './purchase-order-api';
import { createFleetRoutes } from './fleet';
import { NearbyLimiter, nearbyStock } from './stock-nearby';
import { createTransferRelay } from './transfer-relay';

export interface CloudOptions {
  port?: number;
  host?: string;
  /** postgres://… for a real server; otherwise embedded PGlite in dataDir (or in memory). */
  databaseUrl?: string;
  dataDir?: string;
  schema?: string;
  /** Connections for pushes and admin writes (Postgres only; default 8). */
  writePool?: number;
  /** Connections for pulls, digests and device checks, apart from the writers (default 4). */
  readPool?: number;
  /** Pushes decoded, checked and applied at once on this instance (default 4; sync/protocol/server.ts). */
  pushConcurrency?: number;
  /** Admin token for HQ routes. Absent outside demo mode: every admin route answers 401. */
  adminToken?: string;
  /**
   * Demo mode: the public pairing code and admin token of docs/sync.md work (unless overridden).
   * Off by default; refused in production; logged and shown on /health as a warning.
   */
  demo?: boolean;
  /** NODE_ENV=production (settings.ts): demo mode is refused. */
  production?: boolean;
  /** Reusable pairing code for demoStoreId; demo mode only. */
  demoEnrollCode?: string;
  demoStoreId?: string;
  /** Member lookup and pairing-attempt limits (defaults in request-limits.ts). */
  limits?: SyncLimitsOptions;
  log?: Logger;
  maxDriftMs?: number;
  /** Online orders: expiry after the slot, sweep period, routing rules (docs/orders.md). */
  orders?: OrderApiOptions;
  /**
   * WeCom callback (token, EncodingAESKey, corp id): enables POST /wecom/callback; with `secret`
   * also the store contact ways and welcome messages through WeCom's API (docs/members.md).
   */
  wecom?: WecomSettings;
}

export interface CloudHandle {
  url: string;
  port: number;
  storage: PgSyncStorage;
  authority: CloudAuthority;
  /** Runs one online-order expiry sweep now (the timer runs it every `orders.sweepMs`). */
  sweepOrders(): Promise<{ expired: string[]; compensated: number }>;
  /** One order-webhook feeder + sender pass (null when no webhook is set). */
  pumpOrderWebhooks(): Promise<unknown> | null;
  close(): Promise<void>;
}

export const DEMO_ENROLL_CODE = 'DEMO-S001-2026';
export const DEMO_ADMIN_TOKEN = 'demo-admin-token';
export const DEMO_WARNING =
  'DEMO MODE: the public demo pairing code and admin token from docs/sync.md are active. Anyone who read the docs can pair a device and change prices. Never run a real store like this.';

export class CloudConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CloudConfigError';
  }
}

/** Refuses option sets that would quietly expose demo secrets. */
function demoSecrets(opts: CloudOptions): { adminToken: string; demoEnrollCode: string; demoStoreId: string } {
  const demo = opts.demo === true;
  if (demo && opts.production === true) {
    throw new CloudConfigError(
      'demo mode refused with NODE_ENV=production: the demo pairing code and admin token are public. Unset CLOUD_DEMO and set CLOUD_ADMIN_TOKEN',
    );
  }
  if (!demo && opts.demoEnrollCode)
    throw new CloudConfigError(
      'a demo pairing code (DEMO_ENROLL_CODE) needs demo mode: set CLOUD_DEMO=1 (never in production)',
    );
  if (!demo && opts.adminToken === DEMO_ADMIN_TOKEN)
    throw new CloudConfigError(
      `the admin token "${DEMO_ADMIN_TOKEN}" is public; it works only in demo mode (CLOUD_DEMO=1). Set a secret CLOUD_ADMIN_TOKEN`,
    );
  return {
    adminToken: opts.adminToken ?? (demo ? DEMO_ADMIN_TOKEN : ''),
    demoEnrollCode: demo ? (opts.demoEnrollCode ?? DEMO_ENROLL_CODE) : '',
    demoStoreId: opts.demoStoreId ?? 'S001',
  };
}

const orderInput = z.object({
  orderId: z.string().min(1).max(80).optional(),
  storeId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  channel: z.string().max(40).optional(),
  lines: z
    .array(z.object({ sku: z.string().min(1).max(80), quantity: z.number().int().positive().max(100_000) }))
    .min(1)
    .max(200),
});

export async function startCloud(opts: CloudOptions = {}): Promise<CloudHandle> {
  const log = opts.log ?? pino({ name: 'sync-cloud', level: 'info' });
  const { adminToken, demoEnrollCode, demoStoreId } = demoSecrets(opts);
  if (opts.demo)
    log.warn(
      {
        demo: true,
        demoStore: demoStoreId,
        demoCode: demoEnrollCode !== '',
        demoAdminToken: adminToken === DEMO_ADMIN_TOKEN,
      },
      DEMO_WARNING,
    );
  if (!adminToken)
    log.warn('no admin token set: pairing codes, revocation and the online-order API refuse every request');
  const driver: PgDriver = opts.databaseUrl
    ? poolDriver(opts.databaseUrl, opts.writePool ?? 8)
    : await pgliteDriver(opts.dataDir);
  // Pulls get their own pool so they never wait for a connection behind pushes (PGlite is one
  // embedded connection: nothing to split).
  const reads = opts.databaseUrl ? poolDriver(opts.databaseUrl, opts.readPool ?? 4) : undefined;
  const storage = await PgSyncStorage.open(driver, opts.schema ?? 'sync', { reads });
  const authority = new CloudAuthority(storage, { demoEnrollCode, demoStoreId });
  await authority.init();
  // Each stateless instance is its own HLC node so stamps never collide between instances.
  const clock = new HybridClock({
    nodeId: `C${randomBytes(4).toString('hex')}`,
    now: Date.now,
    maxDriftMs: opts.maxDriftMs,
    onWarning: (w) => log.warn(w, w.message),
  });
  const ops = new OpFactory(clock);
  const limits = new SyncLimits(opts.limits, log);
  const transferRelay = createTransferRelay(storage, ops, log);
  const syncRoutes = createSyncRoutes({
    storage,
    authority,
    clock,
    log,
    memberLookup: cloudMemberLookup(storage),
    onApplied: (r) => transferRelay.relay(r.appliedOps),
    limits,
    pushConcurrency: opts.pushConcurrency,
  });

  function requireAdmin(header: string | undefined): void {
    if (!secretMatches(bearer(header), adminToken)) throw syncError('UNAUTHENTICATED', 'admin token required');
  }

  async function stockView(storeId: string, sku: string) {
    const level = await storage.stock(storeId, sku);
    const seen = await authority.storeLastSeen(storeId);
    return {
      sku,
      onHand: level.onHand,
      reserved: level.reserved,
      available: level.available,
      negative: level.negative,
      asOf: level.lastMovementId ? new Date(stampWall(level.lastMovementId)).toISOString() : null,
      // How old the cloud's picture of this store is: time since any of its devices last synced.
      staleSeconds: seen ? Math.max(0, Math.round((Date.now() - seen.getTime()) / 1000)) : null,
    };
  }

  const nearbyLimiter = new NearbyLimiter();
  // Hubs wait here for order news of their store (sync/protocol/order-wake.ts).
  const orderWake = new OrderWake(20_000);
  const orderApi = createOrderApi(
    { storage, ops, log, requireAdmin, stockView, onOrderOps: (o) => orderWake.notice(o) },
    opts.orders,
  );
  const wecom = opts.wecom ? wecomProvider(opts.wecom) : null;
  const wecomStores = new WecomStores(storage);
  const app = new Hono<KitEnv>()
    .route('/', syncRoutes)
    .route('/', createCdpRoutes({ storage, authority, ops, log, requireAdmin }))
    .route('/', orderApi.routes)
    .route('/', createCouponApi({ storage, ops, log, requireAdmin }))
    .route('/', createFleetRoutes({ storage, requireAdmin }))
    .route(
      '/',
      wecom ? createWecomRoutes({ storage, ops, log, provider: wecom, stores: wecomStores }) : new Hono<KitEnv>(),
    )
    .route('/', createWecomStoreRoutes({ storage, ops, log, stores: wecomStores, provider: wecom, requireAdmin }))
    .route('/', createPurchaseOrderRoutes({ storage, ops, log, requireAdmin }))
    .get('/health', async () => {
      const scopes = await storage.scopes();
      return jsonReply(200, {
        ok: true,
        role: 'cloud',
        storage: storage.kind,
        node: clock.nodeId,
        ...(opts.demo ? { demo: true, warning: DEMO_WARNING } : {}),
        // Refusals since start on this instance: a rising count is someone guessing codes or crawling members.
        limits: limits.counters,
        ops: await storage.lastSeq(),
        digests: await storage.digests(scopes),
      });
    })
    .post('/sync/orders/wait', async (c) => {
      const claims = await authority.verify(bearer(c.env.incoming.headers.authorization));
      const tick = await orderWake.wait(claims.st, waitAfter(await readJson(c.env.incoming)));
      if (tick === null) throw syncError('RATE_LIMITED', 'too many replicas waiting for order news');
      return jsonReply(200, { ok: true, tick });
    })
    // The sharing pool: other stores' on-hand of one SKU, counts only (sync/cloud/stock-nearby.ts).
    .post('/sync/stock/nearby', async (c) => {
      const claims = await authority.verify(bearer(c.env.incoming.headers.authorization));
      if (claims.r !== 'terminal' && claims.r !== 'hub')
        throw syncError('FORBIDDEN', 'the sharing pool answers store devices');
      if (!nearbyLimiter.take(`${claims.st}/${claims.d}`))
        throw syncError('RATE_LIMITED', 'too many stock look-ups; try again in a minute', { retryAfterSeconds: 60 });
      const body = z.object({ sku: z.string().min(1).max(80) }).safeParse(await readJson(c.env.incoming));
      if (!body.success) throw syncError('BAD_INPUT', 'sku required');
      return jsonReply(200, { ok: true, ...(await nearbyStock(storage, claims.st, body.data.sku)) });
    })
    .post('/sync/admin/enroll-codes', async (c) => {
      const req = c.env.incoming;
      requireAdmin(req.headers.authorization);
      const body = z
        .object({
          storeId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
          role: z.enum(DEVICE_ROLES).default('terminal'),
          // One-time codes expire: 2 h by default, at most 7 days.
          ttlMinutes: z
            .number()
            .int()
            .min(1)
            .max(7 * 24 * 60)
            .optional(),
        })
        .safeParse(await readJson(req));
      if (!body.success) throw syncError('BAD_INPUT', body.error.issues[0]?.message ?? 'bad input');
      const made = await authority.createEnrollCode(body.data.storeId, body.data.role, body.data.ttlMinutes);
      return jsonReply(200, { ok: true, ...made });
    })
    .post('/sync/admin/revoke', async (c) => {
      const req = c.env.incoming;
      requireAdmin(req.headers.authorization);
      const body = z
        .object({
          deviceId: z.string().min(1).max(40),
          storeId: z
            .string()
            .regex(/^[A-Za-z0-9_-]{1,32}$/)
            .optional(),
        })
        .safeParse(await readJson(req));
      if (!body.success)
        throw syncError('BAD_INPUT', 'deviceId required (and storeId when several stores have that id)');
      const r = await authority.revoke(body.data.deviceId, body.data.storeId);
      if (!r) throw syncError('NOT_FOUND', 'no such device');
      // Replicate the revocation so the store hub refuses the device even while the WAN is down.
      // One fact per revocation (`<device>.<uuid>`), so a revoke after a re-pair is a new fact
      // rather than a duplicate id that first-write-wins would hide; hubs honour the latest.
      await storage.apply(
        [
          ops.fact(storeScope(r.storeId), 'device_revoked', revocationFactId(body.data.deviceId, randomUUID()), {
            deviceId: body.data.deviceId,
            at: new Date().toISOString(),
          }),
        ],
        'cloud',
      );
      log.info({ device: body.data.deviceId, store: r.storeId }, 'device revoked');
      return jsonReply(200, { ok: true });
    })
    .post('/api/online-orders', async (c) => {
      const req = c.env.incoming;
      requireAdmin(req.headers.authorization);
      const body = orderInput.safeParse(await readJson(req));
      if (!body.success) throw syncError('BAD_INPUT', body.error.issues[0]?.message ?? 'bad order');
      const order = body.data;
      const orderId = order.orderId ?? randomUUID();
      // A re-posted order reserves nothing more (best effort across instances).
      const existing = order.orderId ? await storage.fact('online_order', orderId) : null;
      const batch: Op[] = [
        ops.fact(storeScope(order.storeId), 'online_order', orderId, {
          storeId: order.storeId,
          channel: order.channel ?? 'online',
          lines: order.lines,
          createdAt: new Date().toISOString(),
        }),
      ];
      for (const l of order.lines) batch.push(ops.move(order.storeId, l.sku, 'reservation', l.quantity, orderId));
      const r = existing ? { applied: 0 } : await storage.apply(batch, 'cloud');
      const lines = [];
      for (const l of order.lines) lines.push({ ...(await stockView(order.storeId, l.sku)), quantity: l.quantity });
      const flagged = lines.filter((l) => l.available < 0).map((l) => l.sku);
      if (flagged.length)
        log.warn({ orderId, skus: flagged }, 'online order reserves more than available; allowed but flagged');
      return jsonReply(200, { ok: true, orderId, duplicate: r.applied === 0, lines, oversold: flagged });
    })
    .get('/api/sales', async (c) => {
      requireAdmin(c.env.incoming.headers.authorization);
      const storeId = c.req.query('storeId');
      if (!storeId) throw syncError('BAD_INPUT', 'storeId required');
      return jsonReply(200, { ok: true, ids: await storage.factIds('sale', storeScope(storeId)) });
    })
    .get('/api/stock', async (c) => {
      requireAdmin(c.env.incoming.headers.authorization);
      const storeId = c.req.query('storeId');
      const sku = c.req.query('sku');
      if (!storeId || !sku) throw syncError('BAD_INPUT', 'storeId and sku required');
      return jsonReply(200, { ok: true, ...(await stockView(storeId, sku)) });
    })
    .notFound((c) => errorReply(404, 'NOT_FOUND', `no route ${c.req.method} ${c.req.path}`))
    .onError(answerErrors((err) => toHttpError(err, log)));
  const server = createKitServer(app, { log, keepAliveTimeoutMs: 65_000 });
  const port = await listenOn(server, opts.port ?? 0, opts.host ?? '127.0.0.1');
  log.info({ port, storage: storage.kind }, 'cloud sync endpoint listening');
  orderApi.start();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    storage,
    authority,
    sweepOrders: () => orderApi.sweep(),
    pumpOrderWebhooks: () => orderApi.pumpWebhooks(),
    async close() {
      transferRelay.stop();
      orderWake.close();
      await orderApi.stop();
      await closeServer(server);
      await transferRelay.idle();
      await storage.close();
    },
  };
}
