// Online orders at the till: the pick queue read from this till's sync replica, and the store's
// actions on an order (accept, pick, ready, handover, leader pickup). Every action appends an
// `order_event` fact (and, at handover, the stock movements) to the sync outbox in the same
// SQLite transaction as its audit entry, so the event, the stock and the audit commit together.
// Handover is exactly once: online the store hub claims the order first (sync/hub/order-claims.ts);
// offline this till decides alone and a second handover elsewhere is flagged after sync, with
// its stock reversed by the till that lost (sync/core/orders.ts).
import type { OrderStatus, OrderView, ProductView, StaffView } from '../../contract';
import { PosError } from '../../contract';
import {
  authorNode,
  deviceOfNode,
  foldOrder,
  handoverMoves,
  lineChanges,
  orderEventId,
  orderEventRange,
  parsePickupInput,
  pendingCompensations,
  pickedAmount,
  pickupQrPayload,
  readOnlineOrder,
  readOrderEvent,
  storeScope,
  substituteAmount,
  type Op,
  type OrderEvent,
  type OrderMove,
  type OrderState,
} from '../../../sync/core';
import type { TerminalSync } from '../../../sync/terminal';
import { writeAudit } from '../audit';
import { findProduct, resolveScan } from '../catalog';
import { readTillConfig, scaleLabelRules } from '../config';
import type { CoreContext } from '../context';
import { uuidv7 } from '../ids';

export interface OrderDeps {
  ctx: CoreContext;
  sync: TerminalSync | null;
}

function replicaOf(deps: OrderDeps): TerminalSync {
  if (!deps.sync) throw new PosError('ORDERS_OFFLINE');
  return deps.sync;
}

/** Every order of this store with its events, folded (synchronous: usable inside a transaction). */
export function loadOrders(deps: OrderDeps): OrderState[] {
  const storage = replicaOf(deps).outbox.storage;
  const scope = storeScope(deps.ctx.storeId);
  const orders = storage.keyRangeSync({ t: 'fact', scope, e: 'online_order', fromKey: '', toKey: '\uffff' }).ops;
  const events = storage.keyRangeSync({ t: 'fact', scope, e: 'order_event', fromKey: '', toKey: '\uffff' }).ops;
  const byOrder = new Map<string, OrderEvent[]>();
  for (const o of events) {
    const b = o.b as Record<string, unknown>;
    const e = readOrderEvent(o.k, o.id, authorNode(o), b);
    const orderId = typeof b['orderId'] === 'string' ? b['orderId'] : null;
    if (!e || !orderId) continue;
    byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), e]);
  }
  return orders.map((o) => foldOrder(readOnlineOrder(o.k, o.b as Record<string, unknown>), byOrder.get(o.k) ?? []));
}

export function loadOrder(deps: OrderDeps, orderId: string): OrderState {
  const storage = replicaOf(deps).outbox.storage;
  const scope = storeScope(deps.ctx.storeId);
  const body = storage.hasFactSync('online_order', orderId)
    ? storage.keyRangeSync({ t: 'fact', scope, e: 'online_order', fromKey: orderId, toKey: `${orderId}\u0000` }).ops[0]
    : undefined;
  if (!body) throw new PosError('ORDER_NOT_FOUND');
  const events = storage
    .keyRangeSync({ t: 'fact', scope, e: 'order_event', ...orderEventRange(orderId) })
    .ops.map((o) => readOrderEvent(o.k, o.id, authorNode(o), o.b as Record<string, unknown>))
    .filter((e) => e !== null);
  return foldOrder(readOnlineOrder(orderId, body.b as Record<string, unknown>), events);
}

export function orderView(s: OrderState): OrderView {
  const o = s.order;
  const end = s.end;
  return {
    id: o.orderId,
    status: s.status,
    fulfilment: o.fulfilment,
    maskedName: o.maskedName,
    leaderId: o.leaderId,
    slotStart: o.slotStart,
    slotEnd: o.slotEnd,
    createdAt: o.createdAt,
    lines: o.lines.map((l) => ({
      lineId: l.lineId,
      sku: l.sku,
      name: l.name ?? '',
      category: l.category ?? '',
      quantity: l.quantity ?? null,
      grams: l.grams ?? null,
      unitPrice: l.unitPrice,
      amount: l.amount,
      picked: s.picks[l.lineId] ?? null,
    })),
    paid: o.paid,
    settledAmount: s.settledAmount,
    refund: s.refund,
    bags: s.bags,
    handover: end
      ? { status: end.kind as OrderStatus, at: end.at, terminalId: end.terminalId, offline: end.offline }
      : null,
    conflicts: s.conflicts.map((c) => ({
      status: c.kind as OrderStatus,
      at: c.at,
      terminalId: c.terminalId,
      offline: c.offline,
    })),
  };
}

export function listOrders(deps: OrderDeps, status: OrderStatus | 'open' | undefined) {
  const all = loadOrders(deps);
  const pick = all.filter((s) => (status === 'open' ? !s.end : status ? s.status === status : true));
  // Oldest slot first: that is the order to pick next.
  pick.sort((a, b) => (a.order.slotStart ?? a.order.createdAt).localeCompare(b.order.slotStart ?? b.order.createdAt));
  return {
    orders: pick.map(orderView),
    newCount: all.filter((s) => s.status === 'new').length,
    conflictCount: all.filter((s) => s.conflicts.length > 0).length,
  };
}

/** One event (and its movements) + the audit entry, in one transaction. */
function record(
  deps: OrderDeps,
  staff: StaffView,
  orderId: string,
  kind: OrderEvent['kind'],
  fields: Record<string, unknown>,
  moves: OrderMove[] = [],
  audit: Record<string, unknown> = {},
): void {
  const { ctx } = deps;
  const { outbox } = replicaOf(deps);
  const now = ctx.clock();
  const ops: Op[] = [
    outbox.ops.fact(storeScope(ctx.storeId), 'order_event', orderEventId(orderId, uuidv7(now)), {
      orderId,
      kind,
      at: now.toISOString(),
      terminalId: ctx.terminalId,
      staffId: staff.id,
      ...fields,
      ...(moves.length ? { moves } : {}),
    }),
    ...moves.map((m) => outbox.ops.move(ctx.storeId, m.sku, m.kind, m.qty, orderId)),
  ];
  outbox.append(ops);
  writeAudit(ctx.db, ctx.terminalId, now, {
    action: `order.${kind}`,
    staffId: staff.id,
    detail: { orderId, ...audit },
  });
}

function assertOpen(s: OrderState): void {
  if (s.end) throw new PosError('ORDER_STATE', { reason: 'closed', orderId: s.order.orderId, status: s.status });
}

export function acceptOrder(deps: OrderDeps, staff: StaffView, orderId: string): OrderView {
  return deps.ctx.db.transaction(() => {
    const s = loadOrder(deps, orderId);
    assertOpen(s);
    if (s.status === 'new') record(deps, staff, orderId, 'accepted', {});
    return orderView(loadOrder(deps, orderId));
  })();
}

/**
 * A scanned code as a catalog product, with the weight a scale label carries (BARCODE_INVALID /
 * PRODUCT_NOT_FOUND otherwise). A price-only label (the 13-digit 21… form Chinese label scales
 * print by default) carries the amount, not the weight: the weight is the one the scale used,
 * amount ÷ the product's price per kg, as the till's own scan does (cart-service.ts).
 */
function scannedProduct(deps: OrderDeps, code: string): { product: ProductView; weightGrams?: number } {
  const config = readTillConfig(deps.ctx.db, deps.ctx.storeId, deps.ctx.terminalId);
  const r = resolveScan(deps.ctx.db, code, {
    variableMeasureRules: scaleLabelRules(config),
    amountToleranceFen: config.scaleLabels.amountToleranceFen,
  });
  if (r.weightGrams !== undefined) return { product: r.product, weightGrams: r.weightGrams };
  if (r.price !== undefined && r.product.unit === 'weighed' && r.product.price > 0)
    return { product: r.product, weightGrams: Math.max(1, Math.round((r.price * 1000) / r.product.price)) };
  return { product: r.product };
}

/**
 * The product put in the bag instead of an out-of-stock line: scanned, or — a loose item with no
 * barcode of its own and no scale label — its SKU (货号, on the shelf label) typed. A code that
 * reads as a barcode in the catalog always wins over a SKU of the same digits.
 */
function substituteProduct(deps: OrderDeps, code: string): { product: ProductView; weightGrams?: number } {
  try {
    return scannedProduct(deps, code);
  } catch (err) {
    if (!(err instanceof PosError) || (err.code !== 'BARCODE_INVALID' && err.code !== 'PRODUCT_NOT_FOUND')) throw err;
    const bySku = findProduct(deps.ctx.db, code.trim());
    if (bySku?.active) return { product: bySku };
    throw err;
  }
}

function wrongItem(reason: string, orderId: string, p: ProductView, extra: Record<string, unknown> = {}): PosError {
  return new PosError('ORDER_WRONG_ITEM', { reason, orderId, sku: p.sku, name: p.name, nameEn: p.nameEn, ...extra });
}

export function pickLine(
  deps: OrderDeps,
  staff: StaffView,
  input: { orderId: string; lineId: string; quantity?: number; grams?: number; code?: string },
): { order: OrderView; refund: number } {
  return deps.ctx.db.transaction(() => {
    const s = loadOrder(deps, input.orderId);
    assertOpen(s);
    const line = s.order.lines.find((l) => l.lineId === input.lineId);
    if (!line) throw new PosError('ORDER_STATE', { reason: 'line', orderId: input.orderId, lineId: input.lineId });
    // A scanned confirmation must be this line's product: the wrong item never goes in the bag.
    if (input.code !== undefined) {
      const { product } = scannedProduct(deps, input.code);
      if (product.sku !== line.sku) throw wrongItem('not-this-line', input.orderId, product, { lineId: line.lineId });
    }
    const weighed = line.grams !== undefined;
    if (weighed && input.grams === undefined)
      throw new PosError('ORDER_STATE', { reason: 'by-weight', lineId: line.lineId });
    if (!weighed && input.quantity === undefined)
      throw new PosError('ORDER_STATE', { reason: 'by-quantity', lineId: line.lineId });
    const amount = pickedAmount(line, input);
    const before = s.picks[line.lineId]?.amount ?? line.amount;
    if (s.status === 'new') record(deps, staff, input.orderId, 'accepted', {});
    // The refund of this pick is what it takes off the line, relative to the last pick.
    const refund = before - amount;
    record(
      deps,
      staff,
      input.orderId,
      'picked',
      {
        lineId: line.lineId,
        quantity: weighed ? null : input.quantity,
        grams: weighed ? input.grams : null,
        amount,
        scanned: input.code !== undefined,
        ...(!weighed && (input.quantity ?? 0) < (line.quantity ?? 0) ? { short: true } : {}),
      },
      [],
      {
        lineId: line.lineId,
        sku: line.sku,
        quantity: input.quantity,
        grams: input.grams,
        amount,
        refund,
        scanned: input.code !== undefined,
      },
    );
    return { order: orderView(loadOrder(deps, input.orderId)), refund };
  })();
}

/**
 * One scanned item of an order: the scan must be a product on the order (else ORDER_WRONG_ITEM
 * and nothing is recorded). A counted line goes up by one; a scale label's weight picks a weighed
 * line at once; a weighed item without a label answers `weigh` so the picker puts it on the scale
 * and sends the grams with the same code (`orders.pick`).
 */
export function scanPick(
  deps: OrderDeps,
  staff: StaffView,
  input: { orderId: string; code: string },
): { order: OrderView; lineId: string; refund: number; weigh: boolean } {
  const s = loadOrder(deps, input.orderId);
  assertOpen(s);
  const { product, weightGrams } = scannedProduct(deps, input.code);
  const lines = s.order.lines.filter((l) => l.sku === product.sku);
  if (lines.length === 0) throw wrongItem('not-on-order', input.orderId, product);
  const weighedLine = lines.find((l) => l.grams !== undefined);
  if (weighedLine) {
    if (weightGrams === undefined) return { order: orderView(s), lineId: weighedLine.lineId, refund: 0, weigh: true };
    const r = pickLine(deps, staff, { ...input, lineId: weighedLine.lineId, grams: weightGrams });
    return { ...r, lineId: weighedLine.lineId, weigh: false };
  }
  const counted = (lineId: string) => {
    const p = s.picks[lineId];
    return p && !p.substitute ? (p.quantity ?? 0) : 0;
  };
  const open = lines.find((l) => counted(l.lineId) < (l.quantity ?? 0));
  if (!open) throw wrongItem('line-complete', input.orderId, product, { quantity: lines[0]!.quantity ?? 0 });
  const r = pickLine(deps, staff, { ...input, lineId: open.lineId, quantity: counted(open.lineId) + 1 });
  return { ...r, lineId: open.lineId, weigh: false };
}

/** What the picker must put on the scale before a substitute sold by weight can be recorded. */
interface WeighRequest {
  sku: string;
  name: string;
  nameEn: string;
  pricePerKg: number;
}

/**
 * An out-of-stock line replaced by another product (scanned): priced at the substitute's own
 * price for what went in the bag, never above what the customer paid for the line; the
 * difference is refunded. The event names the substitute, so the cloud tells the customer, and
 * the handover sells the substitute's stock against the line's released reservation. A
 * substitute sold by weight takes the grams given (from the till's scale) or its scale label's;
 * with neither, nothing is recorded and the answer asks for the scale (`weigh`).
 */
export function substituteLine(
  deps: OrderDeps,
  staff: StaffView,
  input: { orderId: string; lineId: string; code: string; quantity?: number; grams?: number },
): { order: OrderView; refund: number; weigh: WeighRequest | null } {
  return deps.ctx.db.transaction(() => {
    const s = loadOrder(deps, input.orderId);
    assertOpen(s);
    const line = s.order.lines.find((l) => l.lineId === input.lineId);
    if (!line) throw new PosError('ORDER_STATE', { reason: 'line', orderId: input.orderId, lineId: input.lineId });
    const { product, weightGrams } = substituteProduct(deps, input.code);
    if (product.sku === line.sku) throw wrongItem('same-product', input.orderId, product, { lineId: line.lineId });
    const weighed = product.unit === 'weighed';
    const grams = input.grams ?? weightGrams;
    if (weighed && grams === undefined)
      return {
        order: orderView(s),
        refund: 0,
        weigh: { sku: product.sku, name: product.name, nameEn: product.nameEn, pricePerKg: product.price },
      };
    if (!weighed && input.quantity === undefined)
      throw new PosError('ORDER_STATE', { reason: 'by-quantity', lineId: line.lineId });
    const pick = weighed ? { grams: grams! } : { quantity: input.quantity! };
    const amount = substituteAmount(line, product, pick);
    const before = s.picks[line.lineId]?.amount ?? line.amount;
    const refund = before - amount;
    const substitute = { sku: product.sku, name: product.name };
    if (s.status === 'new') record(deps, staff, input.orderId, 'accepted', {});
    record(
      deps,
      staff,
      input.orderId,
      'picked',
      {
        lineId: line.lineId,
        quantity: weighed ? null : pick.quantity,
        grams: weighed ? pick.grams : null,
        amount,
        substitute,
        scanned: true,
      },
      [],
      { lineId: line.lineId, sku: line.sku, substitute: product.sku, ...pick, amount, refund },
    );
    return { order: orderView(loadOrder(deps, input.orderId)), refund, weigh: null };
  })();
}

export function markReady(deps: OrderDeps, staff: StaffView, orderId: string, bags: number): OrderView {
  return deps.ctx.db.transaction(() => {
    const s = loadOrder(deps, orderId);
    assertOpen(s);
    if (s.status === 'new') record(deps, staff, orderId, 'accepted', {});
    // What the customer is told with "ready": every line that differs from the order, and the refund.
    const changes = lineChanges(s);
    record(deps, staff, orderId, 'ready', { bags, changes, refund: s.refund }, [], {
      bags,
      settledAmount: s.settledAmount,
      refund: s.refund,
      changes: changes.length,
    });
    return orderView(loadOrder(deps, orderId));
  })();
}

/** The pickup QR payload of an order (for its bag label). */
export function pickupQrOf(deps: OrderDeps, orderId: string): string | null {
  const s = loadOrder(deps, orderId);
  return s.order.pickupCode ? pickupQrPayload(orderId, s.order.pickupCode) : null;
}

function findByCode(deps: OrderDeps, input: string): OrderState {
  const { orderId, code } = parsePickupInput(input);
  const storage = replicaOf(deps).outbox.storage;
  // Through the pickup-code index: a scan reads the one or two orders with that code, not every order.
  const ids = orderId !== null ? [orderId] : storage.factKeysByPickupCodeSync(code);
  const found: OrderState[] = [];
  for (const id of ids) {
    if (!storage.hasFactSync('online_order', id)) continue;
    const s = loadOrder(deps, id);
    if (s.order.pickupCode === code && s.order.storeId === deps.ctx.storeId) found.push(s);
  }
  // Codes repeat only across closed orders: prefer the open one.
  const open = found.find((s) => !s.end);
  const hit = open ?? found[0];
  if (!hit) throw new PosError('ORDER_NOT_FOUND');
  return hit;
}

/** Asks the store hub to claim the order: 'claimed', 'refused' (with who), or 'offline'. */
async function claimAtHub(
  deps: OrderDeps,
  orderId: string,
): Promise<{ result: 'claimed' | 'offline' } | { result: 'refused'; by: string | null }> {
  const r = await replicaOf(deps).client.postToPeer('hub', '/sync/orders/claim', { orderId });
  if (!r || r.status >= 500 || r.status === 404) return { result: 'offline' };
  const body = (r.body ?? {}) as { ok?: boolean; code?: string; by?: string | null };
  if (r.status === 200 && body.ok) return { result: 'claimed' };
  // The hub does not have the order yet (it arrived at this till from the cloud directly): the
  // hub cannot vouch either way, so this till decides as if offline.
  if (r.status === 200 && body.code === 'ORDER_NOT_FOUND') return { result: 'offline' };
  if (r.status === 200 && body.code === 'ORDER_ALREADY_HANDED_OVER') return { result: 'refused', by: body.by ?? null };
  return { result: 'offline' };
}

function handOver(deps: OrderDeps, staff: StaffView, orderId: string, offline: boolean): OrderView {
  return deps.ctx.db.transaction(() => {
    // Re-read inside the transaction: another request on this till may have won meanwhile.
    const s = loadOrder(deps, orderId);
    if (s.end)
      throw new PosError(
        'ORDER_ALREADY_HANDED_OVER',
        s.end.terminalId ? { reason: 'at', terminalId: s.end.terminalId } : undefined,
      );
    if (s.status !== 'ready') throw new PosError('ORDER_STATE', { reason: 'not-ready', orderId, status: s.status });
    const kind = s.order.fulfilment === 'delivery' ? 'handed_over' : 'collected';
    const moves = handoverMoves(s);
    record(deps, staff, orderId, kind, { offline, settledAmount: s.settledAmount, refund: s.refund }, moves, {
      offline,
      settledAmount: s.settledAmount,
      refund: s.refund,
    });
    return orderView(loadOrder(deps, orderId));
  })();
}

export async function handoverByCode(
  deps: OrderDeps,
  staff: StaffView,
  code: string,
): Promise<{ order: OrderView; offline: boolean }> {
  const s = findByCode(deps, code);
  if (s.end)
    throw new PosError(
      'ORDER_ALREADY_HANDED_OVER',
      s.end.terminalId ? { reason: 'at', terminalId: s.end.terminalId } : undefined,
    );
  if (s.status !== 'ready')
    throw new PosError('ORDER_STATE', { reason: 'not-ready', orderId: s.order.orderId, status: s.status });
  const claim = await claimAtHub(deps, s.order.orderId);
  if (claim.result === 'refused') {
    deps.ctx.db.transaction(() =>
      writeAudit(deps.ctx.db, deps.ctx.terminalId, deps.ctx.clock(), {
        action: 'order.handover-refused',
        staffId: staff.id,
        detail: { orderId: s.order.orderId, by: claim.by },
      }),
    )();
    throw new PosError('ORDER_ALREADY_HANDED_OVER', claim.by ? { reason: 'at', terminalId: claim.by } : undefined);
  }
  const offline = claim.result === 'offline';
  return { order: handOver(deps, staff, s.order.orderId, offline), offline };
}

export function leaderOrders(deps: OrderDeps, leaderCode: string): OrderState[] {
  const code = leaderCode.trim();
  return loadOrders(deps).filter((s) => s.order.leaderCode === code && s.status === 'ready');
}

export async function leaderHandover(deps: OrderDeps, staff: StaffView, leaderCode: string): Promise<OrderView[]> {
  const out: OrderView[] = [];
  for (const s of leaderOrders(deps, leaderCode)) {
    const claim = await claimAtHub(deps, s.order.orderId);
    if (claim.result === 'refused') continue; // handed over elsewhere meanwhile: not on this manifest
    out.push(handOver(deps, staff, s.order.orderId, claim.result === 'offline'));
  }
  return out;
}

/**
 * After sync: end events this till wrote that lost to an earlier one elsewhere (two offline
 * handovers) get their stock reversed once, and the manager is told through the audit log and
 * the order's conflicts. Returns how many were reversed.
 */
export function compensateLostHandovers(deps: OrderDeps): number {
  const sync = replicaOf(deps);
  const mine = (node: string) => deviceOfNode(node) === sync.outbox.clock.nodeId;
  const { ctx } = deps;
  let n = 0;
  ctx.db.transaction(() => {
    for (const s of loadOrders(deps)) {
      for (const p of pendingCompensations(s, mine)) {
        const now = ctx.clock();
        sync.outbox.append([
          sync.outbox.ops.fact(
            storeScope(ctx.storeId),
            'order_event',
            orderEventId(s.order.orderId, `comp-${p.event.stamp.replace(/[^A-Za-z0-9]/g, '')}`),
            {
              orderId: s.order.orderId,
              kind: 'compensated',
              voids: p.event.factId,
              at: now.toISOString(),
              terminalId: ctx.terminalId,
            },
          ),
          ...p.moves.map((m) => sync.outbox.ops.move(ctx.storeId, m.sku, m.kind, m.qty, s.order.orderId)),
        ]);
        writeAudit(ctx.db, ctx.terminalId, now, {
          action: 'order.conflict',
          staffId: null,
          detail: {
            orderId: s.order.orderId,
            lost: p.event.kind,
            wonBy: s.end?.terminalId ?? null,
            wonAt: s.end?.at ?? null,
            reversedMoves: p.moves.length,
          },
        });
        n++;
      }
    }
  })();
  if (n) ctx.logger.warn({ orders: n }, 'online order handed over twice; this till reversed its stock and flagged it');
  return n;
}
