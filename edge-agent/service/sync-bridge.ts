// Connects the agent to the store hub from sync: footfall intervals go out as `ff` ops through
// an outbox on the hub's own database, and sale facts come back for conversion.
import type { Logger } from 'pino';
import { attachSyncOutbox, storeScope, type SyncHub, type SyncStorage } from '../../sync';
import type { FootfallPublisher, SaleTimesReader } from '../footfall';
import { uuidV7Keys } from '../../app/core/footfall-math';

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

const TIME_FIELDS = ['createdAt', 'completedAt', 'at'] as const;

/**
 * Completion times of this store's sales in [fromMs, toMs) from the `sale` facts the hub holds
 * (every till's, replicated); undefined when the hub holds no sale facts at all (tills that do not
 * sync: conversion then uses PUT /transactions). Sale ids are uuid v7, so this is one indexed range
 * read from a day before the window, filtered by the sale's own time; each id counts once.
 */
export function hubSaleTimes(storage: Pick<SyncStorage, 'keyRange'>, storeId: string): SaleTimesReader {
  return async (fromMs, toMs) => {
    const r = await storage.keyRange({ t: 'fact', scope: storeScope(storeId), e: 'sale', ...uuidV7Keys(fromMs, toMs) });
    if (r.ops.length === 0 && r.latest.length === 0) return undefined;
    const times: number[] = [];
    for (const op of r.ops) {
      const body = op.b as Record<string, unknown> | null;
      for (const f of TIME_FIELDS) {
        const v = body?.[f];
        const ms = typeof v === 'string' ? Date.parse(v) : typeof v === 'number' ? v : NaN;
        if (Number.isFinite(ms)) {
          if (ms >= fromMs && ms < toMs) times.push(ms);
          break;
        }
      }
    }
    return times;
  };
}
