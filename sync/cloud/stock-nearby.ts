// The sharing pool (库存共享池): another store's on-hand of one SKU, for a store device of the
// same chain deciding where to ask for a transfer (docs/back-office.md "Transfers"). Only counts
// and their age leave the cloud: no sales, no staff, no device details. Device-authenticated
// (POST /sync/stock/nearby), not admin: a till asks for its manager. Limited per device.
import { stampWall } from '../core';
import type { PgSyncStorage } from '../storage';

export interface NearbyStore {
  storeId: string;
  onHand: number;
  available: number;
  /** Time of the store's latest movement of this SKU the cloud holds (null: none). */
  asOf: string | null;
  /** Seconds since any device of the store last synced (null: never). */
  staleSeconds: number | null;
}

/** A store's count is stale when none of its devices synced for this long. */
export const NEARBY_STALE_SECONDS = 300;

export async function nearbyStock(
  storage: PgSyncStorage,
  ownStore: string,
  sku: string,
  now = Date.now(),
): Promise<{ sku: string; stores: NearbyStore[]; stale: boolean }> {
  // Stores of the chain: those with an enrolled, unrevoked store device (till or hub).
  const rows = (
    await storage.readDb.query<{ store_id: string; seen: Date | string | null }>(
      `SELECT store_id, max(last_seen_at) AS seen FROM ${storage.table}.devices
        WHERE revoked_at IS NULL AND role IN ('terminal', 'hub') AND store_id <> $1
        GROUP BY store_id ORDER BY store_id`,
      [ownStore],
    )
  ).rows;
  const stores: NearbyStore[] = [];
  for (const r of rows) {
    const level = await storage.stock(r.store_id, sku);
    const seen = r.seen === null ? null : new Date(r.seen).getTime();
    stores.push({
      storeId: r.store_id,
      onHand: level.onHand,
      available: level.available,
      asOf: level.lastMovementId ? new Date(stampWall(level.lastMovementId)).toISOString() : null,
      staleSeconds: seen === null ? null : Math.max(0, Math.round((now - seen) / 1000)),
    });
  }
  stores.sort((a, b) => b.available - a.available || (a.storeId < b.storeId ? -1 : 1));
  return {
    sku,
    stores,
    stale: stores.some((s) => s.staleSeconds === null || s.staleSeconds > NEARBY_STALE_SECONDS),
  };
}

/** At most `max` asks per device per minute (a manager's screen, not a crawler). */
export class NearbyLimiter {
  private readonly hits = new Map<string, number[]>();
  constructor(private readonly max = 30) {}
  take(device: string, now = Date.now()): boolean {
    const recent = (this.hits.get(device) ?? []).filter((t) => t > now - 60_000);
    if (recent.length >= this.max) {
      this.hits.set(device, recent);
      return false;
    }
    recent.push(now);
    this.hits.set(device, recent);
    return true;
  }
}
