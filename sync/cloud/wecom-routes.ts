// The WeCom add-contact callback (public route, authenticated by WeCom's msg_signature through
// the provider). The event's `state` names a member's sale (app/core/members/wecom-state.ts):
// the sale fact that replicated from the till carries the same state with its store, till,
// cashier and member. The external contact becomes the member's `wecom` identity (One-ID: a
// contact already linked to another member merges the two), the member's `wecom` profile field
// is set (the till's panel shows 已加企微 after its next sync), and a `wecom_contact` fact
// records the behaviour with its attribution. Retries of the same event change nothing. A state
// links once and within a day of its sale: a receipt picked up later cannot attach a stranger's
// WeCom contact to the member (nor, through One-ID, merge the member into the stranger's record).
//
// With a welcome code and a welcome text for the store (the sale's, or the store whose contact
// way's state the QR carried; wecom-stores.ts) the cloud sends the welcome message at once (WeCom
// gives 20 s). A delete event (the staff member removed the customer, or the customer removed the
// staff member) unlinks: the member's `wecom` profile field turns false (the identity stays, so a
// later add links again) and a `wecom_contact` fact records it.
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { Op, OpFactory } from '../core';
import type { PgSyncStorage } from '../storage';
import { readBytes, type KitEnv } from '../../http-kit';
import { linkIdentity, memberScope } from './member-writes';
import type { WecomCallbackQuery, WecomContactAdded, WecomContactRemoved, WecomProvider } from './wecom-provider';
import type { WecomStores } from './wecom-stores';

export interface WecomRouteDeps {
  storage: PgSyncStorage;
  ops: OpFactory;
  log: Logger;
  provider: WecomProvider;
  stores: WecomStores;
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

  /** The store's welcome text through WeCom; never fails the callback (the customer is added either way). */
  async function welcome(ev: WecomContactAdded, storeId: string | null): Promise<'sent' | 'failed' | null> {
    if (!ev.welcomeCode || !storeId) return null;
    const text = (await d.stores.get(storeId))?.welcomeText;
    if (!text) return null;
    try {
      await d.provider.sendWelcome(ev.welcomeCode, text);
      return 'sent';
    } catch (e) {
      const details = (e as { details?: unknown }).details;
      d.log.warn({ store: storeId, details }, 'WeCom welcome message not sent');
      return 'failed';
    }
  }

  async function contactAdded(ev: WecomContactAdded) {
    const sale = ev.state ? await saleByState(ev.state) : null;
    // A guest who scanned the store's own contact way (its state names the store, not a sale).
    const store = !sale && ev.state ? await d.stores.byState(ev.state) : null;
    // The first contact through a sale's state links (its fact id is the state); any later one
    // (a receipt passed on or found, a family member) is recorded for the store but links nothing.
    const first = ev.state && sale ? await storage.fact('wecom_contact', ev.state) : null;
    if (first?.['externalUserId'] === ev.externalUserId) return { duplicate: true, linked: false };
    const factId = ev.state && sale && !first ? ev.state : `${ev.state ?? 'static'}.${ev.externalUserId}`;
    if (factId !== ev.state && (await storage.fact('wecom_contact', factId))) return { duplicate: true, linked: false };

    let memberId: string | null = null;
    let merged = false;
    let reason: string | null = null;
    if (store) reason = 'no-member';
    else if (!sale) reason = ev.state ? 'unknown-state' : 'no-state';
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
    const storeId = sale?.storeId ?? store?.storeId ?? null;
    const welcomed = await welcome(ev, storeId);
    const scope = sale ? sale.scope : store ? `store:${store.storeId}` : 'chain';
    const fact: Op = ops.fact(scope, 'wecom_contact', factId, {
      event: 'add_external_contact',
      linked: memberId !== null,
      reason,
      memberId,
      welcome: welcomed,
      storeId,
      terminalId: sale?.terminalId ?? null,
      cashierId: sale?.cashierId ?? null,
      saleId: sale?.saleId ?? null,
      wecomUserId: ev.userId,
      externalUserId: ev.externalUserId,
      at: ev.createdAt,
    });
    await storage.apply([fact], 'cloud');
    return { duplicate: false, linked: memberId !== null, reason, memberId, merged, welcome: welcomed };
  }

  async function contactRemoved(ev: WecomContactRemoved) {
    const event = ev.by === 'staff' ? 'del_external_contact' : 'del_follow_user';
    // WeCom retries an event it thinks was lost: the same event gives the same fact id.
    const factId = `d1${createHash('sha256')
      .update([event, ev.userId, ev.externalUserId, ev.createdAt].join('\n'))
      .digest('base64url')
      .slice(0, 22)}`;
    if (await storage.fact('wecom_contact', factId)) return { duplicate: true, unlinked: false };
    const holder = await storage.findMember('wecom', ev.externalUserId);
    let memberId: string | null = null;
    let scope = 'chain';
    let reason: string | null = null;
    if (!holder) reason = 'unknown-contact';
    else {
      const view = await storage.member(holder);
      memberId = view.id;
      scope = await memberScope(storage, view.id);
      const staff = view.profile['wecomStaff'];
      if (view.erased) reason = 'erased';
      else if (view.profile['wecom'] !== true) reason = 'not-linked';
      // The member is linked through another staff member's contact: that one still stands.
      else if (typeof staff === 'string' && staff !== ev.userId) reason = 'other-staff';
    }
    const unlinked = memberId !== null && reason === null;
    const batch: Op[] = [];
    if (unlinked && memberId) {
      batch.push(ops.set(scope, 'member', memberId, 'wecom', false));
      batch.push(ops.set(scope, 'member', memberId, 'wecomUnlinkedAt', ev.createdAt));
    }
    batch.push(
      ops.fact(scope.startsWith('store:') ? scope : 'chain', 'wecom_contact', factId, {
        event,
        unlinked,
        reason,
        memberId,
        storeId: scope.startsWith('store:') ? scope.slice(6) : null,
        wecomUserId: ev.userId,
        externalUserId: ev.externalUserId,
        at: ev.createdAt,
      }),
    );
    await storage.apply(batch, 'cloud');
    return { duplicate: false, unlinked, reason, memberId };
  }

  return new Hono<KitEnv>()
    .get('/wecom/callback', (c) => text(d.provider.verifyUrl(query(new URL(c.req.url)))))
    .post('/wecom/callback', async (c) => {
      const body = (await readBytes(c.env.incoming, MAX_CALLBACK_BYTES)).toString('utf8');
      const ev = d.provider.open(query(new URL(c.req.url)), body);
      if (ev?.kind === 'add') {
        const r = await contactAdded(ev);
        d.log.info({ ...r, withState: ev.state !== null }, 'WeCom contact added');
      } else if (ev?.kind === 'remove') {
        const r = await contactRemoved(ev);
        d.log.info({ ...r, by: ev.by }, 'WeCom contact removed');
      }
      // WeCom wants a quick 200 with "success"; anything else makes it retry.
      return text('success');
    });
}
