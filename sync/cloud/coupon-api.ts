// The cloud's coupon API (marketing's side; admin token for now): issue a coupon to a member or
// as a bearer code for one store, and read a coupon with its redemptions and any double
// redemption the stores' tills made while cut off. A coupon is an immutable `coupon` fact in
// its store's scope, so it replicates to the store hub and its tills (sync/core/coupons.ts).
import { Hono } from 'hono';
import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import {
  couponFields,
  couponRedemptionRange,
  couponSchema,
  foldRedemptions,
  readCoupon,
  readCouponRedemption,
  storeScope,
  type OpFactory,
} from '../core';
import type { PgSyncStorage } from '../storage';
import { jsonReply, readJson, type KitEnv } from '../../http-kit';
import { syncError } from '../protocol';

interface Deps {
  storage: PgSyncStorage;
  ops: OpFactory;
  log: Logger;
  requireAdmin(header: string | undefined): void;
}

// Unambiguous on a phone screen and when typed: no 0/O, 1/I.
const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
function newCode(): string {
  let s = 'CPN';
  for (let i = 0; i < 10; i++) s += CODE_ALPHABET[randomInt(0, CODE_ALPHABET.length)];
  return s;
}

const issueInput = couponFields.extend({ code: couponFields.shape.code.optional() });

export function createCouponApi(deps: Deps): Hono<KitEnv> {
  const { storage, ops, log, requireAdmin } = deps;
  const T = storage.table;
  let ready: Promise<void> | null = null;
  const init = () =>
    (ready ??= storage.db
      .query(
        `CREATE TABLE IF NOT EXISTS ${T}.coupon_codes (code text PRIMARY KEY, store_id text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
      )
      .then(() => undefined));

  async function view(code: string) {
    const body = await storage.fact('coupon', code);
    const coupon = body ? readCoupon(body) : null;
    if (!coupon) return null;
    const { ops: facts } = await storage.keyRange({
      t: 'fact',
      scope: storeScope(coupon.storeId),
      e: 'coupon_redemption',
      ...couponRedemptionRange(code),
    });
    const { winner, conflicts } = foldRedemptions(
      facts.map((o) => readCouponRedemption(o.k, o.id, o.b)).filter((r) => r !== null),
    );
    return { ...coupon, status: winner ? 'redeemed' : 'open', redemption: winner, conflicts, qr: `coupon:${code}` };
  }

  return new Hono<KitEnv>()
    .post('/api/coupons', async (c) => {
      requireAdmin(c.env.incoming.headers.authorization);
      await init();
      const raw = await readJson(c.env.incoming);
      const parsed = issueInput.safeParse(raw);
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw syncError('BAD_INPUT', i ? `${i.path.join('.')}: ${i.message}` : 'bad coupon');
      }
      let code = parsed.data.code ?? '';
      // Unique across the chain: the code row is claimed first; a generated code that collides is redrawn.
      for (let i = 0; i < 5; i++) {
        const candidate = code || newCode();
        const r = await storage.db.query(
          `INSERT INTO ${T}.coupon_codes (code, store_id) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING RETURNING code`,
          [candidate, parsed.data.storeId],
        );
        if (r.rows.length) {
          code = candidate;
          break;
        }
        if (code) throw syncError('CONFLICT', `coupon code ${code} already exists`);
      }
      if (!code) throw syncError('INTERNAL', 'could not allocate a coupon code');
      const checked = couponSchema.safeParse({ ...parsed.data, code });
      if (!checked.success) {
        const i = checked.error.issues[0];
        throw syncError('BAD_INPUT', i ? `${i.path.join('.')}: ${i.message}` : 'bad coupon');
      }
      await storage.apply([ops.fact(storeScope(checked.data.storeId), 'coupon', code, checked.data)], 'cloud');
      log.info(
        { code, store: checked.data.storeId, kind: checked.data.kind, bearer: !checked.data.memberId },
        'coupon issued',
      );
      return jsonReply(200, { ok: true, coupon: await view(code) });
    })
    .get('/api/coupons/:code', async (c) => {
      requireAdmin(c.env.incoming.headers.authorization);
      const v = await view(c.req.param('code'));
      if (!v) throw syncError('NOT_FOUND', 'no such coupon');
      return jsonReply(200, { ok: true, coupon: v });
    });
}
