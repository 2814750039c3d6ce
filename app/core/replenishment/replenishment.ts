// Replenishment on the till (back office): tomorrow's suggested order per product, with the
// reasons, from the store's daily sales (every till's, through the replicated sale facts when
// sync is on), the imported demand history, the calendar, the weather forecast the store last
// received and the stock on hand / in transit / reserved. The forecast method per family is
// chosen on the last 28 days (a rolling tuning window), the safety stock from that window's
// errors; see docs/replenishment.md. The manager edits the lines and sends a purchase order,
// which replicates to the cloud as a `purchase_order` fact.
import {
  PosError,
  type PurchaseOrder,
  type ReplenishmentLine,
  type ReplenishmentReason,
  type ReplenishmentSuggestion,
} from '../../contract';
import type { StaffView, Unit } from '../../contract';
import { writeAudit } from '../audit';
import type { CoreContext } from '../context';
import {
  addDays,
  dayInfo,
  fitRidge,
  holtWinters,
  METHOD_NAMES,
  predictRidge,
  ridgeEffects,
  seasonalNaive,
  signalLift,
  suggestOrder,
  trainingRow,
  type FamilyId,
  type MethodName,
  type PastDay,
  type RidgeModel,
  type TargetDay,
  type TrainingRow,
} from '../forecast';
import { localDateOf, localMidnight, uuidV7Keys } from '../footfall-math';
import { storeTimeZone } from '../footfall';
import { uuidv7 } from '../ids';
import { replicationFor } from '../replication';
import { getStockView } from '../stock';
import { demandSignals, signalOf, type SignalTable } from './demand-signals';
import { poReceivedField, storeScope, type PurchaseOrderBody } from '../../../sync/core';
import type { TerminalSync } from '../../../sync/terminal';

/** Days of history the forecast reads (two 182-day half years are plenty for a weekly model). */
const HISTORY_DAYS = 182;
/** The rolling tuning window: method choice and error profile. */
const TUNING_DAYS = 28;
/** Daily ordering: an order covers its lead time plus one day until the next delivery. */
const REVIEW_DAYS = 1;

interface ItemRow {
  sku: string;
  name: string;
  name_en: string;
  category: string;
  unit: Unit;
  price: number;
  family: FamilyId;
  supplier: string;
  case_pack: number;
  shelf_life_days: number;
  lead_days: number;
  unit_cost: number;
  service_level: number | null;
}

/** Units sold per sku and store-local day: this till's sales, other tills' replicated sale facts, imported history. */
export async function storeDailySales(
  ctx: CoreContext,
  sync: TerminalSync | null,
  fromDay: string,
  toDay: string,
): Promise<Map<string, Map<string, { units: number; stockout: boolean }>>> {
  const tz = storeTimeZone(ctx);
  const start = localMidnight(tz, fromDay);
  const end = localMidnight(tz, addDays(toDay, 1));
  const out = new Map<string, Map<string, { units: number; stockout: boolean }>>();
  const add = (sku: string, day: string, units: number, stockout = false) => {
    let m = out.get(sku);
    if (!m) out.set(sku, (m = new Map()));
    const cur = m.get(day) ?? { units: 0, stockout: false };
    m.set(day, { units: cur.units + units, stockout: cur.stockout || stockout });
  };
  const imported = ctx.db
    .prepare('SELECT sku, day, units, stockout FROM demand_history WHERE day >= ? AND day <= ?')
    .all(fromDay, toDay) as { sku: string; day: string; units: number; stockout: number }[];
  for (const r of imported) add(r.sku, r.day, r.units, r.stockout === 1);
  const seen = new Set<string>();
  const own = ctx.db
    .prepare(
      `SELECT s.id, s.created_at, l.sku, l.unit, l.quantity, l.weight_grams FROM sales s JOIN sale_lines l ON l.sale_id = s.id
       WHERE s.created_at >= ? AND s.created_at < ?`,
    )
    .all(new Date(start).toISOString(), new Date(end).toISOString()) as {
    id: string;
    created_at: string;
    sku: string;
    unit: Unit;
    quantity: number;
    weight_grams: number | null;
  }[];
  for (const r of own) {
    seen.add(r.id);
    add(r.sku, localDateOf(tz, Date.parse(r.created_at)), r.unit === 'weighed' ? (r.weight_grams ?? 0) : r.quantity);
  }
  if (sync) {
    const facts = await sync.outbox.storage.keyRange({
      t: 'fact',
      scope: storeScope(ctx.storeId),
      e: 'sale',
      ...uuidV7Keys(start, end),
    });
    for (const op of facts.ops) {
      if (seen.has(op.k)) continue;
      const b = op.b as { createdAt?: unknown; lines?: unknown } | null;
      const at = typeof b?.createdAt === 'string' ? Date.parse(b.createdAt) : NaN;
      if (!(at >= start && at < end) || !Array.isArray(b?.lines)) continue;
      const day = localDateOf(tz, at);
      for (const l of b.lines as { sku?: unknown; unit?: unknown; quantity?: unknown; weightGrams?: unknown }[]) {
        if (typeof l.sku !== 'string') continue;
        const units = l.unit === 'weighed' ? Number(l.weightGrams ?? 0) : Number(l.quantity ?? 0);
        if (Number.isFinite(units) && units > 0) add(l.sku, day, units);
      }
    }
  }
  return out;
}

type WeatherTable = Map<string, { tempC: number; rainMm: number }>;

function weatherTable(ctx: CoreContext, from: string, to: string): WeatherTable {
  const rows = ctx.db
    .prepare('SELECT day, temp_c, rain_mm FROM weather_forecasts WHERE day >= ? AND day <= ?')
    .all(from, to) as { day: string; temp_c: number; rain_mm: number }[];
  return new Map(rows.map((r) => [r.day, { tempC: r.temp_c, rainMm: r.rain_mm }]));
}

/** Ordered and not yet received, of the orders still open for today or later. */
function inTransit(ctx: CoreContext, today: string): Map<string, number> {
  const rows = ctx.db
    .prepare("SELECT lines, received FROM purchase_orders WHERE status = 'sent' AND for_day >= ?")
    .all(today) as { lines: string; received: string }[];
  const out = new Map<string, number>();
  for (const r of rows) {
    const got = JSON.parse(r.received) as Record<string, number>;
    for (const l of JSON.parse(r.lines) as { sku: string; quantity: number }[]) {
      const open = Math.max(0, l.quantity - (got[l.sku] ?? 0));
      if (open > 0) out.set(l.sku, (out.get(l.sku) ?? 0) + open);
    }
  }
  return out;
}

interface Series {
  item: ItemRow;
  past: PastDay[];
}

type Predict = (past: PastDay[], target: TargetDay, h: number) => number;

// The smoothing methods are a baseline times the regression's promotion / pre-order lift (×1 on
// a day with neither), so the method choice on the tuning window compares like with like.
function predictor(method: MethodName, ridge: RidgeModel): Predict {
  switch (method) {
    case 'seasonal_naive':
      return (past, t, h) => seasonalNaive(past, h) * signalLift(ridge, past, t, h);
    case 'holt_winters':
      return (past, t, h) => holtWinters(past, { alpha: 0.1, gamma: 0.1 }, h) * signalLift(ridge, past, t, h);
    case 'ridge':
      return (past, t, h) => predictRidge(ridge, past, t, h);
  }
}

/** A day as the model sees it: calendar, weather forecast, promotion depth and group-buy pre-orders. */
function dayTarget(weather: WeatherTable, signals: SignalTable, sku: string, day: string): TargetDay {
  const w = weather.get(day);
  const s = signalOf(signals, sku, day);
  return {
    cal: dayInfo(day),
    promo: s.promo,
    groupBuy: s.groupBuy,
    tempC: w?.tempC ?? null,
    rainMm: w?.rainMm ?? null,
  };
}

/** The median pre-orders of the same weekday in the last four weeks of history (a usual day). */
function usualPreOrders(signals: SignalTable, sku: string, day: string, today: string): number {
  const past: number[] = [];
  for (let k = 1; past.length < 4 && k <= 8; k++) {
    const d = addDays(day, -7 * k);
    if (d < today) past.push(signalOf(signals, sku, d).groupBuy);
  }
  past.sort((a, b) => a - b);
  return past.length === 0
    ? 0
    : (past[Math.floor((past.length - 1) / 2)]! + past[Math.ceil((past.length - 1) / 2)]!) / 2;
}

function promoRuleOf(signals: SignalTable, sku: string, targets: TargetDay[]): ReplenishmentReason['promoRule'] {
  let best: { promo: number; rule: ReplenishmentReason['promoRule'] } = { promo: 0, rule: null };
  for (const t of targets) {
    const s = signalOf(signals, sku, t.cal.day);
    if (s.promo > best.promo) best = { promo: s.promo, rule: s.promoRule };
  }
  return best.rule;
}

export async function suggestReplenishment(
  ctx: CoreContext,
  sync: TerminalSync | null,
  day?: string,
): Promise<ReplenishmentSuggestion> {
  const tz = storeTimeZone(ctx);
  const today = localDateOf(tz, ctx.clock().getTime());
  const forDay = day ?? addDays(today, 1);
  if (forDay < today || forDay > addDays(today, 14))
    throw new PosError('BAD_INPUT', { reason: 'replenishment-day', day: forDay });
  const items = ctx.db
    .prepare(
      `SELECT p.sku, p.name, p.name_en, p.category, p.unit, p.price, r.family, r.supplier, r.case_pack,
              r.shelf_life_days, r.lead_days, r.unit_cost, r.service_level
       FROM replenishment_items r JOIN products p ON p.sku = r.sku WHERE p.active = 1 ORDER BY r.supplier, p.category, p.sku`,
    )
    .all() as ItemRow[];
  const historyFrom = addDays(today, -HISTORY_DAYS);
  const yesterday = addDays(today, -1);
  const sales = await storeDailySales(ctx, sync, historyFrom, yesterday);
  const dayList = Array.from({ length: HISTORY_DAYS }, (_, i) => addDays(historyFrom, i));
  const series: Series[] = items.map((item) => {
    const byDay = sales.get(item.sku);
    // History starts at the first day with any record for this product.
    let first = HISTORY_DAYS;
    for (let i = 0; i < HISTORY_DAYS; i++)
      if (byDay?.has(dayList[i]!)) {
        first = i;
        break;
      }
    const past: PastDay[] = [];
    for (let i = first; i < HISTORY_DAYS; i++) {
      const d = dayList[i]!;
      const v = byDay?.get(d);
      past.push({ day: d, sales: v?.units ?? 0, stockout: v?.stockout ?? false });
    }
    return { item, past };
  });
  const transit = inTransit(ctx, today);
  const weather = weatherTable(ctx, historyFrom, addDays(today, 30));
  const lastCovered = addDays(forDay, Math.max(0, ...items.map((i) => i.lead_days - 1)) + REVIEW_DAYS);
  const { signals, groupBuyDays } = demandSignals(ctx, sync, tz, items, historyFrom, lastCovered);
  const lines: ReplenishmentLine[] = [];
  const families = [...new Set(series.map((s) => s.item.family))];
  for (const family of families) {
    const fam = series.filter((s) => s.item.family === family);
    // Fit on everything before the tuning window, choose the method and the error profile on it.
    const rows = (upTo: number): TrainingRow[] => {
      const out: TrainingRow[] = [];
      for (const s of fam)
        for (let t = 28; t < s.past.length - upTo; t++)
          if (!s.past[t]!.stockout)
            out.push(
              trainingRow(
                s.past.slice(0, t),
                dayTarget(weather, signals, s.item.sku, s.past[t]!.day),
                s.past[t]!.sales,
              ),
            );
      return out;
    };
    const tuneRidge = fitRidge(rows(TUNING_DAYS), 3);
    const errors = (method: MethodName) => {
      const p = predictor(method, tuneRidge);
      let abs = 0;
      let act = 0;
      const ratios: number[] = [];
      for (const s of fam)
        for (let t = Math.max(14, s.past.length - TUNING_DAYS); t < s.past.length; t++) {
          const d = s.past[t]!;
          if (d.stockout) continue;
          const f = p(s.past.slice(0, t), dayTarget(weather, signals, s.item.sku, d.day), 1);
          abs += Math.abs(d.sales - f);
          act += d.sales;
          if (f > 0.5) ratios.push(d.sales / f);
        }
      return { wape: act ? abs / act : Infinity, ratios: ratios.sort((a, b) => a - b) };
    };
    const scored = METHOD_NAMES.map((m) => ({ m, ...errors(m) }));
    const best = scored.reduce((a, b) => (b.wape < a.wape ? b : a));
    // Too little history for any choice: the seasonal naive is all a store could do by hand.
    const method: MethodName = Number.isFinite(best.wape) ? best.m : 'seasonal_naive';
    const ridge = fitRidge(rows(0), 3);
    const predict = predictor(method, ridge);
    for (const s of fam) {
      const it = s.item;
      const cover = Math.max(0, it.lead_days - 1) + REVIEW_DAYS;
      // Forecast each covered day; days between today and the delivery day count towards the
      // horizon (sales until delivery use up stock on hand).
      const gap = Math.max(0, Math.round((Date.parse(forDay) - Date.parse(today)) / 86_400_000));
      // Group-buy pre-orders are demand already known: the model reads them as a leading signal
      // (its forecast is the day's whole demand, never below them), but only the walk-in rest is
      // uncertain and gets safety stock; the pre-ordered units are reserved quantity.
      const until: number[] = [];
      const covered: number[] = [];
      const targets: TargetDay[] = [];
      let preOrdered = 0;
      let knownCovered = 0;
      let forecastTotal = 0;
      for (let h = 1; h <= gap + cover; h++) {
        const d = addDays(today, h - 1);
        const known = dayTarget(weather, signals, it.sku, d);
        // A day whose group-buy list has not reached this till (no group-buy order for it at all,
        // or sync is off) is not a day without pre-orders: the model is told the product's usual
        // pre-orders for that weekday instead, and none are reserved.
        const target =
          groupBuyDays.has(d) || known.groupBuy > 0
            ? known
            : { ...known, groupBuy: usualPreOrders(signals, it.sku, d, today) };
        const f = Math.max(known.groupBuy, s.past.length >= 7 ? predict(s.past, target, h) : 0);
        const walkIn = Math.max(0, f - known.groupBuy);
        preOrdered += known.groupBuy;
        if (d < forDay) until.push(walkIn);
        else {
          covered.push(walkIn);
          targets.push(target);
          knownCovered += known.groupBuy;
          forecastTotal += f;
        }
      }
      const stock = sync
        ? await sync.outbox.storage.stock(ctx.storeId, it.sku)
        : { onHand: getStockView(ctx.db, it.sku, ctx.clock()).onHand, reserved: 0 };
      // What will still be on the shelf when the delivery comes.
      const expectedOnHand = Math.max(0, stock.onHand - until.reduce((a, b) => a + b, 0));
      // The store's stock pool already reserves an online order's lines when it is placed; a
      // pre-order whose reservation has not reached this till yet is reserved here all the same.
      const reserved = Math.max(stock.reserved, preOrdered);
      const order = suggestOrder({
        forecast: covered,
        profile: { ratios: best.ratios },
        onHand: expectedOnHand,
        inTransit: transit.get(it.sku) ?? 0,
        reserved,
        casePack: it.case_pack,
        price: it.price,
        cost: it.unit_cost,
        shelfLifeDays: it.shelf_life_days,
        serviceLevel: it.service_level,
      });
      const first = targets[0] ?? dayTarget(weather, signals, it.sku, forDay);
      lines.push({
        sku: it.sku,
        name: it.name,
        nameEn: it.name_en,
        category: it.category,
        supplier: it.supplier,
        unit: it.unit,
        family: it.family,
        casePack: it.case_pack,
        shelfLifeDays: it.shelf_life_days,
        forecast: Math.round(forecastTotal),
        safety: Math.round(order.safety),
        onHand: stock.onHand,
        inTransit: transit.get(it.sku) ?? 0,
        reserved,
        suggested: order.quantity,
        method,
        criticalRatio: order.criticalRatio,
        historyDays: s.past.length,
        reason: {
          dow: first.cal.dow,
          holiday: first.cal.holiday,
          preHoliday: first.cal.preHoliday,
          preHolidayOf: first.cal.preHolidayOf,
          swappedWorkday: first.cal.swappedWorkday,
          tempC: first.tempC,
          rainMm: first.rainMm,
          groupBuy: knownCovered,
          promo: Math.max(0, ...targets.map((t) => t.promo)),
          promoRule: promoRuleOf(signals, it.sku, targets),
          effects:
            method === 'ridge' && s.past.length >= 28
              ? ridgeEffects(ridge, s.past, first, gap + 1).map((e) => ({
                  feature: e.feature,
                  factor: Math.round(e.factor * 100) / 100,
                }))
              : [],
        },
      });
    }
  }
  const cal = dayInfo(forDay);
  return {
    day: forDay,
    coverDays: REVIEW_DAYS,
    holidayTableKnown: cal.holidayTableKnown,
    weather: weather.get(forDay) ?? null,
    lines,
  };
}

interface OrderRow {
  id: string;
  for_day: string;
  created_at: string;
  staff_id: string;
  status: 'sent' | 'received' | 'cancelled';
  lines: string;
  received: string;
  origin: 'store' | 'hq';
  supplier: string | null;
  received_by: string;
}

type StoredLine = { sku: string; quantity: number; supplier: string; unit?: Unit; unitCost?: number };

function orderView(r: OrderRow): PurchaseOrder {
  const got = JSON.parse(r.received) as Record<string, number>;
  const lines = (JSON.parse(r.lines) as StoredLine[]).map((l) => ({
    ...l,
    received: got[l.sku] ?? 0,
  }));
  const some = lines.some((l) => l.received > 0);
  return {
    id: r.id,
    day: r.for_day,
    createdAt: r.created_at,
    staffId: r.staff_id,
    status: r.status === 'sent' && some ? 'partly_received' : r.status,
    origin: r.origin,
    supplier: r.supplier,
    lines,
  };
}

/** Received per SKU over every till, and the status that follows (received when every line is in full). */
function totals(
  lines: StoredLine[],
  byTill: Record<string, Record<string, number>>,
  status: 'sent' | 'cancelled',
): { received: Record<string, number>; status: OrderRow['status'] } {
  const received: Record<string, number> = {};
  for (const m of Object.values(byTill))
    for (const [sku, n] of Object.entries(m)) received[sku] = (received[sku] ?? 0) + n;
  if (status === 'cancelled') return { received, status };
  const complete = lines.every((l) => (received[l.sku] ?? 0) >= l.quantity);
  return { received, status: complete ? 'received' : 'sent' };
}

/**
 * Goods received against a purchase order of the store (stock.receive with `po.id`): adds the
 * received units per SKU to this till's own count (`received:<till>`, replicated to every till
 * of the store); the order's received quantity is the sum over the tills, so two tills receiving
 * at once both count. When every line has arrived in full the order is `received` and stops
 * counting as in transit, otherwise the rest still does. An id the store does not know (a paper
 * delivery note) changes nothing: the receipt itself is still recorded.
 */
export function recordPurchaseOrderReceipt(
  ctx: CoreContext,
  orderId: string,
  lines: { sku: string; quantity: number }[],
): PurchaseOrder | null {
  const row = ctx.db.prepare('SELECT * FROM purchase_orders WHERE id = ?').get(orderId) as OrderRow | undefined;
  if (!row || row.status === 'cancelled') return null;
  const byTill = JSON.parse(row.received_by) as Record<string, Record<string, number>>;
  // Orders from before per-till counts (0029) kept one total: it counts as this till's.
  const mine = {
    ...(byTill[ctx.terminalId] ?? (Object.keys(byTill).length ? {} : JSON.parse(row.received))),
  } as Record<string, number>;
  for (const l of lines) mine[l.sku] = (mine[l.sku] ?? 0) + l.quantity;
  byTill[ctx.terminalId] = mine;
  const t = totals(JSON.parse(row.lines) as StoredLine[], byTill, 'sent');
  ctx.db
    .prepare('UPDATE purchase_orders SET received = ?, received_by = ?, status = ? WHERE id = ?')
    .run(JSON.stringify(t.received), JSON.stringify(byTill), t.status, orderId);
  replicationFor(ctx.db)?.purchaseOrder?.(orderId, { [poReceivedField(ctx.terminalId)]: mine });
  return orderView({
    ...row,
    received: JSON.stringify(t.received),
    received_by: JSON.stringify(byTill),
    status: t.status,
  });
}

/**
 * A purchase order of the store as replicated (another till's, or HQ's through the cloud):
 * `order` (what was ordered, null until it has arrived), `status` and each till's received
 * counts. Applied inside the transaction that stores the ops; an order whose `order` field has
 * not arrived yet waits (the received counts are kept with it once it does).
 */
export function mirrorPurchaseOrder(
  ctx: Pick<CoreContext, 'db'>,
  id: string,
  order: PurchaseOrderBody | null,
  status: 'sent' | 'cancelled' | null,
  received: Record<string, Record<string, number>>,
): void {
  const row = ctx.db.prepare('SELECT * FROM purchase_orders WHERE id = ?').get(id) as OrderRow | undefined;
  if (!row && !order) return;
  const lines: StoredLine[] = order
    ? order.lines.map((l) => ({
        sku: l.sku,
        quantity: l.quantity,
        supplier: l.supplier ?? order.supplier ?? '',
        ...(l.unit ? { unit: l.unit } : {}),
        ...(l.unitCost !== undefined ? { unitCost: l.unitCost } : {}),
      }))
    : (JSON.parse(row!.lines) as StoredLine[]);
  const byTill = {
    ...(row ? (JSON.parse(row.received_by) as Record<string, Record<string, number>>) : {}),
    ...received,
  };
  const base = status ?? (row?.status === 'cancelled' ? 'cancelled' : 'sent');
  const t = totals(lines, byTill, base);
  if (!row) {
    ctx.db
      .prepare(
        `INSERT INTO purchase_orders (id, for_day, created_at, staff_id, status, lines, received, origin, supplier, received_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        order!.forDay,
        order!.createdAt,
        order!.staff,
        t.status,
        JSON.stringify(lines),
        JSON.stringify(t.received),
        order!.origin,
        order!.supplier,
        JSON.stringify(byTill),
      );
    return;
  }
  ctx.db
    .prepare('UPDATE purchase_orders SET status = ?, lines = ?, received = ?, received_by = ? WHERE id = ?')
    .run(t.status, JSON.stringify(lines), JSON.stringify(t.received), JSON.stringify(byTill), id);
}

/**
 * The manager's edited order, sent: one purchase order, audited, replicated to every till of the
 * store (set purchase_order ops) and to the cloud (the `purchase_order` fact, as before).
 */
export function submitPurchaseOrder(
  ctx: CoreContext,
  staff: StaffView,
  day: string,
  lines: { sku: string; quantity: number }[],
): PurchaseOrder {
  const seen = new Set<string>();
  const at = ctx.clock();
  const supplierOf = ctx.db.prepare('SELECT supplier, case_pack FROM replenishment_items WHERE sku = ?');
  const out: { sku: string; quantity: number; supplier: string }[] = [];
  for (const l of lines) {
    if (seen.has(l.sku)) throw new PosError('BAD_INPUT', { reason: 'duplicate-sku', sku: l.sku });
    seen.add(l.sku);
    const item = supplierOf.get(l.sku) as { supplier: string; case_pack: number } | undefined;
    if (!item) throw new PosError('PRODUCT_NOT_FOUND', { reason: 'not-replenished', sku: l.sku });
    out.push({ sku: l.sku, quantity: l.quantity, supplier: item.supplier });
  }
  const id = uuidv7(at);
  const order: PurchaseOrder = {
    id,
    day,
    createdAt: at.toISOString(),
    staffId: staff.id,
    status: 'sent',
    origin: 'store',
    supplier: null,
    lines: out.map((l) => ({ ...l, received: 0 })),
  };
  ctx.db.transaction(() => {
    ctx.db
      .prepare(
        "INSERT INTO purchase_orders (id, for_day, created_at, staff_id, status, lines) VALUES (?, ?, ?, ?, 'sent', ?)",
      )
      .run(id, day, order.createdAt, staff.id, JSON.stringify(out));
    const sink = replicationFor(ctx.db);
    sink?.purchaseOrder?.(id, {
      order: { forDay: day, createdAt: order.createdAt, staff: staff.id, origin: 'store', supplier: null, lines: out },
      status: 'sent',
    });
    sink?.fact('purchase_order', id, {
      ...order,
      lines: out,
      storeId: ctx.storeId,
      terminalId: ctx.terminalId,
    });
    writeAudit(ctx.db, ctx.terminalId, at, {
      action: 'replenishment.order',
      staffId: staff.id,
      detail: { orderId: id, day, lines: out.length, units: out.reduce((a, l) => a + l.quantity, 0) },
    });
  })();
  return order;
}

export function listPurchaseOrders(ctx: CoreContext, limit: number): PurchaseOrder[] {
  return (
    ctx.db.prepare('SELECT * FROM purchase_orders ORDER BY created_at DESC, id DESC LIMIT ?').all(limit) as OrderRow[]
  ).map(orderView);
}

export function setWeatherForecast(ctx: CoreContext, day: string, tempC: number, rainMm: number): void {
  ctx.db
    .prepare(
      'INSERT INTO weather_forecasts (day, temp_c, rain_mm, received_at) VALUES (?, ?, ?, ?) ON CONFLICT(day) DO UPDATE SET temp_c = excluded.temp_c, rain_mm = excluded.rain_mm, received_at = excluded.received_at',
    )
    .run(day, tempC, rainMm, ctx.nowIso());
}
