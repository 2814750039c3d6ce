// The replicated op: one row shape for every data kind, so storage and wire stay generic.
// `id` is the HLC stamp (unique per op, so sync is idempotent by id); `t` says which merge rule
// applies; e/k/f/n/b carry the kind's fields (see docs/sync.md for the table).
import { z } from 'zod';
import { STAMP_PATTERN } from './hlc';

export const MOVEMENT_KINDS = [
  'sale',
  'return',
  'receive',
  'adjust',
  'transfer_out',
  'transfer_in',
  'reservation',
  'release',
  'count',
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];
/** Movement kinds that change what is reserved rather than what is on hand. */
export const RESERVATION_KINDS: readonly MovementKind[] = ['reservation', 'release'];

// `staff`: a staff record of one store, field by field (sync/core/staff.ts).
// `purchase_order`: a store's purchase order and what each till received (sync/core/purchase-orders.ts).
export const LWW_ENTITIES = ['product', 'price', 'promotion', 'config', 'member', 'staff', 'purchase_order'] as const;
export const FACT_KINDS = [
  'sale',
  'sale_line',
  'tender',
  'return',
  'shift',
  'audit',
  'online_order',
  'order_event',
  'device_revoked',
  'purchase_order',
  'coupon',
  'coupon_redemption',
  'stored_value',
  'wecom_contact',
  // A transfer between stores, one fact per step (docs/back-office.md "Transfers").
  'transfer',
] as const;
export type FactKind = (typeof FACT_KINDS)[number];
export const IDENTITY_TYPES = ['phone', 'unionid', 'openid', 'code', 'wecom'] as const;
export const OP_TYPES = ['set', 'mv', 'fact', 'ident', 'merge', 'pts', 'tag', 'erase', 'ff'] as const;
export type OpType = (typeof OP_TYPES)[number];

/** Member profile fields that hold personal data; erasure wipes them on every replica. */
export const MEMBER_PII_FIELDS = ['name', 'phone', 'birthday', 'gender', 'address', 'email', 'face'] as const;
export const ERASED = '';

export interface Op {
  id: string;
  /** 'chain' or 'store:<storeId>': decides which replicas receive it and who may write it. */
  s: string;
  t: OpType;
  e: string;
  k: string;
  f: string;
  n: number | null;
  b: unknown;
}

const scope = z.string().regex(/^(chain|store:[A-Za-z0-9_-]{1,32})$/, 'scope is chain or store:<id>');
const text = z.string().max(200);
const intQty = z.number().int().safe();

const base = { id: z.string().regex(STAMP_PATTERN, 'id is an HLC stamp'), s: scope };

export const opSchema = z.discriminatedUnion('t', [
  // LWW register per (entity, key, field).
  z.object({
    ...base,
    t: z.literal('set'),
    e: z.enum(LWW_ENTITIES),
    k: text.min(1),
    f: text.min(1),
    n: z.null(),
    b: z.unknown(),
  }),
  // Stock movement: e = store, k = sku, f = kind, n = signed quantity (items or grams).
  z.object({
    ...base,
    t: z.literal('mv'),
    e: text.min(1),
    k: text.min(1),
    f: z.enum(MOVEMENT_KINDS),
    n: intQty,
    b: z.unknown(),
  }),
  // Immutable fact: e = fact kind, k = globally unique id (uuid v7), b = body.
  z.object({
    ...base,
    t: z.literal('fact'),
    e: z.enum(FACT_KINDS),
    k: text.min(1),
    f: z.string().max(0),
    n: z.null(),
    b: z.record(z.string(), z.unknown()),
  }),
  // Identity link: e = member id, f = identity type, k = identity value.
  z.object({
    ...base,
    t: z.literal('ident'),
    e: text.min(1),
    k: text,
    f: z.enum(IDENTITY_TYPES),
    n: z.null(),
    b: z.null(),
  }),
  // One-ID merge: member e is merged into member k.
  z.object({
    ...base,
    t: z.literal('merge'),
    e: text.min(1),
    k: text.min(1),
    f: z.string().max(0),
    n: z.null(),
    b: z.null(),
  }),
  // Points ledger entry: e = member, n = delta, f = reason, k = reference (sale id, ...).
  z.object({ ...base, t: z.literal('pts'), e: text.min(1), k: text, f: text, n: intQty, b: z.null() }),
  // Add-wins tag set: f = 'add' | 'rm'; a remove lists the add-op ids it observed.
  z.object({
    ...base,
    t: z.literal('tag'),
    e: text.min(1),
    k: text.min(1),
    f: z.enum(['add', 'rm']),
    n: z.null(),
    b: z.array(z.string().regex(STAMP_PATTERN)).max(1000).nullable(),
  }),
  // Erasure tombstone for member e.
  z.object({
    ...base,
    t: z.literal('erase'),
    e: text.min(1),
    k: z.string().max(0),
    f: z.string().max(0),
    n: z.null(),
    b: z.null(),
  }),
  // Footfall interval: e = camera id, k = interval start (ISO), b = { end, in, out }.
  z.object({
    ...base,
    t: z.literal('ff'),
    e: text.min(1),
    k: text.min(1),
    f: z.string().max(0),
    n: z.null(),
    b: z.object({ end: z.string().max(40), in: z.number().int().min(0), out: z.number().int().min(0) }),
  }),
]);

/** Validates a batch; throws with the index of the first bad op so nothing is applied. */
export function validateOps(input: unknown[]): Op[] {
  const out: Op[] = [];
  for (let i = 0; i < input.length; i++) {
    const r = opSchema.safeParse(input[i]);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new OpValidationError(i, `op ${i}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
    }
    out.push(r.data as Op);
  }
  return out;
}

export class OpValidationError extends Error {
  constructor(
    public readonly index: number,
    message: string,
  ) {
    super(message);
    this.name = 'OpValidationError';
  }
}

export function storeScope(storeId: string): string {
  return `store:${storeId}`;
}

/** Sign of each movement kind as the caller passes positive quantities. */
export function signedQuantity(kind: MovementKind, quantity: number): number {
  switch (kind) {
    case 'sale':
    case 'transfer_out':
    case 'release':
      return -Math.abs(quantity);
    case 'return':
    case 'receive':
    case 'transfer_in':
    case 'reservation':
      return Math.abs(quantity);
    case 'adjust':
    case 'count':
      return quantity;
  }
}

/** A batch as the wire carries it: one array per op field, all of `count` entries. */
export interface OpColumns {
  id: unknown[];
  s: unknown[];
  t: unknown[];
  e: unknown[];
  k: unknown[];
  f: unknown[];
  n: unknown[];
  b: unknown[];
}

const SCOPE_PATTERN = /^(chain|store:[A-Za-z0-9_-]{1,32})$/;
const TYPE_CODE = new Map<unknown, number>(OP_TYPES.map((t, i) => [t, i]));
const [T_SET, T_MV, T_FACT, T_IDENT, , T_PTS, T_TAG, T_ERASE, T_FF] = OP_TYPES.map((_, i) => i) as number[];
const LWW_SET = new Set<unknown>(LWW_ENTITIES);
const FACT_SET = new Set<unknown>(FACT_KINDS);
const MOVEMENT_SET = new Set<unknown>(MOVEMENT_KINDS);
const IDENTITY_SET = new Set<unknown>(IDENTITY_TYPES);
const TAG_FLAGS = new Set<unknown>(['add', 'rm']);

const isText = (v: unknown, min: number): boolean => typeof v === 'string' && v.length >= min && v.length <= 200;
const isEmpty = (v: unknown): boolean => v === '';
/** A JSON object zod's record/object would take as is (no prototype tricks). */
const isPlainRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.getPrototypeOf(v) === Object.prototype &&
  !Object.prototype.hasOwnProperty.call(v, '__proto__');

function okE(t: number, e: unknown): boolean {
  if (t === T_SET) return LWW_SET.has(e);
  if (t === T_FACT) return FACT_SET.has(e);
  return isText(e, 1);
}
function okK(t: number, k: unknown): boolean {
  if (t === T_IDENT || t === T_PTS) return isText(k, 0);
  if (t === T_ERASE) return isEmpty(k);
  return isText(k, 1);
}
function okF(t: number, f: unknown): boolean {
  switch (t) {
    case T_SET:
      return isText(f, 1);
    case T_MV:
      return MOVEMENT_SET.has(f);
    case T_IDENT:
      return IDENTITY_SET.has(f);
    case T_PTS:
      return isText(f, 0);
    case T_TAG:
      return TAG_FLAGS.has(f);
    default:
      return isEmpty(f); // fact, merge, erase, ff
  }
}
function okB(t: number, b: unknown): boolean {
  switch (t) {
    case T_SET:
    case T_MV:
      return b !== undefined;
    case T_FACT:
      return isPlainRecord(b);
    case T_TAG:
      if (b === null) return true;
      if (!Array.isArray(b) || b.length > 1000) return false;
      for (const x of b) if (typeof x !== 'string' || !STAMP_PATTERN.test(x)) return false;
      return true;
    case T_FF: {
      if (!isPlainRecord(b)) return false;
      const { end, in: entered, out } = b;
      // Exactly the three fields: zod would strip any other, so such a body takes the zod path.
      return (
        Object.keys(b).length === 3 &&
        typeof end === 'string' &&
        end.length <= 40 &&
        Number.isSafeInteger(entered) &&
        (entered as number) >= 0 &&
        Number.isSafeInteger(out) &&
        (out as number) >= 0
      );
    }
    default:
      return b === null; // ident, merge, pts, erase
  }
}

/**
 * validateOps for a columnar batch (sync/protocol/wire.ts): one pass per column with plain typed
 * checks instead of a zod parse per op, then one Op object per row. The checks accept exactly
 * what opSchema accepts, or less: the first row any column refuses sends the whole batch through
 * validateOps, so a bad batch gets the very error (index and message) zod gives.
 */
export function validateOpColumns(c: OpColumns, count: number): Op[] {
  const types = new Int8Array(count);
  let bad = count;
  for (let i = 0; i < count; i++) {
    const code = TYPE_CODE.get(c.t[i]);
    if (code === undefined) {
      bad = i;
      break;
    }
    types[i] = code;
  }
  const scan = (col: unknown[], ok: (t: number, v: unknown) => boolean) => {
    for (let i = 0; i < bad; i++)
      if (!ok(types[i]!, col[i])) {
        bad = i;
        return;
      }
  };
  scan(c.id, (_, v) => typeof v === 'string' && STAMP_PATTERN.test(v));
  scan(c.s, (_, v) => typeof v === 'string' && SCOPE_PATTERN.test(v));
  scan(c.e, okE);
  scan(c.k, okK);
  scan(c.f, okF);
  scan(c.n, (t, v) => (t === T_MV || t === T_PTS ? Number.isSafeInteger(v) : v === null));
  scan(c.b, okB);
  if (bad < count) return validateOps(opRows(c, count));
  const out: Op[] = new Array(count);
  for (let i = 0; i < count; i++)
    out[i] = {
      id: c.id[i] as string,
      s: c.s[i] as string,
      t: c.t[i] as OpType,
      e: c.e[i] as string,
      k: c.k[i] as string,
      f: c.f[i] as string,
      n: c.n[i] as number | null,
      b: c.b[i],
    };
  return out;
}

/** Untrusted op-shaped rows of a columnar batch (what validateOps takes). */
export function opRows(c: OpColumns, count: number): unknown[] {
  const rows: unknown[] = new Array(count);
  for (let i = 0; i < count; i++)
    rows[i] = { id: c.id[i], s: c.s[i], t: c.t[i], e: c.e[i], k: c.k[i], f: c.f[i], n: c.n[i], b: c.b[i] };
  return rows;
}
