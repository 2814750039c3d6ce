// WeCom (企业微信) callbacks behind a provider interface. The reference provider checks what
// WeCom's callback protocol lets a receiver check: msg_signature = sha1 of the sorted token,
// timestamp, nonce and Encrypt field (hex), a timestamp within ±10 minutes, and the AES-256-CBC
// payload (EncodingAESKey + '=' base64 → 32-byte key, IV = its first 16 bytes, PKCS#7 to 32
// bytes; plaintext = 16 random bytes, 4-byte big-endian length, XML, receive id = the corp id).
// The add-external-contact event and the two delete events (the staff member removed the
// customer: del_external_contact; the customer removed the staff member: del_follow_user) become
// typed events; everything else (edit_external_contact, other kinds) is acknowledged and ignored.
// With a secret the provider also calls WeCom's API (wecom-api.ts): the store's contact way and
// the acquisition link (获客链接) and the welcome message.
import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { syncError } from '../protocol';
import { WecomApi, type AcquisitionLinkInput, type ContactWayInput } from './wecom-api';

export interface WecomContactAdded {
  kind: 'add';
  /** The staff member's WeCom UserID whose contact was added. */
  userId: string;
  externalUserId: string;
  /** The "contact me" QR's state, or null for a QR without one. */
  state: string | null;
  /** Lets the receiver send one welcome message within 20 s (absent when the console has its own). */
  welcomeCode: string | null;
  createdAt: string;
}

export interface WecomContactRemoved {
  /** `staff`: del_external_contact (the staff member removed the customer); `customer`: del_follow_user. */
  kind: 'remove';
  by: 'staff' | 'customer';
  userId: string;
  externalUserId: string;
  createdAt: string;
}

export type WecomContactEvent = WecomContactAdded | WecomContactRemoved;

export interface WecomCallbackQuery {
  msg_signature?: string;
  timestamp?: string;
  nonce?: string;
  echostr?: string;
}

export interface WecomProvider {
  /** The URL check WeCom makes when the callback is configured: the decrypted echostr. */
  verifyUrl(q: WecomCallbackQuery): string;
  /** A verified callback body: an add or delete event, or null for any other event. */
  open(q: WecomCallbackQuery, body: string): WecomContactEvent | null;
  /** Creates a "contact me" way through WeCom's API; refuses when no API secret is configured. */
  createContactWay(w: ContactWayInput): Promise<{ configId: string; qrCode: string }>;
  /** Creates a 获客链接 through WeCom's API; refuses when no API secret is configured. */
  createAcquisitionLink(l: AcquisitionLinkInput): Promise<{ linkId: string; url: string }>;
  /** Sends a welcome text with the add event's welcome code. */
  sendWelcome(welcomeCode: string, text: string): Promise<void>;
}

export const wecomSettings = z.object({
  token: z.string().min(3).max(32),
  /** 43 characters (base64 of 32 bytes without the '='). */
  encodingAesKey: z.string().regex(/^[A-Za-z0-9+/]{43}$/),
  corpId: z.string().min(1).max(64),
  /** The 客户联系 secret for WeCom's API (contact ways, welcome messages); without it only callbacks work. */
  secret: z.string().min(1).max(128).optional(),
  /** WeCom's API base URL; https://qyapi.weixin.qq.com unless an emulator stands in. */
  apiUrl: z.string().url().max(200).optional(),
});
export type WecomSettings = z.infer<typeof wecomSettings>;

const MAX_SKEW_S = 600;

function wecomSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');
}

/** One flat XML field, CDATA or plain; WeCom's event XML has no nesting we need. */
function xmlField(xml: string, tag: string): string | null {
  const m = new RegExp(`<${tag}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${tag}>`).exec(xml);
  return m ? (m[1] ?? m[2] ?? '') : null;
}

function aesKey(s: WecomSettings): Buffer {
  return Buffer.from(`${s.encodingAesKey}=`, 'base64');
}

function wecomDecrypt(s: WecomSettings, encrypt: string): string {
  const key = aesKey(s);
  let plain: Buffer;
  try {
    const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    d.setAutoPadding(false);
    plain = Buffer.concat([d.update(Buffer.from(encrypt, 'base64')), d.final()]);
  } catch {
    throw syncError('BAD_INPUT', 'WeCom payload does not decrypt');
  }
  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > 32 || plain.length < 20 + pad) throw syncError('BAD_INPUT', 'WeCom payload padding is wrong');
  const body = plain.subarray(16, plain.length - pad);
  const len = body.readUInt32BE(0);
  if (len > body.length - 4) throw syncError('BAD_INPUT', 'WeCom payload length is wrong');
  const receiveId = body.subarray(4 + len).toString('utf8');
  if (receiveId !== s.corpId) throw syncError('UNAUTHENTICATED', 'WeCom payload is for another corp id');
  return body.subarray(4, 4 + len).toString('utf8');
}

const ID_MAX = { userId: 64, externalUserId: 128 };

function contactIds(xml: string, change: string): { userId: string; externalUserId: string } {
  const userId = xmlField(xml, 'UserID');
  const externalUserId = xmlField(xml, 'ExternalUserID');
  if (!userId || !externalUserId || externalUserId.length > ID_MAX.externalUserId || userId.length > ID_MAX.userId)
    throw syncError('BAD_INPUT', `${change} without a valid UserID / ExternalUserID`);
  return { userId, externalUserId };
}

export function wecomProvider(s: WecomSettings, now: () => Date = () => new Date()): WecomProvider {
  const api = s.secret ? new WecomApi({ corpId: s.corpId, secret: s.secret, apiUrl: s.apiUrl }) : null;
  const needApi = (): WecomApi => {
    if (!api) throw syncError('REFUSED', 'WeCom API is not configured: set WECOM_SECRET');
    return api;
  };
  function check(q: WecomCallbackQuery, encrypt: string): void {
    if (!q.msg_signature || !q.timestamp || !q.nonce)
      throw syncError('UNAUTHENTICATED', 'msg_signature, timestamp and nonce are required');
    const want = Buffer.from(wecomSignature(s.token, q.timestamp, q.nonce, encrypt));
    const got = Buffer.from(q.msg_signature.toLowerCase());
    if (want.length !== got.length || !timingSafeEqual(want, got))
      throw syncError('UNAUTHENTICATED', 'WeCom msg_signature does not verify');
    const ts = Number(q.timestamp);
    if (!Number.isInteger(ts) || Math.abs(now().getTime() / 1000 - ts) > MAX_SKEW_S)
      throw syncError('UNAUTHENTICATED', 'WeCom callback timestamp is more than 10 minutes off');
  }
  return {
    verifyUrl(q) {
      if (!q.echostr) throw syncError('BAD_INPUT', 'echostr is required');
      check(q, q.echostr);
      return wecomDecrypt(s, q.echostr);
    },
    open(q, body) {
      const encrypt = xmlField(body, 'Encrypt');
      if (!encrypt) throw syncError('BAD_INPUT', 'callback body has no Encrypt field');
      check(q, encrypt);
      const xml = wecomDecrypt(s, encrypt);
      if (xmlField(xml, 'Event') !== 'change_external_contact') return null;
      const change = xmlField(xml, 'ChangeType');
      const created = Number(xmlField(xml, 'CreateTime'));
      const createdAt = new Date(
        Number.isFinite(created) && created > 0 && created < 1e11 ? created * 1000 : now().getTime(),
      ).toISOString();
      if (change === 'del_external_contact' || change === 'del_follow_user')
        return {
          kind: 'remove',
          by: change === 'del_external_contact' ? 'staff' : 'customer',
          ...contactIds(xml, change),
          createdAt,
        };
      if (change !== 'add_external_contact') return null;
      const state = xmlField(xml, 'State');
      const welcomeCode = xmlField(xml, 'WelcomeCode');
      return {
        kind: 'add',
        ...contactIds(xml, change),
        state: state && state.length <= 30 ? state : null,
        welcomeCode: welcomeCode && welcomeCode.length <= 256 ? welcomeCode : null,
        createdAt,
      };
    },
    createContactWay: (w) => needApi().addContactWay(w),
    createAcquisitionLink: (l) => needApi().createAcquisitionLink(l),
    sendWelcome: (code, text) => needApi().sendWelcome(code, text),
  };
}
