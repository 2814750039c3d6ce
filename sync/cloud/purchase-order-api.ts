// Purchase orders sent by head office: the cloud writes the order as HQ-authored
// `set purchase_order` ops in the store's scope (sync/core/purchase-orders.ts); the store's tills
// receive it by sync and list it in Receiving marked as from HQ. What the tills receive against
// it comes back as their `received:<till>` fields.
//
// Admin route (admin token):
//   POST /api/purchase-orders {storeId, forDay, lines: [{sku, quantity | weightGrams, unitCost?}], supplier?}
//     → {ok: true, id}
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { z } from 'zod';
import { parsePoOrder, PURCHASE_ORDER_ENTITY, storeScope, type OpFactory, type PurchaseOrderBody } from '../core';
import type { PgSyncStorage } from '../storage';
import { jsonReply, readJson, type KitEnv } from '../../http-kit';
import { syncError } from '../protocol';

const MAX_UNITS = 100_000_000;
const lineInput = z
  .object({
    sku: z.string().min(1).max(64),
    quantity: z.number().int().min(1).max(MAX_UNITS).optional(),
    weightGrams: z.number().int().min(1).max(MAX_UNITS).optional(),
    /** Fen per item, or per kg for a weighed line. */
    unitCost: z.number().int().min(0).max(MAX_UNITS).optional(),
  })
  .strict()
  .refine((l) => (l.quantity === undefined) !== (l.weightGrams === undefined), 'a line has quantity or weightGrams');

const orderInput = z
  .object({
    storeId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'store id is 1–32 letters, digits, _ or -'),
    forDay: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'forDay is YYYY-MM-DD')
      .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'forDay is not a date'),
    lines: z
      .array(lineInput)
      .min(1)
      .max(500)
      .refine((ls) => new Set(ls.map((l) => l.sku)).size === ls.length, 'one line per SKU'),
    supplier: z.string().trim().min(1).max(80).optional(),
  })
  .strict();

export interface PurchaseOrderRouteDeps {
  storage: PgSyncStorage;
  ops: OpFactory;
  log: Logger;
  requireAdmin(header: string | undefined): void;
}

export function createPurchaseOrderRoutes(d: PurchaseOrderRouteDeps): Hono<KitEnv> {
  return new Hono<KitEnv>().post('/api/purchase-orders', async (c) => {
    d.requireAdmin(c.env.incoming.headers.authorization);
    const parsed = orderInput.safeParse(await readJson(c.env.incoming));
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw syncError('BAD_INPUT', i ? `${i.path.join('.')}: ${i.message}` : 'bad purchase order');
    }
    const input = parsed.data;
    const body: PurchaseOrderBody = {
      forDay: input.forDay,
      createdAt: new Date().toISOString(),
      staff: 'hq',
      origin: 'hq',
      supplier: input.supplier ?? null,
      lines: input.lines.map((l) => ({
        sku: l.sku,
        quantity: l.weightGrams ?? l.quantity ?? 0,
        unit: l.weightGrams !== undefined ? ('weighed' as const) : ('each' as const),
        ...(l.unitCost !== undefined ? { unitCost: l.unitCost } : {}),
        ...(input.supplier ? { supplier: input.supplier } : {}),
      })),
    };
    // The tills check the same shape before they apply it; a body they would refuse is not written.
    if (!parsePoOrder(body)) throw syncError('BAD_INPUT', 'bad purchase order');
    const id = randomUUID();
    const scope = storeScope(input.storeId);
    await d.storage.apply(
      [
        d.ops.set(scope, PURCHASE_ORDER_ENTITY, id, 'order', body),
        d.ops.set(scope, PURCHASE_ORDER_ENTITY, id, 'status', 'sent'),
      ],
      'cloud',
    );
    d.log.info({ store: input.storeId, order: id, lines: body.lines.length }, 'purchase order sent by HQ');
    return jsonReply(200, { ok: true, id });
  });
}
