// The manager's stock work on the ledger: receiving (收货), waste (报损) and stocktakes (盘点).
// Every action writes stock movements with their ledger bodies (docs/back-office.md "Stock
// ledger bodies") and an audit entry in one transaction, so it replicates like a sale.
import { PosError, type ReceivedLine, type ReceiveResult, type StaffView } from '../../contract';
import { writeAudit } from '../audit';
import type { CoreContext } from '../context';
import { uuidv7 } from '../ids';
import { addStockMovement, stockOnHand } from './stock-ledger';

export const WASTE_REASONS = ['spoiled', 'expired', 'damaged', 'tasting', 'processing', 'theft'] as const;
export type WasteReason = (typeof WASTE_REASONS)[number];

interface ProductRow {
  sku: string;
  name: string;
  name_en: string;
  unit: 'each' | 'weighed';
  category: string;
  cost: number | null;
}

function product(ctx: CoreContext, sku: string): ProductRow {
  const p = ctx.db.prepare('SELECT sku, name, name_en, unit, category, cost FROM products WHERE sku = ?').get(sku) as
    ProductRow | undefined;
  if (!p) throw new PosError('PRODUCT_NOT_FOUND', { reason: 'no-sku', sku });
  return p;
}

/** Items, or grams for a weighed product; a weighed line must come with a weight. */
function ledgerQuantity(p: ProductRow, line: { quantity?: number; weightGrams?: number }): number {
  if (p.unit === 'weighed') {
    if (line.weightGrams === undefined)
      throw new PosError('WEIGHT_REQUIRED', { reason: 'weigh-it', sku: p.sku, name: p.name, nameEn: p.name_en });
    return line.weightGrams;
  }
  return line.quantity ?? 1;
}

/** Value at cost in fen: cost is per item, or per kg for a weighed product. */
export function valueAtCost(unit: 'each' | 'weighed', cost: number, quantity: number): number {
  return unit === 'weighed' ? Math.round((cost * quantity) / 1000) : cost * quantity;
}

export interface ReceiveLineInput {
  sku: string;
  quantity?: number;
  weightGrams?: number;
  /** Unit cost in fen (per item, or per kg for weighed goods). */
  unitCost: number;
}

export function receiveStock(
  ctx: CoreContext,
  staff: StaffView,
  input: { lines: ReceiveLineInput[]; po?: { id: string; lines: { sku: string; quantity: number }[] } },
): ReceiveResult {
  const at = ctx.clock();
  const receiptId = uuidv7(at);
  const ordered = new Map((input.po?.lines ?? []).map((l) => [l.sku, l.quantity]));
  const received = new Map<string, number>();
  const lines: ReceivedLine[] = [];
  ctx.db.transaction(() => {
    for (const l of input.lines) {
      const p = product(ctx, l.sku);
      const q = ledgerQuantity(p, l);
      if (q <= 0) throw new PosError('BAD_INPUT', { reason: 'schema', fields: `${l.sku}: quantity must be above 0` });
      addStockMovement(ctx.db, ctx.terminalId, at, {
        sku: p.sku,
        kind: 'receive',
        quantity: q,
        refId: `${receiptId}:${lines.length}`,
        body: { cost: l.unitCost, ...(input.po ? { po: input.po.id } : {}), staff: staff.id },
      });
      // The latest unit cost becomes the product's cost (for waste and margin).
      ctx.db.prepare('UPDATE products SET cost = ? WHERE sku = ?').run(l.unitCost, p.sku);
      received.set(p.sku, (received.get(p.sku) ?? 0) + q);
      lines.push({
        sku: p.sku,
        name: p.name,
        nameEn: p.name_en,
        unit: p.unit,
        quantity: q,
        unitCost: l.unitCost,
        value: valueAtCost(p.unit, l.unitCost, q),
        ordered: null,
        variance: null,
      });
    }
    if (input.po) {
      for (const line of lines) {
        const o = ordered.get(line.sku);
        if (o === undefined) continue;
        line.ordered = o;
        line.variance = (received.get(line.sku) ?? 0) - o;
      }
    }
    writeAudit(ctx.db, ctx.terminalId, at, {
      action: 'stock.receive',
      staffId: staff.id,
      detail: {
        receiptId,
        po: input.po?.id ?? null,
        lines: lines.length,
        total: lines.reduce((s, l) => s + l.value, 0),
      },
    });
  })();
  const outstanding = [...ordered].filter(([sku]) => !received.has(sku)).map(([sku, q]) => ({ sku, ordered: q }));
  return { receiptId, po: input.po?.id ?? null, lines, outstanding, total: lines.reduce((s, l) => s + l.value, 0) };
}

export interface WasteResult {
  movementId: string;
  sku: string;
  quantity: number;
  reason: WasteReason;
  cost: number;
  onHandBefore: number;
  approvedBy: string | null;
}

/**
 * Writes off stock. Above `approvalFen` at cost a cashier needs a manager's PIN; more than the
 * store has on hand is refused (CONFLICT, reason `waste-exceeds-stock`) until the caller
 * confirms it (`confirmShortage`), because that usually means a miscount or a wrong product.
 */
export async function recordWaste(
  ctx: CoreContext,
  staff: StaffView,
  input: {
    sku: string;
    quantity?: number;
    weightGrams?: number;
    reason: WasteReason;
    managerPin?: string;
    confirmShortage?: boolean;
  },
  approvalFen: number,
  requireManager: (details: Record<string, number>) => Promise<StaffView>,
): Promise<WasteResult> {
  const p = product(ctx, input.sku);
  const q = ledgerQuantity(p, input);
  if (q <= 0) throw new PosError('BAD_INPUT', { reason: 'schema', fields: 'quantity must be above 0' });
  const cost = valueAtCost(p.unit, p.cost ?? 0, q);
  const onHand = stockOnHand(ctx.db, p.sku);
  if (q > onHand && !input.confirmShortage) {
    throw new PosError('CONFLICT', {
      reason: 'waste-exceeds-stock',
      sku: p.sku,
      name: p.name,
      nameEn: p.name_en,
      onHand,
      quantity: q,
    });
  }
  const approver = cost > approvalFen ? await requireManager({ limitYuan: approvalFen / 100 }) : null;
  const at = ctx.clock();
  let movementId = '';
  ctx.db.transaction(() => {
    movementId = addStockMovement(ctx.db, ctx.terminalId, at, {
      sku: p.sku,
      kind: 'adjust',
      quantity: -q,
      body: { waste: input.reason, cost, staff: staff.id },
    });
    writeAudit(ctx.db, ctx.terminalId, at, {
      action: 'stock.waste',
      staffId: staff.id,
      approvedById: approver && approver.id !== staff.id ? approver.id : null,
      detail: { sku: p.sku, quantity: q, reason: input.reason, cost, onHand, shortage: q > onHand },
    });
  })();
  return {
    movementId,
    sku: p.sku,
    quantity: q,
    reason: input.reason,
    cost,
    onHandBefore: onHand,
    approvedBy: approver?.id ?? null,
  };
}
