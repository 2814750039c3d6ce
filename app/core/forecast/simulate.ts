// A shelf simulation to compare ordering policies on the same true demand: every evening an
// order is placed, it arrives the next morning, customers buy oldest-first up to their demand,
// and at closing whatever has reached its shelf life is written off (报损). Counts waste,
// lost sales and fill rate (availability).

export interface SimDay {
  /** True demand that day. */
  demand: number;
}

export interface SimResult {
  demand: number;
  sold: number;
  received: number;
  wasted: number;
  stockoutDays: number;
  days: number;
}

/**
 * `order(t, sold, onHand)` is the policy: called the evening before day t with what the
 * simulation sold on each earlier day and what is on the shelf; it returns the units to order
 * (rounded up to the case pack here).
 */
export function simulateShelf(
  days: readonly SimDay[],
  shelfLifeDays: number,
  casePack: number,
  order: (t: number, sold: readonly number[], onHand: number) => number,
): SimResult {
  // Lots as [units, last day they may be sold].
  const lots: [number, number][] = [];
  const sold: number[] = [];
  const r: SimResult = { demand: 0, sold: 0, received: 0, wasted: 0, stockoutDays: 0, days: days.length };
  const pack = Math.max(1, casePack);
  for (let t = 0; t < days.length; t++) {
    const onHand = lots.reduce((a, l) => a + l[0], 0);
    const want = order(t, sold, onHand);
    const units = want > 0 ? Math.ceil(want / pack - 1e-9) * pack : 0;
    if (units > 0) lots.push([units, t + shelfLifeDays - 1]);
    r.received += units;
    let need = days[t]!.demand;
    r.demand += need;
    for (const lot of lots) {
      if (need === 0) break;
      const take = Math.min(lot[0], need);
      lot[0] -= take;
      need -= take;
    }
    const s = days[t]!.demand - need;
    sold.push(s);
    r.sold += s;
    if (need > 0) r.stockoutDays++;
    for (let i = lots.length - 1; i >= 0; i--) {
      const lot = lots[i]!;
      if (lot[1] <= t || lot[0] === 0) {
        r.wasted += lot[1] <= t ? lot[0] : 0;
        lots.splice(i, 1);
      }
    }
  }
  return r;
}

export function fillRate(r: SimResult): number {
  return r.demand === 0 ? 1 : r.sold / r.demand;
}

export function wasteRate(r: SimResult): number {
  return r.received === 0 ? 0 : r.wasted / r.received;
}
