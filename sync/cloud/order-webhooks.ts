// Signed webhooks to the mall for online-order changes, so it need not poll `GET /api/orders`.
// A durable outbox in the cloud's database: a feeder follows the op log (the same log the pull
// feed reads) from a stored cursor and writes one outbox row per change, keyed by its idempotency
// key `<orderId>:<status>` (ON CONFLICT DO NOTHING: a re-read after a crash, a second instance or
// a duplicated end event adds nothing); a sender leases due rows and POSTs them, oldest first and
// one at a time per order, retrying with exponential backoff. Rows and cursor live in Postgres,
// so nothing is lost across a restart; delivery is at least once, and the key lets the mall drop
// a repeat.
//
// Wire format (docs/orders.md):
//   POST <url>   content-type: application/json
//   X-Pos-Webhook-Id: <idempotency key>          (also sent as Idempotency-Key)
//   X-Pos-Webhook-Timestamp: <unix seconds>
//   X-Pos-Webhook-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { Op } from '../core';
import type { PgSyncStorage } from '../storage';

export interface OrderWebhookSettings {
  url: string;
  /** The shared secret the mall verifies the signature with (at least 16 characters). */
  secret: string;
  /** Delivery attempts before a row is parked as `failed` (default 12). */
  maxAttempts?: number;
  /** First retry delay; doubled per attempt up to maxDelayMs (default 5 s, max 1 h). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How often the feeder and sender run (default 1 s). */
  pollMs?: number;
  /** How long one delivery may take (default 5 s). */
  timeoutMs?: number;
}

/** What the mall receives for each change. */
export type OrderWebhookType =
  | 'order.accepted'
  | 'order.picking'
  | 'order.ready'
  | 'order.collected'
  | 'order.handed_over'
  | 'order.expired'
  | 'order.cancelled'
  | 'order.refunded';

const EVENT_TYPES: Record<string, OrderWebhookType> = {
  accepted: 'order.accepted',
  picked: 'order.picking',
  ready: 'order.ready',
  collected: 'order.collected',
  handed_over: 'order.handed_over',
  expired: 'order.expired',
  cancelled: 'order.cancelled',
  refunded: 'order.refunded',
};

/** One outbox row's body: the change and the order as the cloud saw it then. */
export interface OrderWebhookBody {
  id: string;
  type: OrderWebhookType;
  orderId: string;
  at: string | null;
  order: unknown;
}

/** The signature header value for a body sent at `timestamp` (unix seconds). */
export function signOrderWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * A receiver's check (what the mall runs): the signature matches and the timestamp is within
 * `toleranceS` of now (a replayed old delivery is refused).
 */
export function verifyOrderWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowMs = Date.now(),
  toleranceS = 300,
): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isSafeInteger(ts) || Math.abs(nowMs / 1000 - ts) > toleranceS || !headers.signature) return false;
  const want = Buffer.from(signOrderWebhook(secret, ts, body));
  const got = Buffer.from(headers.signature);
  return want.length === got.length && timingSafeEqual(want, got);
}

interface Deps {
  storage: PgSyncStorage;
  log: Logger;
  /** The order as `GET /api/orders/{id}` shows it, or null. */
  describe(orderId: string): Promise<Record<string, unknown> | null>;
}

export interface OrderWebhooks {
  /** One feeder pass and one sender pass (the timer calls it; tests may too). */
  pump(): Promise<{ queued: number; delivered: number; retried: number; failed: number }>;
  start(): void;
  stop(): Promise<void>;
}

/** The outbox key and type of an op, or null when the mall is not told about it. */
function changeOf(o: Op): { key: string; type: OrderWebhookType; orderId: string; at: string | null } | null {
  if (o.t !== 'fact' || o.e !== 'order_event') return null;
  const b = (o.b ?? {}) as Record<string, unknown>;
  const type = EVENT_TYPES[String(b['kind'])];
  const orderId = typeof b['orderId'] === 'string' ? b['orderId'] : null;
  if (!type || !orderId) return null;
  // One webhook per order and status: the first pick says "picking", later picks add nothing.
  return {
    key: `${orderId}:${type.slice('order.'.length)}`,
    type,
    orderId,
    at: typeof b['at'] === 'string' ? b['at'] : null,
  };
}

export function createOrderWebhooks(deps: Deps, settings: OrderWebhookSettings): OrderWebhooks {
  const { storage, log } = deps;
  const T = storage.table;
  const maxAttempts = settings.maxAttempts ?? 12;
  const baseDelayMs = settings.baseDelayMs ?? 5000;
  const maxDelayMs = settings.maxDelayMs ?? 3_600_000;
  const timeoutMs = settings.timeoutMs ?? 5000;
  let ready: Promise<void> | null = null;
  const init = () =>
    (ready ??= (async () => {
      await storage.db.query(
        `CREATE TABLE IF NOT EXISTS ${T}.order_webhooks (
           seq bigserial, id text PRIMARY KEY, order_id text NOT NULL, body jsonb NOT NULL,
           status text NOT NULL DEFAULT 'pending', attempts integer NOT NULL DEFAULT 0,
           next_at timestamptz NOT NULL DEFAULT now(), last_error text, delivered_at timestamptz)`,
      );
      await storage.db.query(
        `CREATE INDEX IF NOT EXISTS order_webhooks_due ON ${T}.order_webhooks (next_at) WHERE status = 'pending'`,
      );
      await storage.db.query(
        `CREATE TABLE IF NOT EXISTS ${T}.order_webhook_cursor (id integer PRIMARY KEY, seq bigint NOT NULL)`,
      );
      await storage.db.query(
        `INSERT INTO ${T}.order_webhook_cursor (id, seq) VALUES (1, 0) ON CONFLICT (id) DO NOTHING`,
      );
    })());

  /** Follows the op log from the stored cursor into the outbox; the cursor moves only after the rows are in. */
  async function feed(): Promise<number> {
    let queued = 0;
    for (;;) {
      const cur = await storage.db.query<{ seq: string | number }>(
        `SELECT seq FROM ${T}.order_webhook_cursor WHERE id = 1`,
      );
      const after = Number(cur.rows[0]?.seq ?? 0);
      const scopes = (await storage.scopes()).filter((s) => s.startsWith('store:'));
      if (scopes.length === 0) return queued;
      const page = await storage.readSince({ after, scopes, limit: 500 });
      for (const o of page.ops) {
        const c = changeOf(o);
        if (!c) continue;
        const order = await deps.describe(c.orderId);
        const body: OrderWebhookBody = { id: c.key, type: c.type, orderId: c.orderId, at: c.at, order };
        const r = await storage.db.query(
          `INSERT INTO ${T}.order_webhooks (id, order_id, body) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING id`,
          [c.key, c.orderId, JSON.stringify(body)],
        );
        queued += r.rows.length;
      }
      // Only forward: two instances feeding at once never move it back.
      await storage.db.query(`UPDATE ${T}.order_webhook_cursor SET seq = GREATEST(seq, $1) WHERE id = 1`, [page.last]);
      if (!page.more || page.last <= after) return queued;
    }
  }

  async function deliver(id: string, body: string): Promise<{ ok: true } | { ok: false; error: string }> {
    const ts = Math.floor(Date.now() / 1000);
    try {
      const r = await fetch(settings.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-pos-webhook-id': id,
          'idempotency-key': id,
          'x-pos-webhook-timestamp': String(ts),
          'x-pos-webhook-signature': signOrderWebhook(settings.secret, ts, body),
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await r.body?.cancel().catch(() => {});
      return r.status >= 200 && r.status < 300 ? { ok: true } : { ok: false, error: `HTTP ${r.status}` };
    } catch (err) {
      return { ok: false, error: (err as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable' };
    }
  }

  /** Leases the due rows (the oldest pending one of each order) and sends them. */
  async function send(): Promise<{ delivered: number; retried: number; failed: number }> {
    const out = { delivered: 0, retried: 0, failed: 0 };
    // One statement: the lease (next_at pushed past the delivery timeout) is taken atomically, so
    // another instance's sender does not send the same row meanwhile.
    const due = await storage.db.query<{ id: string; body: unknown; attempts: number }>(
      `UPDATE ${T}.order_webhooks SET next_at = now() + make_interval(secs => $1)
        WHERE id IN (
          SELECT w.id FROM ${T}.order_webhooks w
           WHERE w.status = 'pending' AND w.next_at <= now()
             AND NOT EXISTS (SELECT 1 FROM ${T}.order_webhooks e
                              WHERE e.order_id = w.order_id AND e.status = 'pending' AND e.seq < w.seq)
           ORDER BY w.seq LIMIT 50 FOR UPDATE SKIP LOCKED)
        RETURNING id, body, attempts`,
      [Math.ceil(timeoutMs / 1000) * 2 + 5],
    );
    for (const row of due.rows) {
      const body = typeof row.body === 'string' ? row.body : JSON.stringify(row.body);
      const r = await deliver(row.id, body);
      if (r.ok) {
        await storage.db.query(
          `UPDATE ${T}.order_webhooks SET status = 'delivered', delivered_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1`,
          [row.id],
        );
        out.delivered++;
        continue;
      }
      const attempts = row.attempts + 1;
      if (attempts >= maxAttempts) {
        await storage.db.query(
          `UPDATE ${T}.order_webhooks SET status = 'failed', attempts = $2, last_error = $3 WHERE id = $1`,
          [row.id, attempts, r.error],
        );
        log.warn({ webhook: row.id, attempts, error: r.error }, 'order webhook given up; the mall must pull it');
        out.failed++;
        continue;
      }
      // Exponential backoff with ±20 % jitter, so many failed rows do not retry in one burst.
      const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempts - 1)) * (0.8 + Math.random() * 0.4);
      await storage.db.query(
        `UPDATE ${T}.order_webhooks SET attempts = $2, last_error = $3, next_at = now() + make_interval(secs => $4) WHERE id = $1`,
        [row.id, attempts, r.error, delay / 1000],
      );
      out.retried++;
    }
    return out;
  }

  async function pump() {
    await init();
    const queued = await feed();
    return { queued, ...(await send()) };
  }

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  return {
    pump,
    start() {
      timer = setInterval(() => {
        if (busy) return;
        busy = true;
        running = pump()
          .catch((err: unknown) => log.error({ err: (err as Error).message }, 'order webhooks pass failed'))
          .finally(() => (busy = false));
      }, settings.pollMs ?? 1000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
