// The `state` of the WeCom "contact me" QR printed and shown after a member's sale. WeCom hands
// it back in the add-contact callback (at most 30 characters), so the cloud can tell which store,
// till, cashier and member brought the contact. It carries them by reference: the state is a
// keyed hash of the sale id (key kept in this till's database), and the sale fact that replicates
// to the cloud carries the same state next to its store, terminal, cashier and member. Nothing
// personal is in it, it cannot be guessed without the key, and a reprint yields the same QR.
import { createHmac, randomBytes } from 'node:crypto';
import type { Db } from '../db';

const KEY_KV = 'members.wecom-state-key';
const keys = new WeakMap<Db, Buffer>();

function stateKey(db: Db): Buffer {
  const cached = keys.get(db);
  if (cached) return cached;
  db.prepare('INSERT OR IGNORE INTO kv (key, value, updated_at) VALUES (?, ?, ?)').run(
    KEY_KV,
    randomBytes(32).toString('hex'),
    new Date().toISOString(),
  );
  const k = Buffer.from(
    (db.prepare('SELECT value FROM kv WHERE key = ?').get(KEY_KV) as { value: string }).value,
    'hex',
  );
  keys.set(db, k);
  return k;
}

/** `w1` + 22 base64url characters (132 bits): 24 characters, inside WeCom's 30. */
export function wecomState(db: Db, saleId: string): string {
  return `w1${createHmac('sha256', stateKey(db)).update(`wecom-state/v1.${saleId}`).digest('base64url').slice(0, 22)}`;
}

/**
 * The contact URL a member's sale shows as a QR. With the store's 获客链接 (`linkUrl`): the link
 * with `customer_channel=<state>` — WeCom hands that value back as the add-contact callback's
 * State (WeCom allows 64 bytes; the state is 24 ASCII characters). Without one: the contact way's
 * QR URL with `state=` appended, which only the emulator honours (real WeCom fixes a contact way's
 * state when it is created). Null when the store has neither.
 */
export function wecomContactUrl(
  cfg: { wecomQrUrl: string | null; wecomLinkUrl: string | null },
  state: string,
): string | null {
  const base = cfg.wecomLinkUrl ?? cfg.wecomQrUrl;
  if (!base) return null;
  const u = new URL(base);
  u.searchParams.set(cfg.wecomLinkUrl ? 'customer_channel' : 'state', state);
  return u.toString();
}
