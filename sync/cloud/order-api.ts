// The cloud's online-order API (what a mall calls; admin token for now): intake with routing and
// a pickup code, the order's status as the stores report it, a pull feed of status events, and
// cancellation; plus the expiry sweep. Orders and their events are replicated facts
// (sync/core/orders.ts): this file reads and writes them like any replica.
import { Hono } from 'hono';
import { randomInt, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  authorNode,
  authorRoleOfNode,
  foldOrder,
  orderEventId,
  orderEventRange,
  orderLineSchema,
  pendingCompensations,
  pickupQrPayload,
  readOnlineOrder,
  readOrderEvent,
  releaseMoves,
  storeScope,
  FULFILMENTS,
  type OpFactory,
  type Op,
  type OrderMove,
  type OrderState,
} from '../core';
import type { PgSyncStorage } from '../storage';
import { jsonReply, readJson, type KitEnv } from '../../http-kit';
import { maskName, syncError } from '../protocol';
import { routeOrder, DEFAULT_ROUTING, type RoutingRules } from './order-routing';
import { createOrderWebhooks, type OrderWebhookSettings } from './order-webhooks';

export interface OrderApiOptions {
  /** Minutes after the end of its slot an uncollected order expires (default 120). */
  expiryMinutes?: number;
  /** How often the expiry sweep runs (ms, default 60 s). */
  sweepMs?: number;
  routing?: Partial<RoutingRules>;
  /** Signed webhooks to the mall on every status change (order-webhooks.ts); none when absent. */
  webhook?: OrderWebhookSettings;
}

interface Deps {
  storage: PgSyncStorage;
  ops: OpFactory;
  log: Logger;
  requireAdmin(header: string | undefined): void;
  stockView(storeId: string, sku: string): Promise<{ available: number; staleSeconds: number | null }>;
  /** Order ops this API wrote (intake, cancel, expiry): wakes the hubs waiting for order news. */
  onOrderOps?(ops: Op[]): void;
}

const storeId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/);
const orderIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'order id is 1-64 letters, digits, _ or -');
const iso = z.iso.datetime({ offset: true });

const intakeInput = z
  .object({
    orderId: orderIdSchema.optional(),
    storeId: storeId.optional(),
    channel: z.string().max(40).optional(),
    customer: z
      .object({
        memberId: z.string().max(80).optional(),
        /** Used only to make the masked name on the bag label; never stored whole. */
        name: z.string().max(60).optional(),
        lat: z.number().min(-90).max(90).optional(),
        lng: z.number().min(-180).max(180).optional(),
      })
      .default({}),
    fulfilment: z
      .object({ type: z.enum(FULFILMENTS), leaderId: z.string().min(1).max(80).optional() })
      .default({ type: 'pickup' }),
    slot: z.object({ start: iso, end: iso }).optional(),
    paid: z.number().int().min(0).max(1_000_000_000).optional(),
    paymentRef: z.string().max(80).optional(),
    /** The wallet that took the payment: the store pays refunds back through it (docs/orders.md). */
    paymentWallet: z.enum(['wechat', 'alipay']).optional(),
    lines: z
      .array(orderLineSchema.extend({ lineId: z.string().min(1).max(40).optional() }))
      .min(1)
      .max(200),
  })
  .superRefine((o, ctx) => {
    o.lines.forEach((l, i) => {
      if ((l.quantity === undefined) === (l.grams === undefined))
        ctx.addIssue({ code: 'custom', path: ['lines', i], message: 'a line has either quantity or grams' });
    });
    if (o.fulfilment.type === 'group_buy' && !o.fulfilment.leaderId)
      ctx.addIssue({ code: 'custom', path: ['fulfilment', 'leaderId'], message: 'a group-buy order names its leader' });
    if (!o.storeId && (o.customer.lat === undefined || o.customer.lng === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['customer'],
        message: 'without storeId the customer lat/lng route the order',
      });
  });

export interface OrderApi {
  routes: Hono<KitEnv>;
  /** One expiry + compensation pass (the timer calls it; tests may too). */
  sweep(): Promise<{ expired: string[]; compensated: number }>;
  start(): void;
  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void>;
  /** One webhook feeder + sender pass (null without webhooks). */
  pumpWebhooks(): Promise<unknown> | null;
}

export function createOrderApi(deps: Deps, opts: OrderApiOptions = {}): OrderApi {
  const { storage, ops, log, requireAdmin } = deps;
  const T = storage.table;
  const expiryMs = (opts.expiryMinutes ?? 120) * 60_000;
  const rules: RoutingRules = { ...DEFAULT_ROUTING, ...opts.routing };
  let ready: Promise<void> | null = null;
  const init = () =>
    (ready ??= (async () => {
      await storage.db.query(
        `CREATE TABLE IF NOT EXISTS ${T}.order_stores (store_id text PRIMARY KEY, lat double precision NOT NULL, lng double precision NOT NULL)`,
      );
      await storage.db.query(
        `CREATE TABLE IF NOT EXISTS ${T}.order_intake (order_id text PRIMARY KEY, parts jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
      );
      await storage.db.query(
        `CREATE TABLE IF NOT EXISTS ${T}.order_leaders (leader_id text PRIMARY KEY, code text NOT NULL UNIQUE)`,
      );
    })());

  async function leaderCode(leaderId: string): Promise<string> {
    for (let i = 0; i < 5; i++) {
      const code = `L${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
      const r = await storage.db
        .query<{ code: string }>(
          `INSERT INTO ${T}.order_leaders (leader_id, code) VALUES ($1, $2) ON CONFLICT (leader_id) DO UPDATE SET leader_id = EXCLUDED.leader_id RETURNING code`,
          [leaderId, code],
        )
        .catch(() => null); // a code collision: try another
      if (r?.rows[0]) return r.rows[0].code;
    }
    throw syncError('INTERNAL', 'could not allocate a leader code');
  }

  async function orderState(orderId: string): Promise<OrderState | null> {
    const body = await storage.fact('online_order', orderId);
    if (!body) return null;
    const order = readOnlineOrder(orderId, body);
    const { ops: evOps } = await storage.keyRange({
      t: 'fact',
      scope: storeScope(order.storeId),
      e: 'order_event',
      ...orderEventRange(orderId),
    });
    const events = evOps
      .map((o) => readOrderEvent(o.k, o.id, authorNode(o), o.b as Record<string, unknown>))
      .filter((e) => e !== null);
    return foldOrder(order, events);
  }

  function view(s: OrderState) {
    const o = s.order;
    return {
      orderId: o.orderId,
      storeId: o.storeId,
      parentId: o.parentId,
      status: s.status,
      pickupCode: o.pickupCode,
      pickupQr: o.pickupCode ? pickupQrPayload(o.orderId, o.pickupCode) : null,
      fulfilment: o.fulfilment,
      leaderId: o.leaderId,
      leaderCode: o.leaderCode,
      slot: o.slotStart ? { start: o.slotStart, end: o.slotEnd } : null,
      paid: o.paid,
      paymentRef: o.paymentRef,
      settledAmount: s.settledAmount,
      refund: s.refund,
      refundPaid: s.refundPaid,
      bags: s.bags,
      lines: o.lines.map((l) => ({ ...l, picked: s.picks[l.lineId] ?? null })),
      conflicts: s.conflicts.map((c) => ({ status: c.kind, at: c.at, terminalId: c.terminalId })),
      events: s.events.map((e) => ({
        status: e.kind,
        at: e.at,
        ...(e.lineId ? { lineId: e.lineId, amount: e.amount } : {}),
        ...(e.substitute ? { substitute: e.substitute } : {}),
        ...(e.changes.length ? { changes: e.changes } : {}),
      })),
    };
  }

  /** The end event and its movements, as one batch (fact + movements commit together). */
  function endBatch(s: OrderState, kind: 'expired' | 'cancelled', moves: OrderMove[]): Op[] {
    const o = s.order;
    const at = new Date().toISOString();
    return [
      ops.fact(storeScope(o.storeId), 'order_event', orderEventId(o.orderId, randomUUID()), {
        orderId: o.orderId,
        kind,
        at,
        moves,
      }),
      ...moves.map((m) => ops.move(o.storeId, m.sku, m.kind, m.qty, o.orderId)),
    ];
  }

  const routes = new Hono<KitEnv>()
    .post('/api/stores/:storeId/location', async (c) => {
      requireAdmin(c.env.incoming.headers.authorization);
      await init();
      const id = storeId.safeParse(c.req.param('storeId'));
      const body = z
        .object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) })
        .safeParse(await readJson(c.env.incoming));
      if (!id.success || !body.success) throw syncError('BAD_INPUT', 'store id and lat/lng required');
      await storage.db.query(
        `INSERT INTO ${T}.order_stores (store_id, lat, lng) VALUES ($1, $2, $3) ON CONFLICT (store_id) DO UPDATE SET lat = $2, lng = $3`,
        [id.data, body.data.lat, body.data.lng],
      );
      return jsonReply(200, { ok: true });
    })
    .post('/api/orders', async (c) => {
      requireAdmin(c.env.incoming.headers.authorization);
      await init();
      const parsed = intakeInput.safeParse(await readJson(c.env.incoming));
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw syncError('BAD_INPUT', i ? `${i.path.join('.')}: ${i.message}` : 'bad order');
      }
      const input = parsed.data;
      const orderId = input.orderId ?? randomUUID();
      const lines = input.lines.map((l, i) => ({ ...l, lineId: l.lineId ?? String(i + 1) }));
      const qty = (l: (typeof lines)[number]) => l.grams ?? l.quantity ?? 0;
      // Idempotent by order id across instances: the first intake row wins; a re-post answers it.
      const prior = await storage.db.query<{ parts: string[] }>(
        `SELECT parts FROM ${T}.order_intake WHERE order_id = $1`,
        [orderId],
      );
      if (prior.rows[0]) {
        const parts = [];
        for (const id of prior.rows[0].parts) {
          const s = await orderState(id);
          if (s) parts.push(view(s));
        }
        return jsonReply(200, { ok: true, orderId, duplicate: true, split: parts.length > 1, parts, oversold: [] });
      }
      let assignment: { storeId: string; lineIds: string[] }[];
      let oversold: string[] = [];
      if (input.storeId) assignment = [{ storeId: input.storeId, lineIds: lines.map((l) => l.lineId) }];
      else {
        const stores = (
          await storage.db.query<{ store_id: string; lat: number; lng: number }>(
            `SELECT store_id, lat, lng FROM ${T}.order_stores`,
          )
        ).rows;
        const routingStores = [];
        for (const s of stores) {
          const available: Record<string, number> = {};
          let stale: number | null = null;
          for (const l of lines) {
            const v = await deps.stockView(s.store_id, l.sku);
            available[l.sku] = v.available;
            stale = v.staleSeconds;
          }
          routingStores.push({
            storeId: s.store_id,
            lat: Number(s.lat),
            lng: Number(s.lng),
            staleSeconds: stale,
            available,
          });
        }
        const r = routeOrder(
          { lat: input.customer.lat!, lng: input.customer.lng! },
          lines.map((l) => ({ lineId: l.lineId, sku: l.sku, qty: qty(l) })),
          routingStores,
          rules,
        );
        if (!r) throw syncError('NOT_FOUND', `no store within ${rules.maxKm} km of the customer`);
        assignment = r.parts;
        oversold = r.oversold;
      }
      const partIds = assignment.length === 1 ? [orderId] : assignment.map((_, i) => `${orderId}-${i + 1}`);
      const claimed = await storage.db.query(
        `INSERT INTO ${T}.order_intake (order_id, parts) VALUES ($1, $2) ON CONFLICT (order_id) DO NOTHING RETURNING order_id`,
        [orderId, JSON.stringify(partIds)],
      );
      if (claimed.rows.length === 0) throw syncError('CONFLICT', 'this order is being taken by another request; retry');
      const leader =
        input.fulfilment.type === 'group_buy' && input.fulfilment.leaderId
          ? { leaderId: input.fulfilment.leaderId, leaderCode: await leaderCode(input.fulfilment.leaderId) }
          : {};
      const batch: Op[] = [];
      const parts = assignment.map((a, i) => {
        const own = lines.filter((l) => a.lineIds.includes(l.lineId));
        const paid =
          assignment.length === 1
            ? (input.paid ?? own.reduce((s, l) => s + l.amount, 0))
            : own.reduce((s, l) => s + l.amount, 0);
        return {
          id: partIds[i]!,
          storeId: a.storeId,
          lines: own,
          paid,
          pickupCode: String(randomInt(10_000_000, 100_000_000)),
        };
      });
      for (const p of parts) {
        batch.push(
          ops.fact(storeScope(p.storeId), 'online_order', p.id, {
            storeId: p.storeId,
            channel: input.channel ?? 'online',
            createdAt: new Date().toISOString(),
            lines: p.lines,
            fulfilment: input.fulfilment.type,
            ...leader,
            memberId: input.customer.memberId ?? null,
            maskedName: maskName(input.customer.name) ?? '',
            slotStart: input.slot?.start ?? null,
            slotEnd: input.slot?.end ?? null,
            paid: p.paid,
            paymentRef: input.paymentRef ?? null,
            paymentWallet: input.paymentWallet ?? null,
            pickupCode: p.pickupCode,
            parentId: parts.length > 1 ? orderId : null,
          }),
        );
        for (const l of p.lines) batch.push(ops.move(p.storeId, l.sku, 'reservation', qty(l), p.id));
      }
      await storage.apply(batch, 'cloud');
      deps.onOrderOps?.(batch);
      if (oversold.length) log.warn({ orderId, skus: oversold }, 'online order routed beyond available stock; flagged');
      const views = [];
      for (const p of parts) {
        const s = await orderState(p.id);
        if (s) views.push(view(s));
      }
      return jsonReply(200, { ok: true, orderId, duplicate: false, split: parts.length > 1, parts: views, oversold });
    })
    .get('/api/orders/:id', async (c) => {
      requireAdmin(c.env.incoming.headers.authorization);
      await init();
      const id = c.req.param('id');
      const s = await orderState(id);
      if (s) return jsonReply(200, { ok: true, ...view(s) });
      const split = await storage.db.query<{ parts: string[] }>(
        `SELECT parts FROM ${T}.order_intake WHERE order_id = $1`,
        [id],
      );
      if (!split.rows[0]) throw syncError('NOT_FOUND', `no order ${id}`);
      const parts = [];
      for (const p of split.rows[0].parts) {
        const ps = await orderState(p);
        if (ps) parts.push(view(ps));
      }
      return jsonReply(200, { ok: true, orderId: id, split: true, parts });
    })
    .get('/api/orders', async (c) => {
      requireAdmin(c.env.incoming.headers.authorization);
      const since = z.coerce
        .number()
        .int()
        .min(0)
        .default(0)
        .safeParse(c.req.query('since') ?? undefined);
      const limit = z.coerce
        .number()
        .int()
        .min(1)
        .max(1000)
        .default(200)
        .safeParse(c.req.query('limit') ?? undefined);
      if (!since.success || !limit.success) throw syncError('BAD_INPUT', 'since is a cursor (integer), limit 1-1000');
      // The feed is the cloud's op log filtered to orders: a mall keeps the returned cursor.
      const scopes = (await storage.scopes()).filter((s) => s.startsWith('store:'));
      const page = await storage.readSince({ after: since.data, scopes, limit: limit.data * 5 });
      const events = [];
      for (const o of page.ops) {
        if (o.t !== 'fact') continue;
        const b = o.b as Record<string, unknown>;
        if (o.e === 'online_order') events.push({ orderId: o.k, status: 'new', at: b['createdAt'] ?? null });
        else if (o.e === 'order_event' && b['kind'] !== 'compensated')
          events.push({
            orderId: String(b['orderId']),
            status: b['kind'],
            at: b['at'] ?? null,
            ...(b['lineId'] ? { lineId: b['lineId'] } : {}),
            // What the mall tells the customer: a substitute, a short line, the changes and refund at ready.
            ...(b['substitute'] ? { substitute: b['substitute'] } : {}),
            ...(b['short'] === true ? { short: true } : {}),
            ...(Array.isArray(b['changes']) && b['changes'].length ? { changes: b['changes'] } : {}),
            ...(b['kind'] === 'ready' && typeof b['refund'] === 'number' ? { refund: b['refund'] } : {}),
            ...(b['kind'] === 'refunded' && typeof b['amount'] === 'number' ? { amount: b['amount'] } : {}),
          });
      }
      return jsonReply(200, { ok: true, events, cursor: page.last, more: page.more });
    })
    .post('/api/orders/:id/cancel', async (c) => {
      requireAdmin(c.env.incoming.headers.authorization);
      const s = await orderState(c.req.param('id'));
      if (!s) throw syncError('NOT_FOUND', `no order ${c.req.param('id')}`);
      if (s.end) throw syncError('CONFLICT', `order is already ${s.status}`);
      const cancel = endBatch(s, 'cancelled', releaseMoves(s.order));
      await storage.apply(cancel, 'cloud');
      deps.onOrderOps?.(cancel);
      return jsonReply(200, { ok: true, ...view((await orderState(s.order.orderId))!) });
    });

  async function sweep(): Promise<{ expired: string[]; compensated: number }> {
    await init();
    const expired: string[] = [];
    let compensated = 0;
    const now = Date.now();
    for (const scope of (await storage.scopes()).filter((s) => s.startsWith('store:'))) {
      const { ops: orders } = await storage.keyRange({
        t: 'fact',
        scope,
        e: 'online_order',
        fromKey: '',
        toKey: '\uffff',
      });
      for (const o of orders) {
        const s = await orderState(o.k);
        if (!s) continue;
        const batch: Op[] = [];
        const end = s.order.slotEnd ? Date.parse(s.order.slotEnd) : NaN;
        if (!s.end && Number.isFinite(end) && now > end + expiryMs) {
          batch.push(...endBatch(s, 'expired', releaseMoves(s.order)));
          expired.push(s.order.orderId);
        }
        // An expiry or cancellation that lost to an earlier (offline) handover: reverse its release.
        for (const p of pendingCompensations(s, (node) => authorRoleOfNode(node) === 'hq')) {
          batch.push(
            ops.fact(
              storeScope(s.order.storeId),
              'order_event',
              orderEventId(s.order.orderId, `comp-${p.event.stamp}`),
              {
                orderId: s.order.orderId,
                kind: 'compensated',
                voids: p.event.factId,
                at: new Date().toISOString(),
              },
            ),
            ...p.moves.map((m) => ops.move(s.order.storeId, m.sku, m.kind, m.qty, s.order.orderId)),
          );
          compensated++;
        }
        if (batch.length) {
          await storage.apply(batch, 'cloud');
          deps.onOrderOps?.(batch);
        }
      }
    }
    if (expired.length) log.info({ orders: expired.length }, 'online orders expired; reservations released');
    return { expired, compensated };
  }

  const webhooks = opts.webhook
    ? createOrderWebhooks(
        {
          storage,
          log,
          describe: async (id) => {
            const s = await orderState(id);
            return s ? view(s) : null;
          },
        },
        opts.webhook,
      )
    : null;

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  return {
    routes,
    sweep,
    pumpWebhooks: () => webhooks?.pump() ?? null,
    start() {
      webhooks?.start();
      timer = setInterval(() => {
        running = running.then(sweep).catch((err: unknown) => log.error({ err }, 'order sweep failed'));
      }, opts.sweepMs ?? 60_000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
      await webhooks?.stop();
    },
  };
}
