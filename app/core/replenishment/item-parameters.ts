// The ordering parameters a store manager may change per product: case pack, lead time and
// service level (replenishment_items). Supplier, family, shelf life and cost come from the
// import (or the demo seed) and from receiving. Every change is audited with before and after.
import { PosError, type ReplenishmentItem, type StaffView } from '../../contract';
import { writeAudit } from '../audit';
import type { CoreContext } from '../context';
import { criticalRatio } from '../forecast';

interface ItemParameterRow {
  sku: string;
  name: string;
  name_en: string;
  unit: ReplenishmentItem['unit'];
  price: number;
  family: string;
  supplier: string;
  case_pack: number;
  lead_days: number;
  shelf_life_days: number;
  unit_cost: number;
  service_level: number | null;
}

const SELECT = `SELECT r.sku, p.name, p.name_en, p.unit, p.price, r.family, r.supplier, r.case_pack, r.lead_days,
  r.shelf_life_days, r.unit_cost, r.service_level FROM replenishment_items r JOIN products p ON p.sku = r.sku`;

function itemView(r: ItemParameterRow): ReplenishmentItem {
  const ratio =
    r.service_level ?? criticalRatio({ price: r.price, cost: r.unit_cost, shelfLifeDays: r.shelf_life_days });
  return {
    sku: r.sku,
    name: r.name,
    nameEn: r.name_en,
    unit: r.unit,
    family: r.family,
    supplier: r.supplier,
    casePack: r.case_pack,
    leadDays: r.lead_days,
    shelfLifeDays: r.shelf_life_days,
    unitCost: r.unit_cost,
    serviceLevel: r.service_level,
    criticalRatio: Math.round(ratio * 100) / 100,
  };
}

export function listReplenishmentItems(ctx: CoreContext): ReplenishmentItem[] {
  const rows = ctx.db
    .prepare(`${SELECT} WHERE p.active = 1 ORDER BY r.supplier, p.category, r.sku`)
    .all() as ItemParameterRow[];
  return rows.map(itemView);
}

export function setReplenishmentItem(
  ctx: CoreContext,
  staff: StaffView,
  input: { sku: string; casePack?: number; leadDays?: number; serviceLevel?: number | null },
): ReplenishmentItem {
  const read = () => ctx.db.prepare(`${SELECT} WHERE r.sku = ?`).get(input.sku) as ItemParameterRow | undefined;
  const before = read();
  if (!before) throw new PosError('PRODUCT_NOT_FOUND', { reason: 'not-replenished', sku: input.sku });
  const next = {
    case_pack: input.casePack ?? before.case_pack,
    lead_days: input.leadDays ?? before.lead_days,
    service_level: input.serviceLevel === undefined ? before.service_level : input.serviceLevel,
  };
  ctx.db.transaction(() => {
    ctx.db
      .prepare('UPDATE replenishment_items SET case_pack = ?, lead_days = ?, service_level = ? WHERE sku = ?')
      .run(next.case_pack, next.lead_days, next.service_level, input.sku);
    writeAudit(ctx.db, ctx.terminalId, ctx.clock(), {
      action: 'replenishment.item',
      staffId: staff.id,
      detail: {
        sku: input.sku,
        before: { casePack: before.case_pack, leadDays: before.lead_days, serviceLevel: before.service_level },
        after: { casePack: next.case_pack, leadDays: next.lead_days, serviceLevel: next.service_level },
      },
    });
  })();
  return itemView(read()!);
}
