// Purchase orders replicated across a store's tills (docs/back-office.md, Receiving): `set
// purchase_order` ops, key = order id, in the store's scope, last writer wins per field.
//   order          what was ordered, written once by the till that sent it or by HQ (the cloud);
//   status         'sent' | 'cancelled';
//   received:<T>   till T's own running total received against the order, per SKU.
// Receiving never overwrites another till's count: each till writes only its own `received:<T>`
// field (authorship.ts), and the order's received quantity is the sum over the tills. Two tills
// receiving against one order at the same moment therefore both count. Pure: the shapes every
// receiver checks before it applies an op.
import { z } from 'zod';

export const PURCHASE_ORDER_ENTITY = 'purchase_order';
export const PO_RECEIVED_PREFIX = 'received:';
const TERMINAL_ID = /^[A-Za-z0-9_-]{1,32}$/;
const SKU = z.string().min(1).max(64);

const poLine = z
  .object({
    sku: SKU,
    /** Items, or grams for a weighed line (`unit: 'weighed'`). */
    quantity: z.number().int().min(1).max(100_000_000),
    unit: z.enum(['each', 'weighed']).optional(),
    unitCost: z.number().int().min(0).max(100_000_000).optional(),
    supplier: z.string().max(80).optional(),
  })
  .strict();

const poOrder = z
  .object({
    forDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    createdAt: z
      .string()
      .max(40)
      .refine((s) => Number.isFinite(Date.parse(s)), 'not a time'),
    /** The staff id of the manager who sent it, or `hq`. */
    staff: z.string().min(1).max(64),
    origin: z.enum(['store', 'hq']),
    supplier: z.string().max(80).nullable(),
    lines: z
      .array(poLine)
      .min(1)
      .max(500)
      .refine((ls) => new Set(ls.map((l) => l.sku)).size === ls.length, 'one line per SKU'),
  })
  .strict();

const poStatus = z.enum(['sent', 'cancelled']);
const poReceived = z
  .record(SKU, z.number().int().min(0).max(1_000_000_000))
  .refine((r) => Object.keys(r).length <= 500);

export type PurchaseOrderBody = z.infer<typeof poOrder>;
export type PurchaseOrderLineBody = z.infer<typeof poLine>;
export type PurchaseOrderStatus = z.infer<typeof poStatus>;

/** The terminal id a `received:<T>` field belongs to, or null when the field is not one. */
export function poReceivedTill(field: string): string | null {
  if (!field.startsWith(PO_RECEIVED_PREFIX)) return null;
  const t = field.slice(PO_RECEIVED_PREFIX.length);
  return TERMINAL_ID.test(t) ? t : null;
}

export const poReceivedField = (terminalId: string): string => `${PO_RECEIVED_PREFIX}${terminalId}`;

export function isPurchaseOrderField(f: string): boolean {
  return f === 'order' || f === 'status' || poReceivedTill(f) !== null;
}

export function parsePoOrder(value: unknown): PurchaseOrderBody | null {
  const r = poOrder.safeParse(value);
  return r.success ? r.data : null;
}

export function parsePoStatus(value: unknown): PurchaseOrderStatus | null {
  const r = poStatus.safeParse(value);
  return r.success ? r.data : null;
}

export function parsePoReceived(value: unknown): Record<string, number> | null {
  const r = poReceived.safeParse(value);
  return r.success ? r.data : null;
}
