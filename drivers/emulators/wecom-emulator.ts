// WeCom (企业微信) server emulator: what WeCom does when a customer adds a staff member's
// "contact me" QR — it posts the change_external_contact / add_external_contact event to the
// configured callback URL, AES-256-CBC encrypted with the EncodingAESKey and signed with
// msg_signature = sha1(sort(token, timestamp, nonce, Encrypt)). Written from WeCom's callback
// documentation, apart from the cloud's receiver (this layer does not import sync), so a mistake
// on one side shows up as a refusal instead of cancelling out. Also makes the URL check (echostr)
// and posts the delete events (del_external_contact, del_follow_user).
//
// With `secret` it also serves the part of WeCom's server API the cloud calls (startApi()):
//   GET  /cgi-bin/gettoken?corpid&corpsecret               → {access_token, expires_in: 7200}
//   POST /cgi-bin/externalcontact/add_contact_way?access_token  {type 1|2, scene 1|2, state, user[]…}
//                                                           → {config_id, qr_code}
//   POST /cgi-bin/externalcontact/customer_acquisition/create_link?access_token
//        {link_name, range: {user_list[]}, skip_verify}     → {link: {link_id, link_name, url, create_time}}
//   POST /cgi-bin/externalcontact/send_welcome_msg?access_token {welcome_code, text: {content}}
// and the acquisition links it made (GET /ca/<link_id>): a customer opening one adds the link's
// first staff member, and the add-contact callback carries the URL's `customer_channel` as its
// State, as WeCom documents for 获客链接 (scanLink() plays the customer; a channel over 64 bytes
// is refused with 400 and posts nothing).
// every answer with errcode/errmsg as WeCom's: 40013 wrong corp id, 40001 wrong secret, 41001 no
// token, 40014 unknown token, 42001 expired token (expireTokens()), 40058 a bad parameter, 41051 a
// welcome code already used (or past its 20 s). What the cloud created and sent is recorded.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WecomEmulatorOptions {
  /** The callback URL configured in the WeCom admin console (the cloud's /wecom/callback). */
  callbackUrl: string;
  token: string;
  /** 43 characters: base64 of the 32-byte AES key without its '='. */
  encodingAesKey: string;
  corpId: string;
  /** Seconds since the epoch for the timestamp; default now. */
  now?: () => number;
  /** The 客户联系 secret the API accepts (startApi). */
  secret?: string;
}

export interface EmulatedContactWay {
  configId: string;
  type: number;
  scene: number;
  state: string | null;
  users: string[];
  remark: string | null;
  qrCode: string;
}

export interface EmulatedAcquisitionLink {
  linkId: string;
  name: string;
  users: string[];
  skipVerify: boolean;
  url: string;
}

export interface SentWelcome {
  welcomeCode: string;
  text: string;
}

export interface RemoveContactEvent {
  userId: string;
  externalUserId: string;
  /** `staff`: del_external_contact (the staff member removed the customer); `customer`: del_follow_user. */
  by: 'staff' | 'customer';
}

export interface AddContactEvent {
  /** The staff member's WeCom UserID. */
  userId: string;
  externalUserId: string;
  /** The state of the "contact me" QR the customer scanned (absent for a QR without one). */
  state?: string;
  /** false: no WelcomeCode (the admin console has its own welcome message for the staff member). */
  welcomeCode?: boolean;
}

const WELCOME_TTL_MS = 20_000;
type ApiAnswer = Record<string, unknown> & { errcode: number; errmsg: string };
const fail = (errcode: number, errmsg: string): ApiAnswer => ({ errcode, errmsg });

export interface WecomPostOptions {
  /** Sign with this token instead of the real one (a forged callback). */
  signWithToken?: string;
}

export class WecomEmulator {
  /** Contact ways created through the API, oldest first. */
  readonly contactWays: EmulatedContactWay[] = [];
  /** 获客链接 created through the API, oldest first. */
  readonly links: EmulatedAcquisitionLink[] = [];
  /** Welcome messages the API accepted, oldest first. */
  readonly welcomes: SentWelcome[] = [];
  /** Refuse create_link with 48002 (api forbidden), as WeCom does for the 客户联系 secret or without quota. */
  refuseLinks = false;
  /** gettoken calls that issued a token. */
  tokensIssued = 0;
  /** The WelcomeCode of the last add event posted (null when it carried none). */
  lastWelcomeCode: string | null = null;
  private readonly tokens = new Map<string, number>();
  private readonly welcomeCodes = new Map<string, { issuedAt: number; used: boolean }>();
  private server: http.Server | null = null;
  private apiUrl = '';
  /** Where events go; settable because the receiver may need the API's URL before it starts. */
  callbackUrl: string;

  constructor(private readonly opts: WecomEmulatorOptions) {
    this.callbackUrl = opts.callbackUrl;
  }

  /** Fresh 43-character EncodingAESKey, as the admin console generates one. */
  static newAesKey(): string {
    return randomBytes(32).toString('base64').slice(0, 43);
  }

  private encrypt(xml: string): string {
    const key = Buffer.from(`${this.opts.encodingAesKey}=`, 'base64');
    const msg = Buffer.from(xml, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(msg.length);
    const raw = Buffer.concat([randomBytes(16), len, msg, Buffer.from(this.opts.corpId, 'utf8')]);
    const pad = 32 - (raw.length % 32);
    const c = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
    c.setAutoPadding(false);
    return Buffer.concat([c.update(Buffer.concat([raw, Buffer.alloc(pad, pad)])), c.final()]).toString('base64');
  }

  private signedQuery(encrypt: string, token: string): URLSearchParams {
    const timestamp = String(Math.floor(this.opts.now?.() ?? Date.now() / 1000));
    const nonce = randomBytes(6).toString('hex');
    const sig = createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');
    return new URLSearchParams({ msg_signature: sig, timestamp, nonce });
  }

  /** Posts the add_external_contact event; resolves with WeCom's view of the answer. */
  async addContact(ev: AddContactEvent, o: WecomPostOptions = {}): Promise<{ status: number; body: string }> {
    const code = ev.welcomeCode === false ? null : randomBytes(16).toString('base64url');
    this.lastWelcomeCode = code;
    if (code) this.welcomeCodes.set(code, { issuedAt: Date.now(), used: false });
    return this.postEvent(
      'add_external_contact',
      ev,
      (ev.state !== undefined ? `<State><![CDATA[${ev.state}]]></State>` : '') +
        (code ? `<WelcomeCode><![CDATA[${code}]]></WelcomeCode>` : ''),
      o,
    );
  }

  /** Posts del_external_contact (by staff) or del_follow_user (by the customer). */
  async removeContact(ev: RemoveContactEvent, o: WecomPostOptions = {}): Promise<{ status: number; body: string }> {
    return ev.by === 'staff'
      ? this.postEvent('del_external_contact', ev, '<Source><![CDATA[DELETE_BY_STAFF]]></Source>', o)
      : this.postEvent('del_follow_user', ev, '', o);
  }

  private async postEvent(
    changeType: string,
    ev: { userId: string; externalUserId: string },
    extra: string,
    o: WecomPostOptions,
  ): Promise<{ status: number; body: string }> {
    const now = Math.floor(this.opts.now?.() ?? Date.now() / 1000);
    const inner =
      `<xml><ToUserName><![CDATA[${this.opts.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>` +
      `<CreateTime>${now}</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
      `<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[${changeType}]]></ChangeType>` +
      `<UserID><![CDATA[${ev.userId}]]></UserID><ExternalUserID><![CDATA[${ev.externalUserId}]]></ExternalUserID>` +
      `${extra}</xml>`;
    const encrypt = this.encrypt(inner);
    const body = `<xml><ToUserName><![CDATA[${this.opts.corpId}]]></ToUserName><AgentID><![CDATA[]]></AgentID><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
    const q = this.signedQuery(encrypt, o.signWithToken ?? this.opts.token);
    const r = await fetch(`${this.callbackUrl}?${q}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    return { status: r.status, body: await r.text() };
  }

  /** The URL check: the receiver must answer with the decrypted echostr. */
  async verifyUrl(echo: string): Promise<{ status: number; body: string }> {
    const echostr = this.encrypt(echo);
    const q = this.signedQuery(echostr, this.opts.token);
    q.set('echostr', echostr);
    const r = await fetch(`${this.callbackUrl}?${q}`, { signal: AbortSignal.timeout(10_000) });
    return { status: r.status, body: await r.text() };
  }

  /** Starts WeCom's API on 127.0.0.1 (a free port); resolves with its base URL. */
  async startApi(): Promise<string> {
    if (this.server) return this.apiUrl;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if ((req.url ?? '').startsWith('/ca/')) {
          void this.openLink(req.url ?? '/').then(({ status, body }) => {
            res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
            res.end(JSON.stringify(body));
          });
          return;
        }
        const answer = this.answerApi(req.method ?? 'GET', req.url ?? '/', Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.apiUrl;
  }

  /**
   * A WeChat user opens an acquisition link (the QR on a receipt) and adds the staff member.
   * `externalUserId` is who they are to WeCom (the emulator's stand-in for the WeChat session).
   */
  async scanLink(url: string, externalUserId: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const u = new URL(url);
    u.searchParams.set('emulator_external_userid', externalUserId);
    const r = await fetch(u, { signal: AbortSignal.timeout(10_000) });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  }

  private async openLink(rawUrl: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const url = new URL(rawUrl, 'http://wecom.local');
    const link = this.links.find((l) => url.pathname === `/ca/${l.linkId}`);
    if (!link) return { status: 404, body: { error: 'no such link' } };
    const channel = url.searchParams.get('customer_channel');
    if (channel !== null && Buffer.byteLength(channel) > 64)
      return { status: 400, body: { error: 'customer_channel is longer than 64 bytes' } };
    const externalUserId = url.searchParams.get('emulator_external_userid') ?? `wm${randomBytes(8).toString('hex')}`;
    const cb = await this.addContact({
      userId: link.users[0] ?? '',
      externalUserId,
      ...(channel !== null ? { state: channel } : {}),
    }).catch(() => ({ status: 0, body: 'callback did not answer' }));
    return { status: 200, body: { added: true, userId: link.users[0], callback: cb } };
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Every token issued so far expires now (WeCom's 42001 on the next call). */
  expireTokens(): void {
    for (const t of this.tokens.keys()) this.tokens.set(t, 0);
  }

  private answerApi(method: string, rawUrl: string, body: string): ApiAnswer {
    const url = new URL(rawUrl, 'http://wecom.local');
    if (url.pathname === '/cgi-bin/gettoken') {
      if (url.searchParams.get('corpid') !== this.opts.corpId) return fail(40013, 'invalid corpid');
      if (!this.opts.secret || url.searchParams.get('corpsecret') !== this.opts.secret)
        return fail(40001, 'invalid credential');
      const token = randomBytes(24).toString('base64url');
      this.tokens.set(token, Date.now() + 7200_000);
      this.tokensIssued++;
      return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 };
    }
    const token = url.searchParams.get('access_token');
    if (!token) return fail(41001, 'access_token missing');
    const until = this.tokens.get(token);
    if (until === undefined) return fail(40014, 'invalid access_token');
    if (until <= Date.now()) return fail(42001, 'access_token expired');
    if (method !== 'POST') return fail(40058, 'invalid request method');
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return fail(47001, 'data format error');
    }
    if (url.pathname === '/cgi-bin/externalcontact/add_contact_way') return this.addContactWay(json);
    if (url.pathname === '/cgi-bin/externalcontact/send_welcome_msg') return this.sendWelcome(json);
    if (url.pathname === '/cgi-bin/externalcontact/customer_acquisition/create_link') return this.createLink(json);
    return fail(40058, 'invalid api');
  }

  private addContactWay(b: Record<string, unknown>): ApiAnswer {
    const { type, scene, state, remark } = b;
    const users = b['user'];
    if (type !== 1 && type !== 2) return fail(40058, 'invalid type');
    if (scene !== 1 && scene !== 2) return fail(40058, 'invalid scene');
    if (!Array.isArray(users) || users.length === 0 || users.length > 100 || !users.every((u) => typeof u === 'string'))
      return fail(40058, 'invalid user');
    if (type === 1 && users.length !== 1) return fail(40058, 'a single contact way takes one user');
    if (state !== undefined && (typeof state !== 'string' || state.length > 30)) return fail(40058, 'invalid state');
    if (remark !== undefined && (typeof remark !== 'string' || remark.length > 30))
      return fail(40058, 'invalid remark');
    const configId = randomBytes(16).toString('hex');
    const way: EmulatedContactWay = {
      configId,
      type: Number(type),
      scene: Number(scene),
      state: typeof state === 'string' ? state : null,
      users: users as string[],
      remark: typeof remark === 'string' ? remark : null,
      qrCode: `${this.apiUrl}/wwqr/${configId}`,
    };
    this.contactWays.push(way);
    return { errcode: 0, errmsg: 'ok', config_id: configId, qr_code: way.qrCode };
  }

  private createLink(b: Record<string, unknown>): ApiAnswer {
    if (this.refuseLinks) return fail(48002, 'api forbidden');
    const name = b['link_name'];
    const users = (b['range'] as { user_list?: unknown } | undefined)?.user_list;
    if (typeof name !== 'string' || name.length === 0 || name.length > 30) return fail(40058, 'invalid link_name');
    if (!Array.isArray(users) || users.length === 0 || users.length > 500 || !users.every((u) => typeof u === 'string'))
      return fail(40058, 'invalid range.user_list');
    const linkId = `cawcde${randomBytes(8).toString('hex')}`;
    const link: EmulatedAcquisitionLink = {
      linkId,
      name,
      users: users as string[],
      skipVerify: b['skip_verify'] === true,
      url: `${this.apiUrl}/ca/${linkId}`,
    };
    this.links.push(link);
    return {
      errcode: 0,
      errmsg: 'ok',
      link: { link_id: linkId, link_name: name, url: link.url, create_time: Math.floor(Date.now() / 1000) },
    };
  }

  private sendWelcome(b: Record<string, unknown>): ApiAnswer {
    const code = b['welcome_code'];
    const text = (b['text'] as { content?: unknown } | undefined)?.content;
    if (typeof code !== 'string') return fail(40058, 'welcome_code missing');
    if (typeof text !== 'string' || text.length === 0 || Buffer.byteLength(text) > 4000)
      return fail(40058, 'invalid text.content');
    const issued = this.welcomeCodes.get(code);
    if (!issued) return fail(40058, 'invalid welcome_code');
    if (issued.used || Date.now() - issued.issuedAt > WELCOME_TTL_MS)
      return fail(41051, 'externaluser has started chatting');
    issued.used = true;
    this.welcomes.push({ welcomeCode: code, text });
    return { errcode: 0, errmsg: 'ok' };
  }
}
