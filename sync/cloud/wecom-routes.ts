// The WeCom add-contact callback (public route, authenticated by WeCom's msg_signature through
// the provider). The event's `state` names a member's sale (app/core/members/wecom-state.ts):
// the sale fact that replicated from the till carries the same state with its store, till,
// cashier and member. The external contact becomes the member's `wecom` identity (One-ID: a
// contact already linked to another member merges the two), the member's `wecom` profile field
// is set (the till's panel shows 已加企微 after its next sync), and a `wecom_contact` fact
// records the behaviour with its attribution. Retries of the same event change nothing. A state
// links once and within a day of its sale: a receipt picked up later cannot attach a stranger's
// WeCom contact to the member (nor, through One-ID, merge the member into the stranger's record).
import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { Op, OpFactory } from '../core';
import type { PgSyncStorage } from '../storage';
import { readBytes, type KitEnv } from '../../http-kit';
import { linkIdentity, memberScope } from './member-writes';
import type { WecomCallbackQuery, WecomContactAdded, WecomProvider } from './wecom-provider';

export interface WecomRouteDeps {
  storage: PgSyncStorage;
  ops: OpFactory;
  log: Logger;
  provider: WecomProvider;
}

const MAX_CALLBACK_BYTES = 64_000;
/** A sale's QR links a contact only within a day of the sale. */
const STATE_TTL_MS = 24 * 3600_000;
const text = (body: string) => new Response(body, { status: 200, headers: { 'content-type': 'text/plain' } });

function query(url: URL): WecomCallbackQuery {
  const q = (k: string) => url.searchParams.get(k) ?? undefined;
  return { msg_signature: q('msg_signature'), timestamp: q('timestamp'), nonce: q('nonce'), echostr: q('echostr') };
}

export function createWecomRoutes(d: WecomRouteDeps): Hono<KitEnv> {
  const { storage, ops } = d;
  const T = storage.table;

  async function saleByState(state: string) {
    const r = await storage.db.query<{ s: string; k: string; b: string }>(
      `SELECT s, k, b FROM ${T}.ops WHERE t = 'fact' AND e = 'sale' AND (b::jsonb ->> 'wecomState') = $1 LIMIT 1`,
      [state],
    );
    const row = r.rows[0];
    if (!row) return null;
    const b = JSON.parse(row.b) as Record<string, unknown>;
    return {
      scope: row.s,
      saleId: row.k,
      storeId: row.s.startsWith('store:') ? row.s.slice(6) : null,
      terminalId: typeof b['terminalId'] === 'string' ? b['terminalId'] : null,
      cashierId: typeof b['cashierId'] === 'string' ? b['cashierId'] : null,
      memberId: typeof b['memberId'] === 'string' ? b['memberId'] : null,
      createdAt: typeof b['createdAt'] === 'string' ? b['createdAt'] : '',
    };
  }

  async function contactAdded(ev: WecomContactAdded) {
    const sale = ev.state ? await saleByState(ev.state) : null;
    // The first contact through a sale's state links (its fact id is the state); any later one
    // (a receipt passed on or found, a family member) is recorded for the store but links nothing.
    const first = ev.state && sale ? await storage.fact('wecom_contact', ev.state) : null;
    if (first?.['externalUserId'] === ev.externalUserId) return { duplicate: true, linked: false };
    const factId = ev.state && sale && !first ? ev.state : `${ev.state ?? 'static'}.${ev.externalUserId}`;
    if (factId !== ev.state && (await storage.fact('wecom_contact', factId))) return { duplicate: true, linked: false };

    let memberId: string | null = null;
    let merged = false;
    let reason: string | null = null;
    if (!sale) reason = ev.state ? 'unknown-state' : 'no-state';
    else if (!sale.memberId) reason = 'no-member';
    else if (first) reason = 'state-used';
    else if (Date.parse(ev.createdAt) - Date.parse(sale.createdAt) > STATE_TTL_MS) reason = 'state-expired';
    else {
      const view = await storage.member(sale.memberId);
      if (view.erased) reason = 'erased';
      else {
        const mscope = await memberScope(storage, view.id);
        const r = await linkIdentity(storage, ops, view.id, mscope, 'wecom', ev.externalUserId, [
          ops.set(mscope, 'member', view.id, 'wecom', true),
          ops.set(mscope, 'member', view.id, 'wecomLinkedAt', ev.createdAt),
          ops.set(mscope, 'member', view.id, 'wecomStaff', ev.userId),
        ]);
        memberId = r.memberId;
        merged = r.merged;
      }
    }
    const fact: Op = ops.fact(sale ? sale.scope : 'chain', 'wecom_contact', factId, {
      event: 'add_external_contact',
      linked: memberId !== null,
      reason,
      memberId,
      storeId: sale?.storeId ?? null,
      terminalId: sale?.terminalId ?? null,
      cashierId: sale?.cashierId ?? null,
      saleId: sale?.saleId ?? null,
      wecomUserId: ev.userId,
      externalUserId: ev.externalUserId,
      at: ev.createdAt,
    });
    await storage.apply([fact], 'cloud');
    return { duplicate: false, linked: memberId !== null, reason, memberId, merged };
  }

  return new Hono<KitEnv>()
    .get('/wecom/callback', (c) => text(d.provider.verifyUrl(query(new URL(c.req.url)))))
    .post('/wecom/callback', async (c) => {
      const body = (await readBytes(c.env.incoming, MAX_CALLBACK_BYTES)).toString('utf8');
      const ev = d.provider.open(query(new URL(c.req.url)), body);
      if (ev) {
        const r = await contactAdded(ev);
        d.log.info({ ...r, withState: ev.state !== null }, 'WeCom contact added');
      }
      // WeCom wants a quick 200 with "success"; anything else makes it retry.
      return text('success');
    });
}
