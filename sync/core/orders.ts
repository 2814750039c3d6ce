// Online orders as replicated data (pure, no I/O): the order is an immutable `online_order` fact
// written by the cloud; everything that happens to it afterwards is an `order_event` fact
// (`<orderId>.<unique>`), written by whoever did it (a till, the hub, the cloud). The state of an
// order is a fold over its events, the same on every replica whatever order they arrived in:
//
//   - status is a max-register over new < accepted < picking < ready < (an end state);
//   - the end state (collected, handed_over, expired, cancelled) is the end event with the
//     LOWEST stamp: the first one wins, every later end event is a conflict for the manager;
//   - a line's pick is the latest `picked` event of that line (re-weighing replaces it);
//   - stock: an end event lists the movements its author wrote (`moves`); the author of a losing
//     end event writes their reverse once it learns it lost (a `compensated` event marks that),
//     so two offline handovers of one order count its stock once. See docs/orders.md.
import { z } from 'zod';
import type { MovementKind } from './ops';

export const ORDER_STATUSES = [
  'new',
  'accepted',
  'picking',
  'ready',
  'collected',
  'handed_over',
  'expired',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const END_STATUSES: readonly OrderStatus[] = ['collected', 'handed_over', 'expired', 'cancelled'];
/** Event kinds: the statuses a replica may record, plus a line pick, a compensation marker and the refund paid back. */
export const ORDER_EVENT_KINDS = [
  'accepted',
  'picking',
  'picked',
  'ready',
  'collected',
  'handed_over',
  'expired',
  'cancelled',
  'compensated',
  'refunded',
] as const;
export type OrderEventKind = (typeof ORDER_EVENT_KINDS)[number];
/** Only the cloud (HQ) may expire or cancel an order: it owns the payment and the mall. */
export const HQ_ONLY_ORDER_EVENTS: readonly OrderEventKind[] = ['expired', 'cancelled'];

const RANK: Record<OrderStatus, number> = {
  new: 0,
  accepted: 1,
  picking: 2,
  ready: 3,
  collected: 4,
  handed_over: 4,
  expired: 4,
  cancelled: 4,
};

const sku = z.string().min(1).max(80);
export const orderLineSchema = z.object({
  lineId: z.string().min(1).max(40),
  sku,
  name: z.string().max(120).optional(),
  /** Items for a counted line; absent for a weighed line. */
  quantity: z.number().int().positive().max(100_000).optional(),
  /** Grams for a weighed line. */
  grams: z.number().int().positive().max(1_000_000).optional(),
  /** Fen per item, or per kilogram for a weighed line. */
  unitPrice: z.number().int().min(0).max(100_000_000).default(0),
  /** What the customer paid for the line (fen). */
  amount: z.number().int().min(0).max(1_000_000_000).default(0),
  category: z.string().max(60).optional(),
});
export type OrderLine = z.infer<typeof orderLineSchema>;

export const FULFILMENTS = ['pickup', 'delivery', 'group_buy'] as const;
export type Fulfilment = (typeof FULFILMENTS)[number];

/** The body of an `online_order` fact as the cloud writes it (older facts only have storeId + lines). */
export interface OnlineOrder {
  orderId: string;
  storeId: string;
  channel: string;
  createdAt: string;
  lines: OrderLine[];
  fulfilment: Fulfilment;
  leaderId: string | null;
  leaderCode: string | null;
  memberId: string | null;
  /** Name as shown on the bag label: already masked by the cloud (张*, L***). */
  maskedName: string;
  slotStart: string | null;
  slotEnd: string | null;
  paid: number;
  paymentRef: string | null;
  /** The wallet that took the payment (the refund goes back through it); null when the mall did not say. */
  paymentWallet: 'wechat' | 'alipay' | null;
  pickupCode: string | null;
  /** Set when routing split a customer's order across stores. */
  parentId: string | null;
}

/** Reads an order fact body defensively: bad fields become defaults, never a throw. */
export function readOnlineOrder(orderId: string, body: Record<string, unknown>): OnlineOrder {
  const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  const rawLines = Array.isArray(body['lines']) ? body['lines'] : [];
  const lines: OrderLine[] = [];
  rawLines.forEach((l, i) => {
    const withId = l && typeof l === 'object' ? { lineId: String(i + 1), ...(l as object) } : l;
    const r = orderLineSchema.safeParse(withId);
    if (r.success) lines.push(r.data);
  });
  const f = body['fulfilment'];
  return {
    orderId,
    storeId: str(body['storeId']) ?? '',
    channel: str(body['channel']) ?? 'online',
    createdAt: str(body['createdAt']) ?? '',
    lines,
    fulfilment: f === 'delivery' || f === 'group_buy' ? f : 'pickup',
    leaderId: str(body['leaderId']),
    leaderCode: str(body['leaderCode']),
    memberId: str(body['memberId']),
    maskedName: str(body['maskedName']) ?? '',
    slotStart: str(body['slotStart']),
    slotEnd: str(body['slotEnd']),
    paid: typeof body['paid'] === 'number' && Number.isSafeInteger(body['paid']) ? body['paid'] : 0,
    paymentRef: str(body['paymentRef']),
    paymentWallet:
      body['paymentWallet'] === 'wechat' || body['paymentWallet'] === 'alipay' ? body['paymentWallet'] : null,
    pickupCode: str(body['pickupCode']),
    parentId: str(body['parentId']),
  };
}

/** What the reserved or picked amount of a line is in stock units (items, or grams when weighed). */
export function lineStockQty(l: { quantity?: number; grams?: number }): number {
  return l.grams ?? l.quantity ?? 0;
}

export interface OrderMove {
  sku: string;
  kind: MovementKind;
  /** Positive; the kind gives the sign (ops.ts signedQuantity). */
  qty: number;
}

export interface OrderEvent {
  /** Fact id `<orderId>.<unique>`. */
  factId: string;
  /** The op stamp (decides who was first). */
  stamp: string;
  /** The node that wrote it. */
  node: string;
  kind: OrderEventKind;
  at: string;
  terminalId: string | null;
  staffId: string | null;
  lineId: string | null;
  quantity: number | null;
  grams: number | null;
  /** The picked line's new amount (fen). */
  amount: number | null;
  bags: number | null;
  offline: boolean;
  moves: OrderMove[];
  /** For `compensated`: the end event whose moves were reversed. */
  voids: string | null;
  /** For `picked`: another product put in the bag instead of the line's (out of stock). */
  substitute: OrderSubstitute | null;
  /** For `picked`: the picker scanned the item to confirm it (false: typed count or weight). */
  scanned: boolean;
  /** For `ready`: the lines that differ from the order (short, out of stock, substituted), for the customer. */
  changes: OrderLineChange[];
}

export interface OrderSubstitute {
  sku: string;
  name: string;
}

/** A line that left the store different from what the customer ordered. */
export interface OrderLineChange {
  lineId: string;
  change: 'short' | 'out_of_stock' | 'substituted';
  /** The refund of this line (fen): paid − settled. */
  refund: number;
  substitute?: OrderSubstitute;
}

export function orderEventId(orderId: string, unique: string): string {
  return `${orderId}.${unique}`;
}

/** Key range holding every event fact of one order (ids never hold a '/'; '.' < '/'). */
export function orderEventRange(orderId: string): { fromKey: string; toKey: string } {
  return { fromKey: `${orderId}.`, toKey: `${orderId}/` };
}

export function readOrderEvent(
  factId: string,
  stamp: string,
  node: string,
  b: Record<string, unknown>,
): OrderEvent | null {
  const kind = b['kind'];
  if (typeof kind !== 'string' || !(ORDER_EVENT_KINDS as readonly string[]).includes(kind)) return null;
  const int = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const moves: OrderMove[] = [];
  if (Array.isArray(b['moves']))
    for (const m of b['moves'] as Record<string, unknown>[]) {
      if (m && typeof m.sku === 'string' && typeof m.kind === 'string' && int(m.qty) !== null)
        moves.push({ sku: m.sku, kind: m.kind as MovementKind, qty: Math.abs(m.qty as number) });
    }
  return {
    factId,
    stamp,
    node,
    kind: kind as OrderEventKind,
    at: str(b['at']) ?? '',
    terminalId: str(b['terminalId']),
    staffId: str(b['staffId']),
    lineId: str(b['lineId']),
    quantity: int(b['quantity']),
    grams: int(b['grams']),
    amount: int(b['amount']),
    bags: int(b['bags']),
    offline: b['offline'] === true,
    moves,
    voids: str(b['voids']),
    substitute: readSubstitute(b['substitute']),
    scanned: b['scanned'] === true,
    changes: readChanges(b['changes']),
  };
}

function readSubstitute(v: unknown): OrderSubstitute | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  return typeof o['sku'] === 'string' && o['sku'] !== ''
    ? { sku: o['sku'], name: typeof o['name'] === 'string' ? o['name'] : '' }
    : null;
}

const CHANGES: readonly string[] = ['short', 'out_of_stock', 'substituted'];

function readChanges(v: unknown): OrderLineChange[] {
  if (!Array.isArray(v)) return [];
  const out: OrderLineChange[] = [];
  for (const c of v as Record<string, unknown>[]) {
    if (!c || typeof c['lineId'] !== 'string' || !CHANGES.includes(String(c['change']))) continue;
    const refund = typeof c['refund'] === 'number' && Number.isSafeInteger(c['refund']) ? c['refund'] : 0;
    const substitute = readSubstitute(c['substitute']);
    out.push({
      lineId: c['lineId'],
      change: c['change'] as OrderLineChange['change'],
      refund,
      ...(substitute ? { substitute } : {}),
    });
  }
  return out;
}

export interface LinePick {
  quantity: number | null;
  grams: number | null;
  amount: number;
  substitute: OrderSubstitute | null;
}

export interface OrderState {
  order: OnlineOrder;
  status: OrderStatus;
  /** The winning end event, if any. */
  end: OrderEvent | null;
  /** End events that lost (a second handover elsewhere, an expiry after an offline handover). */
  conflicts: OrderEvent[];
  picks: Record<string, LinePick>;
  /** Sum of line amounts after picking (unpicked lines at their paid amount). */
  settledAmount: number;
  /** Paid minus settled, never negative: refunded to the original payment. */
  refund: number;
  /** The refund paid back through the payment gateway (the first `refunded` event), if any. */
  refundPaid: { amount: number; at: string; terminalId: string | null } | null;
  bags: number | null;
  acceptedAt: string | null;
  readyAt: string | null;
  /** Ids of end events whose moves were already reversed. */
  compensated: string[];
  events: OrderEvent[];
}

export function foldOrder(order: OnlineOrder, events: OrderEvent[]): OrderState {
  const sorted = [...events].sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : 0));
  let rank = 0;
  let status: OrderStatus = 'new';
  let end: OrderEvent | null = null;
  const conflicts: OrderEvent[] = [];
  const picks: Record<string, LinePick> = {};
  const compensated: string[] = [];
  let bags: number | null = null;
  let acceptedAt: string | null = null;
  let readyAt: string | null = null;
  let refundPaid: OrderState['refundPaid'] = null;
  for (const e of sorted) {
    if (e.kind === 'refunded') {
      refundPaid ??= { amount: e.amount ?? 0, at: e.at, terminalId: e.terminalId };
      continue;
    }
    if (e.kind === 'compensated') {
      if (e.voids) compensated.push(e.voids);
      continue;
    }
    if (e.kind === 'picked') {
      if (e.lineId && e.amount !== null)
        picks[e.lineId] = { quantity: e.quantity, grams: e.grams, amount: e.amount, substitute: e.substitute };
      if (rank < RANK.picking) {
        rank = RANK.picking;
        status = 'picking';
      }
      continue;
    }
    const s = e.kind as OrderStatus;
    if (END_STATUSES.includes(s)) {
      if (end) conflicts.push(e);
      else {
        end = e;
        status = s;
        rank = RANK[s];
      }
      continue;
    }
    if (e.kind === 'accepted' && !acceptedAt) acceptedAt = e.at;
    if (e.kind === 'ready') {
      readyAt = e.at;
      if (e.bags !== null) bags = e.bags;
    }
    if (!end && RANK[s] > rank) {
      rank = RANK[s];
      status = s;
    }
  }
  let settled = 0;
  for (const l of order.lines) settled += picks[l.lineId]?.amount ?? l.amount;
  const paidLines = order.lines.reduce((a, l) => a + l.amount, 0);
  const paid = order.paid || paidLines;
  return {
    order,
    status,
    end,
    conflicts,
    picks,
    settledAmount: settled,
    refund: Math.max(0, paid - settled),
    refundPaid,
    bags,
    acceptedAt,
    readyAt,
    compensated,
    events: sorted,
  };
}

/**
 * The price of a picked line: a weighed line at its unit price per kg for the grams put in the
 * bag, but never more than the customer paid for it (a heavier piece is the store's gift, since
 * the payment cannot be topped up at the counter); a counted line pro rata of what was paid.
 */
export function pickedAmount(line: OrderLine, pick: { quantity?: number; grams?: number }): number {
  if (line.grams !== undefined) {
    const grams = pick.grams ?? 0;
    const byWeight =
      line.unitPrice > 0 ? Math.round((line.unitPrice * grams) / 1000) : Math.round((line.amount * grams) / line.grams);
    return Math.min(line.amount, byWeight);
  }
  const ordered = line.quantity ?? 0;
  const q = Math.min(pick.quantity ?? 0, ordered);
  return ordered > 0 ? Math.round((line.amount * q) / ordered) : 0;
}

/**
 * The price of a substitute: its own price for what went into the bag (per item, or per kg for
 * grams), but never more than the customer paid for the line they ordered.
 */
export function substituteAmount(
  line: OrderLine,
  product: { price: number },
  pick: { quantity?: number; grams?: number },
): number {
  const own =
    pick.grams !== undefined ? Math.round((product.price * pick.grams) / 1000) : product.price * (pick.quantity ?? 0);
  return Math.min(line.amount, own);
}

/** How each line left the store compared with the order (for the customer, at ready). */
export function lineChanges(state: Pick<OrderState, 'order' | 'picks'>): OrderLineChange[] {
  const out: OrderLineChange[] = [];
  for (const l of state.order.lines) {
    const p = state.picks[l.lineId];
    if (!p) continue;
    const refund = Math.max(0, l.amount - p.amount);
    if (p.substitute) out.push({ lineId: l.lineId, change: 'substituted', refund, substitute: p.substitute });
    else if ((p.grams ?? p.quantity ?? 0) === 0) out.push({ lineId: l.lineId, change: 'out_of_stock', refund });
    else if (l.quantity !== undefined && (p.quantity ?? 0) < l.quantity)
      out.push({ lineId: l.lineId, change: 'short', refund });
  }
  return out;
}

/**
 * Stock movements of a handover: release each line's reservation, sell what was picked (the
 * substitute's SKU when the line was substituted).
 */
export function handoverMoves(state: Pick<OrderState, 'order' | 'picks'>): OrderMove[] {
  const moves: OrderMove[] = [];
  for (const l of state.order.lines) {
    const reserved = lineStockQty(l);
    if (reserved > 0) moves.push({ sku: l.sku, kind: 'release', qty: reserved });
    const p = state.picks[l.lineId];
    const sold = p ? (p.grams ?? p.quantity ?? 0) : reserved;
    if (sold > 0) moves.push({ sku: p?.substitute?.sku ?? l.sku, kind: 'sale', qty: sold });
  }
  return moves;
}

/** Stock movements of an expiry or cancellation: release exactly the order's reservation. */
export function releaseMoves(order: OnlineOrder): OrderMove[] {
  return order.lines
    .filter((l) => lineStockQty(l) > 0)
    .map((l) => ({ sku: l.sku, kind: 'release' as const, qty: lineStockQty(l) }));
}

const REVERSE: Partial<Record<MovementKind, MovementKind>> = {
  release: 'reservation',
  reservation: 'release',
  sale: 'return',
  return: 'sale',
};

/**
 * The losing end events this replica wrote (`isMine` on the event's node) whose movements are
 * not reversed yet, with the reversing movements. The caller writes them together with a
 * `compensated` event in one transaction.
 */
export function pendingCompensations(
  state: OrderState,
  isMine: (node: string) => boolean,
): { event: OrderEvent; moves: OrderMove[] }[] {
  const out: { event: OrderEvent; moves: OrderMove[] }[] = [];
  for (const e of state.conflicts) {
    if (!isMine(e.node) || state.compensated.includes(e.factId) || e.moves.length === 0) continue;
    const moves: OrderMove[] = [];
    for (const m of e.moves) {
      const r = REVERSE[m.kind];
      if (r) moves.push({ sku: m.sku, kind: r, qty: m.qty });
    }
    out.push({ event: e, moves });
  }
  return out;
}

/** The pickup code inside a scanned QR payload (`POSPICKUP:<orderId>:<code>`) or a typed code. */
/**
 * What is owed back to the customer once the order has ended: the difference (paid − settled)
 * of an order handed over, everything paid for one cancelled or expired; 0 while it is open.
 */
export function refundOwed(s: OrderState): number {
  if (!s.end) return 0;
  if (s.end.kind === 'cancelled' || s.end.kind === 'expired')
    return s.order.paid || s.order.lines.reduce((a, l) => a + l.amount, 0);
  return s.refund;
}

export function parsePickupInput(input: string): { orderId: string | null; code: string } {
  const s = input.trim();
  const m = /^POSPICKUP:([^:]{1,80}):(\d{6,10})$/.exec(s);
  if (m) return { orderId: m[1]!, code: m[2]! };
  return { orderId: null, code: s.replace(/\s+/g, '') };
}

export function pickupQrPayload(orderId: string, code: string): string {
  return `POSPICKUP:${orderId}:${code}`;
}
