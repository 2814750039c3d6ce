// Each store's WeCom set-up, kept by the cloud: the "contact me" way it created through WeCom's
// API (config_id — needed to edit or delete the way later — and the QR URL), the way's state, the
// staff behind it and the store's welcome text (zh-CN, sent on every new contact through the
// store). The QR URL reaches the store's tills as the store-wide config field `wecomQrUrl`
// (an HQ-authored config op), so nobody types it into a till.
//
// With the contact way the cloud also creates the store's 获客链接 (customer-acquisition link) for
// the same staff. Real WeCom fixes a contact way's state at creation and its qr_code is a picture,
// so a per-sale state appended to it never reaches WeCom; the link's URL with
// `?customer_channel=<state>` does (WeCom returns it as the callback's State). The link URL reaches
// the tills as the store-wide config field `wecomLinkUrl` (HQ-authored; a store device cannot write
// it). WeCom refusing the link (the acquisition API wants a self-built app's secret, not the 客户联系
// one, and a purchased quota) does not fail the set-up: the answer says so in `linkError` and the
// tills keep the contact way's QR (attribution then works with the emulator only).
//
// Admin routes (admin token):
//   POST /api/stores/:storeId/wecom  {users?: [UserID…], remark?, welcomeText?: string | null}
//        → {wecom: WecomStoreSetup, linkError?: {code, errcode}}
//   GET  /api/stores/:storeId/wecom
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { z } from 'zod';
import { storeScope, type OpFactory } from '../core';
import type { PgSyncStorage } from '../storage';
import { jsonReply, readJson, type KitEnv } from '../../http-kit';
import { syncError } from '../protocol';
import type { WecomProvider } from './wecom-provider';

export interface WecomStoreSetup {
  storeId: string;
  configId: string | null;
  qrCode: string | null;
  /** The contact way's own state: names the store when a guest scans the static QR. */
  state: string;
  users: string[];
  /** The store's 获客链接 (link_id and URL), or null when WeCom refused it or none was made yet. */
  linkId: string | null;
  linkUrl: string | null;
  welcomeText: string | null;
  updatedAt: string;
}

const STORE_ID = /^[A-Za-z0-9_-]{1,32}$/;
const setupInput = z
  .object({
    // WeCom UserIDs: 1–64 bytes of letters, digits and _-.@ ; one makes a single-person way.
    users: z
      .array(z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/))
      .min(1)
      .max(100)
      .refine((u) => new Set(u).size === u.length, 'users must differ')
      .optional(),
    remark: z.string().trim().min(1).max(30).optional(),
    // WeCom allows 4000 bytes; 1000 characters of Chinese stay under it.
    welcomeText: z.string().trim().min(1).max(1000).nullable().optional(),
  })
  .strict()
  .refine((b) => b.users !== undefined || b.welcomeText !== undefined, 'users or welcomeText is required');

/** `s1` + 22 base64url characters: 24 characters (WeCom allows 30), apart from the sales' `w1…`. */
function storeContactState(storeId: string): string {
  return `s1${createHash('sha256').update(`wecom-store\n${storeId}`).digest('base64url').slice(0, 22)}`;
}

export class WecomStores {
  private ready: Promise<void> | null = null;
  constructor(private readonly storage: PgSyncStorage) {}

  private init(): Promise<void> {
    const T = this.storage.table;
    return (this.ready ??= this.storage.db
      .query(
        `CREATE TABLE IF NOT EXISTS ${T}.wecom_stores (store_id text PRIMARY KEY, state text NOT NULL UNIQUE, config_id text, qr_code text, users jsonb NOT NULL, welcome_text text, updated_at timestamptz NOT NULL)`,
      )
      .then(() =>
        this.storage.db.query(
          `ALTER TABLE ${T}.wecom_stores ADD COLUMN IF NOT EXISTS link_id text, ADD COLUMN IF NOT EXISTS link_url text`,
        ),
      )
      .then(() => undefined));
  }

  private async one(where: string, v: string): Promise<WecomStoreSetup | null> {
    await this.init();
    const r = await this.storage.db.query<{
      store_id: string;
      state: string;
      config_id: string | null;
      qr_code: string | null;
      link_id: string | null;
      link_url: string | null;
      users: string[] | string;
      welcome_text: string | null;
      updated_at: Date | string;
    }>(`SELECT * FROM ${this.storage.table}.wecom_stores WHERE ${where} = $1`, [v]);
    const row = r.rows[0];
    if (!row) return null;
    return {
      storeId: row.store_id,
      configId: row.config_id,
      qrCode: row.qr_code,
      state: row.state,
      users: typeof row.users === 'string' ? (JSON.parse(row.users) as string[]) : row.users,
      linkId: row.link_id,
      linkUrl: row.link_url,
      welcomeText: row.welcome_text,
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }

  get(storeId: string): Promise<WecomStoreSetup | null> {
    return this.one('store_id', storeId);
  }

  byState(state: string): Promise<WecomStoreSetup | null> {
    return this.one('state', state);
  }

  async save(s: WecomStoreSetup): Promise<void> {
    await this.init();
    await this.storage.db.query(
      `INSERT INTO ${this.storage.table}.wecom_stores (store_id, state, config_id, qr_code, users, welcome_text, updated_at, link_id, link_url)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9)
       ON CONFLICT (store_id) DO UPDATE SET config_id = excluded.config_id, qr_code = excluded.qr_code,
         users = excluded.users, welcome_text = excluded.welcome_text, updated_at = excluded.updated_at,
         link_id = excluded.link_id, link_url = excluded.link_url`,
      [
        s.storeId,
        s.state,
        s.configId,
        s.qrCode,
        JSON.stringify(s.users),
        s.welcomeText,
        s.updatedAt,
        s.linkId,
        s.linkUrl,
      ],
    );
  }
}

export interface WecomStoreRouteDeps {
  storage: PgSyncStorage;
  ops: OpFactory;
  log: Logger;
  stores: WecomStores;
  provider: WecomProvider | null;
  requireAdmin(header: string | undefined): void;
}

export function createWecomStoreRoutes(d: WecomStoreRouteDeps): Hono<KitEnv> {
  const storeIdOf = (raw: string | undefined): string => {
    if (!raw || !STORE_ID.test(raw)) throw syncError('BAD_INPUT', 'store id is 1–32 letters, digits, _ or -');
    return raw;
  };
  return new Hono<KitEnv>()
    .get('/api/stores/:storeId/wecom', async (c) => {
      d.requireAdmin(c.env.incoming.headers.authorization);
      const setup = await d.stores.get(storeIdOf(c.req.param('storeId')));
      if (!setup) throw syncError('NOT_FOUND', 'this store has no WeCom set-up');
      return jsonReply(200, { ok: true, wecom: setup });
    })
    .post('/api/stores/:storeId/wecom', async (c) => {
      d.requireAdmin(c.env.incoming.headers.authorization);
      const storeId = storeIdOf(c.req.param('storeId'));
      const body = setupInput.safeParse(await readJson(c.env.incoming));
      if (!body.success) throw syncError('BAD_INPUT', body.error.issues[0]?.message ?? 'bad input');
      if (!d.provider) throw syncError('REFUSED', 'WeCom is not configured on this cloud (WECOM_* settings)');
      const prev = await d.stores.get(storeId);
      const state = storeContactState(storeId);
      let linkError: { code: string; errcode: unknown } | null = null;
      const next: WecomStoreSetup = {
        storeId,
        state,
        configId: prev?.configId ?? null,
        qrCode: prev?.qrCode ?? null,
        users: prev?.users ?? [],
        linkId: prev?.linkId ?? null,
        linkUrl: prev?.linkUrl ?? null,
        welcomeText: body.data.welcomeText === undefined ? (prev?.welcomeText ?? null) : body.data.welcomeText,
        updatedAt: new Date().toISOString(),
      };
      if (body.data.users) {
        const way = await d.provider.createContactWay({ users: body.data.users, state, remark: body.data.remark });
        Object.assign(next, { configId: way.configId, qrCode: way.qrCode, users: body.data.users });
        try {
          const link = await d.provider.createAcquisitionLink({
            name: (body.data.remark ?? `store ${storeId}`).slice(0, 30),
            users: body.data.users,
          });
          Object.assign(next, { linkId: link.linkId, linkUrl: link.url });
        } catch (e) {
          // The contact way stands; the tills fall back to its QR (no per-sale attribution with real WeCom).
          const err = e as { code?: string; details?: Record<string, unknown> };
          linkError = { code: err.code ?? 'INTERNAL', errcode: err.details?.['errcode'] ?? null };
          Object.assign(next, { linkId: null, linkUrl: null });
        }
      }
      await d.stores.save(next);
      // The store's tills take the QR and the link from the store-wide config (HQ-authored, so every
      // till applies them; null clears a link WeCom refused this time).
      if (body.data.users && next.qrCode) {
        const scope = storeScope(storeId);
        await d.storage.apply(
          [
            d.ops.set(scope, 'config', storeId, 'wecomQrUrl', next.qrCode),
            d.ops.set(scope, 'config', storeId, 'wecomLinkUrl', next.linkUrl),
          ],
          'cloud',
        );
      }
      d.log.info(
        {
          store: storeId,
          contactWay: body.data.users !== undefined,
          link: next.linkUrl !== null,
          linkError,
          welcome: next.welcomeText !== null,
        },
        'WeCom store set-up saved',
      );
      return jsonReply(200, { ok: true, wecom: next, ...(linkError ? { linkError } : {}) });
    });
}
