// The cloud customer-data platform's admin API (admin token): create members, link identities
// (One-ID: an identity already held by another member merges the two), issue the member code
// the mini-program shows, the 360 view, the PIPL access export, erasure, and behaviour tags.
// Everything is written as member ops through storage.apply, like any replica, so the store's
// tills receive it with the next sync. Phone numbers are masked in every answer except the
// member's own export, and never logged.
import { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import { IDENTITY_TYPES, storeScope, type Op, type OpFactory } from '../core';
import type { PgSyncStorage } from '../storage';
import { jsonReply, readJson, type KitEnv } from '../../http-kit';
import { maskName, syncError } from '../protocol';
import type { CloudAuthority } from './cloud-authority';
import { BEHAVIOUR_TAGS, behaviourTags, type MemberSale } from './member-tags';
import { linkIdentity, memberScope } from './member-writes';

export interface CdpDeps {
  storage: PgSyncStorage;
  authority: CloudAuthority;
  ops: OpFactory;
  log: Logger;
  requireAdmin(header: string | undefined): void;
  now?: () => Date;
}

const storeId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/);
const consentInput = z.object({
  marketing: z.boolean().optional(),
  face: z.boolean().optional(),
  chainFace: z.boolean().optional(),
  channel: z.string().min(1).max(40),
  textVersion: z.string().min(1).max(20),
});
const createInput = z.object({
  storeId: storeId.optional(),
  phone: z
    .string()
    .regex(/^\+?\d{6,15}$/)
    .optional(),
  unionid: z.string().min(1).max(128).optional(),
  name: z.string().trim().min(1).max(40).optional(),
  level: z.string().min(1).max(20).optional(),
  consent: consentInput.optional(),
});
const identityInput = z.object({ type: z.enum(IDENTITY_TYPES), value: z.string().trim().min(1).max(128) });
const tagsInput = z.object({ now: z.string().datetime().optional() });

function bad(err: z.ZodError): never {
  const i = err.issues[0];
  throw syncError('BAD_INPUT', i ? `${i.path.join('.') || 'body'}: ${i.message}` : 'bad input');
}

export function maskIdentity(type: string, value: string): string {
  if (type === 'phone') return value.length >= 11 ? `${value.slice(0, 3)}****${value.slice(-4)}` : '****';
  return value.length > 6 ? `${value.slice(0, 3)}…${value.slice(-3)}` : '***';
}

export function createCdpRoutes(d: CdpDeps): Hono<KitEnv> {
  const { storage, ops } = d;
  const T = storage.table;
  const now = d.now ?? (() => new Date());

  const scopeOf = (memberId: string) => memberScope(storage, memberId);

  async function existing(id: string) {
    const view = await storage.member(id);
    const any = Object.keys(view.profile).length > 0 || view.identities.length > 0 || view.points !== 0;
    if (!any && !view.erased) throw syncError('NOT_FOUND', 'no such member');
    return view;
  }

  const link = (memberId: string, scope: string, type: (typeof IDENTITY_TYPES)[number], value: string) =>
    linkIdentity(storage, ops, memberId, scope, type, value);

  async function memberSales(group: string[]) {
    const r = await storage.db.query<{ k: string; s: string; b: string }>(
      `SELECT k, s, b FROM ${T}.ops WHERE t = 'fact' AND e = 'sale' AND (b::jsonb ->> 'memberId') = ANY($1::text[]) ORDER BY k COLLATE "C" DESC`,
      [group],
    );
    return r.rows.map((row) => {
      const b = JSON.parse(row.b) as Record<string, unknown>;
      return {
        saleId: row.k,
        storeId: row.s.startsWith('store:') ? row.s.slice(6) : null,
        number: b['number'] as string,
        total: b['total'] as number,
        pointsEarned: (b['pointsEarned'] as number | undefined) ?? 0,
        createdAt: b['createdAt'] as string,
        lines: ((b['lines'] as { sku: string; name: string; quantity: number; total: number }[]) ?? []).map((l) => ({
          sku: l.sku,
          name: l.name,
          quantity: l.quantity,
          total: l.total,
        })),
      };
    });
  }

  function consents(profile: Record<string, unknown>) {
    const out: Record<string, unknown> = {};
    for (const p of ['marketing', 'face', 'chainFace'])
      out[p] = { granted: profile[`consent.${p}`] === true, record: profile[`consentRecord.${p}`] ?? null };
    return out;
  }

  return new Hono<KitEnv>()
    .post('/api/members', async (c) => {
      d.requireAdmin(c.env.incoming.headers.authorization);
      const r = createInput.safeParse(await readJson(c.env.incoming));
      if (!r.success) bad(r.error);
      const i = r.data;
      const scope = i.storeId ? storeScope(i.storeId) : 'chain';
      const memberId = `m-${randomUUID()}`;
      const batch: Op[] = [
        ops.identity(scope, memberId, 'code', memberId),
        ops.set(scope, 'member', memberId, 'level', i.level ?? 'silver'),
      ];
      if (i.name) batch.push(ops.set(scope, 'member', memberId, 'name', i.name));
      if (i.consent) {
        const at = now().toISOString();
        for (const p of ['marketing', 'face', 'chainFace'] as const) {
          const v = i.consent[p];
          if (v === undefined) continue;
          batch.push(ops.set(scope, 'member', memberId, `consent.${p}`, v));
          batch.push(
            ops.set(scope, 'member', memberId, `consentRecord.${p}`, {
              granted: v,
              at,
              channel: i.consent.channel,
              textVersion: i.consent.textVersion,
            }),
          );
        }
      }
      await storage.apply(batch, 'cloud');
      let result = { memberId, merged: false };
      if (i.phone) result = await link(memberId, scope, 'phone', i.phone);
      if (i.unionid) result = await link(result.memberId, scope, 'unionid', i.unionid);
      d.log.info({ memberId: result.memberId, merged: result.merged }, 'member created');
      return jsonReply(200, { ok: true, ...result });
    })
    .post('/api/members/:id/identities', async (c) => {
      d.requireAdmin(c.env.incoming.headers.authorization);
      const r = identityInput.safeParse(await readJson(c.env.incoming));
      if (!r.success) bad(r.error);
      const view = await existing(c.req.param('id'));
      if (view.erased) throw syncError('NOT_FOUND', 'member was erased');
      const out = await link(view.id, await scopeOf(view.id), r.data.type, r.data.value);
      d.log.info({ memberId: out.memberId, type: r.data.type, merged: out.merged }, 'identity linked');
      return jsonReply(200, { ok: true, ...out });
    })
    .post('/api/members/:id/code', async (c) => {
      d.requireAdmin(c.env.incoming.headers.authorization);
      const view = await existing(c.req.param('id'));
      if (view.erased) throw syncError('NOT_FOUND', 'member was erased');
      return jsonReply(200, { ok: true, ...d.authority.signMemberCode(view.id) });
    })
    .get('/api/members/:id', async (c) => {
      d.requireAdmin(c.env.incoming.headers.authorization);
      const view = await existing(c.req.param('id'));
      const group = [view.id, ...view.mergedFrom];
      const level = view.profile['level'];
      return jsonReply(200, {
        ok: true,
        member: {
          id: view.id,
          mergedFrom: view.mergedFrom,
          erased: view.erased,
          maskedName: maskName(view.profile['name']),
          level: typeof level === 'string' ? level : null,
          points: view.points,
          tags: view.tags,
          identities: view.identities.map((x) => ({ type: x.type, value: maskIdentity(x.type, x.value) })),
          consents: consents(view.profile),
          wecom: { linked: view.profile['wecom'] === true, linkedAt: view.profile['wecomLinkedAt'] ?? null },
          purchases: view.erased ? [] : await memberSales(group),
        },
      });
    })
    .get('/api/members/:id/export', async (c) => {
      d.requireAdmin(c.env.incoming.headers.authorization);
      const view = await existing(c.req.param('id'));
      const group = [view.id, ...view.mergedFrom];
      const ledger = await storage.db.query<{ id: string; f: string; k: string; n: string }>(
        `SELECT id, f, k, n FROM ${T}.ops WHERE t = 'pts' AND e = ANY($1::text[]) ORDER BY id COLLATE "C"`,
        [group],
      );
      d.log.info({ memberId: view.id }, 'member data exported (PIPL access request)');
      c.header('content-disposition', `attachment; filename="member-${view.id}.json"`);
      return jsonReply(200, {
        ok: true,
        exportedAt: now().toISOString(),
        member: {
          id: view.id,
          mergedFrom: view.mergedFrom,
          erased: view.erased,
          profile: view.profile,
          identities: view.identities,
          points: view.points,
          pointsLedger: ledger.rows.map((x) => ({ at: x.id, reason: x.f, ref: x.k, delta: Number(x.n) })),
          tags: view.tags,
          purchases: view.erased ? [] : await memberSales(group),
        },
      });
    })
    .post('/api/members/:id/erase', async (c) => {
      d.requireAdmin(c.env.incoming.headers.authorization);
      const view = await existing(c.req.param('id'));
      // One tombstone per scope the member's group lives in, so every replica of it receives one.
      const group = [view.id, ...view.mergedFrom];
      const scopes = await storage.db.query<{ s: string }>(
        `SELECT DISTINCT s FROM ${T}.ops WHERE (t = 'set' AND e = 'member' AND k = ANY($1::text[])) OR (t IN ('ident','pts','tag','merge') AND e = ANY($1::text[]))`,
        [group],
      );
      const batch = scopes.rows.map((r) => ops.erase(r.s, view.id));
      if (batch.length === 0) batch.push(ops.erase('chain', view.id));
      await storage.apply(batch, 'cloud');
      d.log.info({ memberId: view.id, scopes: batch.length }, 'member erased');
      return jsonReply(200, { ok: true, memberId: view.id, scopes: batch.map((o) => o.s) });
    })
    .post('/api/members/tags/recompute', async (c) => {
      d.requireAdmin(c.env.incoming.headers.authorization);
      const r = tagsInput.safeParse((await readJson(c.env.incoming)) ?? {});
      if (!r.success) bad(r.error);
      const at = r.data.now ? new Date(r.data.now) : now();
      const rows = await storage.db.query<{ b: string }>(
        `SELECT b FROM ${T}.ops WHERE t = 'fact' AND e = 'sale' AND (b::jsonb ->> 'memberId') IS NOT NULL`,
      );
      const sales: MemberSale[] = [];
      const canonical = new Map<string, string>();
      for (const row of rows.rows) {
        const b = JSON.parse(row.b) as { memberId: string; total: number; createdAt: string };
        let m = canonical.get(b.memberId);
        if (!m) {
          m = (await storage.member(b.memberId)).id;
          canonical.set(b.memberId, m);
        }
        sales.push({ memberId: m, total: b.total, at: b.createdAt });
      }
      const want = behaviourTags(sales, at);
      const batch: Op[] = [];
      for (const [memberId, tags] of want) {
        const view = await storage.member(memberId);
        if (view.erased) continue;
        const scope = await scopeOf(memberId);
        for (const t of tags) if (!view.tags.includes(t)) batch.push(ops.addTag(scope, memberId, t));
        for (const t of view.tags) {
          if (!BEHAVIOUR_TAGS.includes(t) || tags.includes(t)) continue;
          const adds = await storage.db.query<{ id: string }>(
            `SELECT id FROM ${T}.ops WHERE t = 'tag' AND f = 'add' AND e = ANY($1::text[]) AND k = $2`,
            [[memberId, ...view.mergedFrom], t],
          );
          batch.push(
            ops.removeTag(
              scope,
              memberId,
              t,
              adds.rows.map((x) => x.id),
            ),
          );
        }
      }
      if (batch.length) await storage.apply(batch, 'cloud');
      return jsonReply(200, { ok: true, members: want.size, tagOps: batch.length });
    });
}
