// WeCom (企业微信) server emulator: what WeCom does when a customer adds a staff member's
// "contact me" QR — it posts the change_external_contact / add_external_contact event to the
// configured callback URL, AES-256-CBC encrypted with the EncodingAESKey and signed with
// msg_signature = sha1(sort(token, timestamp, nonce, Encrypt)). Written from WeCom's callback
// documentation, apart from the cloud's receiver (this layer does not import sync), so a mistake
// on one side shows up as a refusal instead of cancelling out. Also makes the URL check (echostr).
import { createCipheriv, createHash, randomBytes } from 'node:crypto';

export interface WecomEmulatorOptions {
  /** The callback URL configured in the WeCom admin console (the cloud's /wecom/callback). */
  callbackUrl: string;
  token: string;
  /** 43 characters: base64 of the 32-byte AES key without its '='. */
  encodingAesKey: string;
  corpId: string;
  /** Seconds since the epoch for the timestamp; default now. */
  now?: () => number;
}

export interface AddContactEvent {
  /** The staff member's WeCom UserID. */
  userId: string;
  externalUserId: string;
  /** The state of the "contact me" QR the customer scanned (absent for a QR without one). */
  state?: string;
}

export interface WecomPostOptions {
  /** Sign with this token instead of the real one (a forged callback). */
  signWithToken?: string;
}

export class WecomEmulator {
  constructor(private readonly opts: WecomEmulatorOptions) {}

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
    const now = Math.floor(this.opts.now?.() ?? Date.now() / 1000);
    const inner =
      `<xml><ToUserName><![CDATA[${this.opts.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>` +
      `<CreateTime>${now}</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
      `<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType>` +
      `<UserID><![CDATA[${ev.userId}]]></UserID><ExternalUserID><![CDATA[${ev.externalUserId}]]></ExternalUserID>` +
      (ev.state !== undefined ? `<State><![CDATA[${ev.state}]]></State>` : '') +
      `<WelcomeCode><![CDATA[${randomBytes(8).toString('hex')}]]></WelcomeCode></xml>`;
    const encrypt = this.encrypt(inner);
    const body = `<xml><ToUserName><![CDATA[${this.opts.corpId}]]></ToUserName><AgentID><![CDATA[]]></AgentID><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
    const q = this.signedQuery(encrypt, o.signWithToken ?? this.opts.token);
    const r = await fetch(`${this.opts.callbackUrl}?${q}`, {
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
    const r = await fetch(`${this.opts.callbackUrl}?${q}`, { signal: AbortSignal.timeout(10_000) });
    return { status: r.status, body: await r.text() };
  }
}
