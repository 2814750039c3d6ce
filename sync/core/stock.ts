// Stock as a movement ledger per store+SKU. On hand = the latest physical count (by HLC) plus
// every non-reservation movement stamped after it; movements stamped before the count are what
// the count already saw (Square's model). Reserved = sum of reservation/release movements.
import type { MovementKind } from './ops';
import { RESERVATION_KINDS } from './ops';

export interface Movement {
  id: string;
  kind: MovementKind;
  qty: number;
}

export interface StockLevel {
  onHand: number;
  reserved: number;
  available: number;
  negative: boolean;
  lastMovementId: string | null;
}

export function stockLevel(movements: Iterable<Movement>): StockLevel {
  let count: Movement | null = null;
  const list: Movement[] = [];
  for (const m of movements) {
    list.push(m);
    if (m.kind === 'count' && (!count || m.id > count.id)) count = m;
  }
  let onHand = count ? count.qty : 0;
  let reserved = 0;
  let last: string | null = null;
  for (const m of list) {
    if (!last || m.id > last) last = m.id;
    if (RESERVATION_KINDS.includes(m.kind)) reserved += m.qty;
    else if (m.kind !== 'count' && (!count || m.id > count.id)) onHand += m.qty;
  }
  return { onHand, reserved, available: onHand - reserved, negative: onHand < 0, lastMovementId: last };
}
