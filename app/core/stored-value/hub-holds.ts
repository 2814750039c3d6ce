// The till's side of the hub's loyalty holds (sync/hub/loyalty-holds.ts): before a sale with a
// stored-value or points tender commits, the hub holds the amount against the member's ledger as
// it knows it, less what other tills' carts hold; after the commit the till confirms, and a void
// or a failed payment releases. The till remembers its holds per cart (memory only: a hold a
// crashed till never released lapses at the hub).
import type { Db } from '../db';

/** How the till reaches its store hub (the composition root binds the sync client). */
export interface LoyaltyHubLink {
  /** POSTs JSON to the hub with this till's credential; null when the hub does not answer. */
  post(path: string, body: unknown): Promise<{ status: number; body: unknown } | null>;
  /** One sync round now, so the hub has this till's newest ledger rows. */
  syncNow(): Promise<unknown>;
}

export interface HoldRequest {
  kind: 'stored_value' | 'points';
  memberIds: string[];
  amount: number;
  cartId: string;
  saleId: string;
}

export type HubHoldAnswer =
  | { result: 'held' }
  | { result: 'offline' }
  | { result: 'refused'; balance: number; held: number; available: number; heldBy: string[] };

const links = new WeakMap<Db, LoyaltyHubLink>();
const held = new WeakMap<Db, Map<string, HoldRequest[]>>();

export function bindLoyaltyHub(db: Db, link: LoyaltyHubLink): void {
  links.set(db, link);
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) ? v : 0);

async function ask(link: LoyaltyHubLink, req: HoldRequest): Promise<HubHoldAnswer> {
  const r = await link.post('/sync/loyalty/hold', req);
  // No answer, or a hub that cannot vouch (older hub without the route, not enrolled yet): offline.
  if (!r || r.status !== 200) return { result: 'offline' };
  const b = (r.body ?? {}) as Record<string, unknown>;
  if (b['ok'] === true) return { result: 'held' };
  if (b['code'] !== 'LOYALTY_INSUFFICIENT') return { result: 'offline' };
  const heldBy = Array.isArray(b['heldBy']) ? b['heldBy'].filter((x): x is string => typeof x === 'string') : [];
  return {
    result: 'refused',
    balance: num(b['balance']),
    held: num(b['held']),
    available: num(b['available']),
    heldBy,
  };
}

/**
 * Asks the hub to hold the amount. `localBalance` is what this till knows: when the hub's ledger
 * shows less (this till's newest rows, e.g. a top-up a moment ago, have not reached it yet), one
 * sync round is run and the hub asked once more.
 */
export async function holdAtHub(db: Db, req: HoldRequest, localBalance: number): Promise<HubHoldAnswer> {
  const link = links.get(db);
  if (!link) return { result: 'offline' };
  let a = await ask(link, req);
  if (a.result === 'refused' && a.balance < localBalance) {
    await link.syncNow().catch(() => undefined);
    a = await ask(link, req);
  }
  if (a.result === 'held') {
    const m = held.get(db) ?? new Map<string, HoldRequest[]>();
    held.set(db, m);
    m.set(req.cartId, [...(m.get(req.cartId) ?? []).filter((h) => h.kind !== req.kind), req]);
  }
  return a;
}

/** Whether a hub is bound at all (without one every stored-value spend is an offline spend). */
export function hasHubLink(db: Db): boolean {
  return links.has(db);
}

/** The cart's holds end: `confirm` after its sale committed, `release` when it will not be paid. Best effort. */
export async function endHubHolds(db: Db, cartId: string, action: 'confirm' | 'release'): Promise<void> {
  const link = links.get(db);
  const reqs = held.get(db)?.get(cartId);
  if (!reqs) return;
  held.get(db)?.delete(cartId);
  if (!link) return;
  for (const r of reqs) await link.post(`/sync/loyalty/${action}`, r);
}
