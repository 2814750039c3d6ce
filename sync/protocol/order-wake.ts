// Online-order news without waiting for a sync timer, on both hops: a replica holds a
// `POST /sync/orders/wait {after}` open at its upstream (a long poll: a till at its hub, a hub at
// the cloud), and the upstream answers as soon as an order or an order event for that store
// reaches it, with a new `tick`; the replica then syncs at once. Without it a new order waits for
// the hub's 2 s cycle with the cloud and then the till's 3 s cycle with the hub
// (docs/orders.md; docs/bench.md `order_to_queue_s`). The tick is only a wake-up call: the order
// itself still travels by the normal sync, so a lost or missed wake-up costs one timer cycle.
// A cloud with several instances wakes only the hubs waiting on the instance that took the
// order; the others find it on their timer.
// A watch's first answer (at start, and again after its upstream did not answer) is only a
// baseline: news that reached the upstream between the replica's last pull and that answer is
// already counted in it and would never differ from it, so the replica syncs once on it. Without
// that, an order posted while a hub's watch was still starting waited for the hub's timer.
import type { Logger } from 'pino';
import type { Op } from '../core';
import type { SyncClient } from './client';

/** How long a long poll is held before it is answered with no news. */
const ORDER_WAIT_MS = 20_000;

export class OrderWake {
  private readonly ticks = new Map<string, number>();
  /** Per store: each held request's wake-up, with the device key of the replica that holds it. */
  private readonly waiters = new Map<string, Map<() => void, string | undefined>>();
  private count = 0;
  private closed = false;

  /** @param maxWaiters requests held at once; more are answered null (the caller retries later). */
  constructor(private readonly maxWaiters: number) {}

  /**
   * Ops another replica (or the order API) just brought in. `origin` is the device key of the
   * replica that pushed them: it is not woken for its own ops (it has them; its pull would skip
   * them anyway), so a till's handover does not cost it a second sync cycle at the hub.
   */
  notice(ops: readonly Op[], origin?: string): void {
    const stores = new Set<string>();
    for (const o of ops)
      if (o.t === 'fact' && (o.e === 'online_order' || o.e === 'order_event') && o.s.startsWith('store:'))
        stores.add(o.s.slice('store:'.length));
    for (const store of stores) {
      this.ticks.set(store, (this.ticks.get(store) ?? 0) + 1);
      for (const [w, who] of [...(this.waiters.get(store) ?? [])]) if (origin === undefined || who !== origin) w();
    }
  }

  /**
   * The store's tick once it differs from `after` (at once if it already does), or after `maxMs`
   * with the unchanged tick; null when too many requests already wait or the server is closing.
   * `who`: the waiting replica's device key (see notice).
   */
  async wait(store: string, after: number, maxMs = ORDER_WAIT_MS, who?: string): Promise<number | null> {
    const tick = () => this.ticks.get(store) ?? 0;
    if (tick() !== after) return tick();
    if (this.closed || this.count >= this.maxWaiters) return null;
    const set = this.waiters.get(store) ?? new Map<() => void, string | undefined>();
    this.waiters.set(store, set);
    this.count += 1;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0 && this.waiters.get(store) === set) this.waiters.delete(store);
        this.count -= 1;
        resolve();
      };
      const timer = setTimeout(done, maxMs);
      set.set(done, who);
    });
    return tick();
  }

  /** Answers every waiting request and holds no more (the server is closing). */
  close(): void {
    this.closed = true;
    for (const set of [...this.waiters.values()]) for (const w of [...set.keys()]) w();
  }
}

/** Reads the `after` of a wait request body (-1: the caller has no tick yet). */
export function waitAfter(body: unknown): number {
  const after = (body as { after?: unknown } | null)?.after;
  return typeof after === 'number' && Number.isSafeInteger(after) ? after : -1;
}

/**
 * Holds the long poll open at `peer` and nudges the sync client when there is news. A peer that
 * does not answer (down, or too old to know the route) is asked again later; the sync timer
 * still brings everything meanwhile.
 */
export function watchOrderNews(client: SyncClient, peer: string, log: Logger): { start(): void; stop(): void } {
  let on = false;
  let abort = new AbortController();
  let pause: { timer: NodeJS.Timeout; resolve: () => void } | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        pause = null;
        resolve();
      }, ms);
      timer.unref?.();
      pause = { timer, resolve };
    });
  const loop = async () => {
    let after = -1;
    // The next answer is a baseline (see the header): sync on it whatever its tick.
    let baseline = true;
    while (on) {
      // Never enroll from here: two enrollments at once (this and the sync cycle's) would race.
      if (!client.hasCredential()) {
        await sleep(500);
        continue;
      }
      const r = await client.postToPeer(peer, '/sync/orders/wait', { after }, ORDER_WAIT_MS + 5000, abort.signal);
      if (!on) break;
      const tick = r?.status === 200 ? (r.body as { tick?: unknown } | null)?.tick : undefined;
      if (typeof tick !== 'number') {
        baseline = true;
        await sleep(r?.status === 404 ? 60_000 : 3000);
        continue;
      }
      if (baseline || tick !== after) client.nudge();
      baseline = false;
      after = tick;
    }
  };
  return {
    start() {
      if (on) return;
      on = true;
      abort = new AbortController();
      loop().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'order news watch stopped'));
    },
    stop() {
      on = false;
      abort.abort();
      if (pause) {
        clearTimeout(pause.timer);
        pause.resolve();
      }
    },
  };
}
