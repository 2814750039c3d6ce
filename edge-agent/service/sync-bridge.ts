// Connects the agent to the store hub from sync: footfall intervals go out as `ff` ops through
// an outbox on the hub's own database, and sale facts come back for conversion.
import type { Logger } from 'pino';
import { attachSyncOutbox, storeScope, type SyncHub } from '../../sync';
import type { FootfallPublisher, SaleTimesReader } from '../footfall';

export function hubFootfallPublisher(hub: SyncHub, storeId: string, log: Logger): FootfallPublisher {
  const nodeId = `E${storeId.replace(/[^A-Za-z0-9_]/g, '')}`.slice(0, 24);
  const outbox = attachSyncOutbox(hub.storage.db, { nodeId, onClockWarning: (w) => log.warn(w, w.message) });
  return {
    publish(rows) {
      if (!rows.length) return;
      outbox.append(rows.map((r) => outbox.ops.footfall(storeId, r.camera, r.start, r.end, r.in, r.out)));
      hub.client.nudge();
    },
  };
}

const TIME_FIELDS = ['completedAt', 'at', 'createdAt', 'time', 'ts'] as const;

/** Sale times from synced `sale` facts of this store (the time field the terminal core writes). */
export function hubSaleTimes(hub: SyncHub, storeId: string): SaleTimesReader {
  return async (fromMs, toMs) => {
    const ids = await hub.storage.factIds('sale', storeScope(storeId));
    if (!ids.length) return undefined;
    const times: number[] = [];
    for (const id of ids) {
      const body = await hub.storage.fact('sale', id);
      if (!body) continue;
      for (const f of TIME_FIELDS) {
        const v = body[f];
        const ms = typeof v === 'string' ? Date.parse(v) : typeof v === 'number' ? v : NaN;
        if (Number.isFinite(ms)) { if (ms >= fromMs && ms < toMs) times.push(ms); break; }
      }
    }
    return times;
  };
}
