// WeCom's server API, the part the store's 私域 loop needs: an access token from `gettoken`
// (corp id + the 客户联系 secret; cached for its `expires_in` less a minute, fetched again when
// WeCom answers 40014/42001), `externalcontact/add_contact_way` (a store's "contact me" QR:
// type 1 one staff member / 2 several, scene 2 QR code, `state` ≤ 30 characters) and
// `externalcontact/send_welcome_msg` (a welcome code from the add-contact callback, valid for 20 s
// and once), and `externalcontact/customer_acquisition/create_link` (the store's 获客链接: link_name,
// range.user_list, skip_verify → link.link_id, link.url; a `customer_channel` query parameter on
// that URL comes back as the add-contact callback's State, which is how a per-sale state reaches
// WeCom). Every answer carries `errcode`/`errmsg`; a non-zero errcode becomes a coded error
// with WeCom's code in its details, never a crash.
import { z } from 'zod';
import { syncError } from '../protocol';

const WECOM_API_URL = 'https://qyapi.weixin.qq.com';
const TOKEN_EXPIRED = new Set([40014, 42001]);
const TIMEOUT_MS = 5000;

export interface WecomApiSettings {
  corpId: string;
  secret: string;
  /** Base URL of WeCom's API (the emulator in tests); default https://qyapi.weixin.qq.com. */
  apiUrl?: string;
}

export interface ContactWayInput {
  /** Staff UserIDs: one makes a type-1 (single) way, several a type-2 (multi) way. */
  users: string[];
  state: string;
  remark?: string;
}

const answer = z.object({ errcode: z.number().int(), errmsg: z.string().optional() }).passthrough();
const tokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });
export interface AcquisitionLinkInput {
  /** The link's name in WeCom's console (the store id and name). */
  name: string;
  /** Staff UserIDs the link hands new customers to (WeCom allows 500). */
  users: string[];
}

const acquisitionLinkAnswer = z.object({
  link: z.object({ link_id: z.string().min(1).max(128), url: z.string().url().max(500) }),
});
const contactWayAnswer = z.object({ config_id: z.string().min(1).max(128), qr_code: z.string().url().max(500) });

export class WecomApi {
  private token: { value: string; until: number } | null = null;
  private readonly base: string;

  constructor(
    private readonly s: WecomApiSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.base = (s.apiUrl ?? WECOM_API_URL).replace(/\/$/, '');
  }

  private async call(path: string, init: RequestInit): Promise<Record<string, unknown>> {
    let r: Response;
    try {
      r = await fetch(`${this.base}${path}`, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch {
      throw syncError('CLOUD_UNREACHABLE', 'WeCom API did not answer', { api: path.split('?')[0] });
    }
    const body = answer.safeParse(await r.json().catch(() => null));
    if (!r.ok || !body.success)
      throw syncError('CLOUD_UNREACHABLE', 'WeCom API answered something unreadable', {
        api: path.split('?')[0],
        status: r.status,
      });
    return body.data;
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.until > this.now()) return this.token.value;
    const q = new URLSearchParams({ corpid: this.s.corpId, corpsecret: this.s.secret });
    const a = await this.call(`/cgi-bin/gettoken?${q}`, { method: 'GET' });
    if (a['errcode'] !== 0)
      throw syncError('REFUSED', 'WeCom refused the corp id or secret', {
        api: 'gettoken',
        errcode: a['errcode'],
      });
    const t = tokenAnswer.safeParse(a);
    if (!t.success) throw syncError('CLOUD_UNREACHABLE', 'WeCom gettoken answer has no token', { api: 'gettoken' });
    this.token = { value: t.data.access_token, until: this.now() + Math.max(0, t.data.expires_in - 60) * 1000 };
    return t.data.access_token;
  }

  /** POST with the access token; one retry with a fresh token when WeCom says it expired. */
  private async post(api: string, body: unknown): Promise<Record<string, unknown>> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      const a = await this.call(`/cgi-bin/${api}?access_token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const code = a['errcode'];
      if (code === 0) return a;
      if (typeof code === 'number' && TOKEN_EXPIRED.has(code) && attempt === 0) {
        this.token = null;
        continue;
      }
      throw syncError('REFUSED', `WeCom refused ${api}`, { api, errcode: code, errmsg: a['errmsg'] });
    }
  }

  async addContactWay(w: ContactWayInput): Promise<{ configId: string; qrCode: string }> {
    const a = await this.post('externalcontact/add_contact_way', {
      type: w.users.length === 1 ? 1 : 2,
      scene: 2,
      skip_verify: true,
      state: w.state,
      user: w.users,
      ...(w.remark ? { remark: w.remark } : {}),
    });
    const r = contactWayAnswer.safeParse(a);
    if (!r.success)
      throw syncError('CLOUD_UNREACHABLE', 'WeCom add_contact_way answer has no config_id / qr_code', {
        api: 'externalcontact/add_contact_way',
      });
    return { configId: r.data.config_id, qrCode: r.data.qr_code };
  }

  async createAcquisitionLink(l: AcquisitionLinkInput): Promise<{ linkId: string; url: string }> {
    const api = 'externalcontact/customer_acquisition/create_link';
    const a = await this.post(api, { link_name: l.name, range: { user_list: l.users }, skip_verify: true });
    const r = acquisitionLinkAnswer.safeParse(a);
    if (!r.success) throw syncError('CLOUD_UNREACHABLE', 'WeCom create_link answer has no link_id / url', { api });
    return { linkId: r.data.link.link_id, url: r.data.link.url };
  }

  async sendWelcome(welcomeCode: string, text: string): Promise<void> {
    await this.post('externalcontact/send_welcome_msg', { welcome_code: welcomeCode, text: { content: text } });
  }
}
