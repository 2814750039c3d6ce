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

export const LWW_ENTITIES = ['product', 'price', 'promotion', 'config', 'member'] as const;
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
