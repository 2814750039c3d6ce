// The store hub as the authority for handing an online order over exactly once while the LAN is
// up: a till asks the hub to claim the order before it records the handover. The hub refuses
// when its replica already holds an end event of the order (handed over, expired, cancelled) or
// another till holds the claim. The check and the claim happen with no await between them, so
// two tills asking at once cannot both win. Offline tills hand over alone; the order fold flags
// a second handover after sync (sync/core/orders.ts).
import {
  authorNode,
  foldOrder,
  orderEventRange,
  readOnlineOrder,
  readOrderEvent,
  storeScope,
  END_STATUSES,
  type OrderStatus,
} from '../core';
import type { SqliteSyncStorage } from '../storage';
import type { DeviceClaims } from '../protocol';

export type OrderClaim =
  | { ok: true; orderId: string }
  | { ok: false; code: 'ORDER_NOT_FOUND' | 'ORDER_ALREADY_HANDED_OVER'; status?: OrderStatus; by?: string | null };

const CLAIM_META = (orderId: string) => `order.claim.${orderId}`;
const REFUND_META = (orderId: string) => `order.refund.${orderId}`;

/**
 * Which till pays back a cancelled or expired order's money: the first to ask. (The refund
 * number is the order's, so even two tills paying would be one refund at the gateway; this
 * only saves the second call.)
 */
export async function claimOrderRefund(
  storage: SqliteSyncStorage,
  storeId: string,
  device: DeviceClaims,
  orderId: string,
): Promise<
  { ok: true; orderId: string } | { ok: false; code: 'ORDER_NOT_FOUND' | 'ORDER_REFUND_CLAIMED'; by?: string }
> {
  const body = await storage.fact('online_order', orderId);
  if (!body || readOnlineOrder(orderId, body).storeId !== storeId) return { ok: false, code: 'ORDER_NOT_FOUND' };
  const holder = storage.getMetaSync(REFUND_META(orderId));
  if (holder && holder !== device.d) return { ok: false, code: 'ORDER_REFUND_CLAIMED', by: holder };
  storage.setMetaSync(REFUND_META(orderId), device.d);
  return { ok: true, orderId };
}

export async function claimOrder(
  storage: SqliteSyncStorage,
  storeId: string,
  device: DeviceClaims,
  orderId: string,
): Promise<OrderClaim> {
  const body = await storage.fact('online_order', orderId);
  if (!body) return { ok: false, code: 'ORDER_NOT_FOUND' };
  const order = readOnlineOrder(orderId, body);
  if (order.storeId !== storeId) return { ok: false, code: 'ORDER_NOT_FOUND' };
  const { ops } = storage.keyRangeSync({
    t: 'fact',
    scope: storeScope(storeId),
    e: 'order_event',
    ...orderEventRange(orderId),
  });
  const events = ops
    .map((o) => readOrderEvent(o.k, o.id, authorNode(o), o.b as Record<string, unknown>))
    .filter((e) => e !== null);
  const state = foldOrder(order, events);
  if (state.end && END_STATUSES.includes(state.status))
    return { ok: false, code: 'ORDER_ALREADY_HANDED_OVER', status: state.status, by: state.end.terminalId };
  const holder = storage.getMetaSync(CLAIM_META(orderId));
  if (holder && holder !== device.d) return { ok: false, code: 'ORDER_ALREADY_HANDED_OVER', by: holder };
  storage.setMetaSync(CLAIM_META(orderId), device.d);
  return { ok: true, orderId };
}
