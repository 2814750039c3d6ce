// The sharing pool (库存共享池): other stores' on-hand of one SKU, asked of the cloud
// (sync/cloud/stock-nearby.ts). The store's own replica never holds other stores' stock, so this
// needs the cloud; without it the manager gets STOCK_NEARBY_OFFLINE, never a guess.
import { PosError, type StockNearby } from '../../contract';
import type { TerminalSync } from '../../../sync/terminal';

const NEARBY_TIMEOUT_MS = 5000;

export async function stockNearby(sync: TerminalSync | null, sku: string): Promise<StockNearby> {
  if (!sync || !sync.client.hasPeer('cloud')) throw new PosError('STOCK_NEARBY_OFFLINE', { reason: 'sync-off' });
  const r = await sync.client.postToPeer('cloud', '/sync/stock/nearby', { sku }, NEARBY_TIMEOUT_MS);
  const body = r?.body as (Partial<StockNearby> & { ok?: boolean }) | null | undefined;
  if (r?.status === 429) throw new PosError('STOCK_NEARBY_OFFLINE', { reason: 'rate-limited' });
  if (!r || r.status !== 200 || !body?.ok || !Array.isArray(body.stores)) throw new PosError('STOCK_NEARBY_OFFLINE');
  return {
    sku,
    stores: body.stores.map((s) => ({
      storeId: s.storeId,
      onHand: s.onHand,
      available: s.available,
      asOf: s.asOf,
      staleSeconds: s.staleSeconds,
    })),
    stale: body.stale === true,
  };
}
