// Abuse limits of one sync server instance, kept in memory: member lookups (token buckets per
// device and per store, so enrolling more devices does not buy more quota) and wrong pairing
// codes (exponential back-off per source address and per store, so codes cannot be guessed).
// Every refusal is counted for /health and logged at warn, so an attack in progress is visible.
import type { Logger } from 'pino';
import { deviceKey, type DeviceClaims } from './auth';

export interface SyncLimitsOptions {
  /** Member lookups per device (store + terminal id) per minute. Default 60. */
  lookupsPerDevicePerMinute?: number;
  /** Member lookups per store per minute, all its devices together. Default 120. */
  lookupsPerStorePerMinute?: number;
  /** Wrong pairing codes a source address may send before back-off starts. Default 5. */
  enrollFreeFailuresPerAddress?: number;
  /** Wrong pairing codes for one store before back-off starts. Default 10. */
  enrollFreeFailuresPerStore?: number;
  /** First back-off step; doubles with each further failure. Default 1 s. */
  enrollBackoffBaseMs?: number;
  /** Longest back-off for one source address. Default 15 min. */
  enrollBackoffMaxMs?: number;
  /** Longest back-off for one store (shorter: a store-wide lock-out also stops its technician). Default 60 s. */
  enrollStoreBackoffMaxMs?: number;
  /** Failures are forgotten this long after the last one. Default 30 min. */
  enrollForgetMs?: number;
  now?: () => number;
}

/** Refusal counters, exposed on the cloud's /health. */
export interface SyncLimitCounters {
  memberLookupsRefused: number;
  enrollFailures: number;
  enrollThrottled: number;
}

export type LimitVerdict = { ok: true } | { ok: false; by: 'device' | 'store' | 'address'; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}
interface Failures {
  count: number;
  last: number;
}

/** Keys kept before idle ones are swept (a flood of source addresses cannot grow memory without end). */
const SWEEP_AT = 10_000;

export class SyncLimits {
  readonly counters: SyncLimitCounters = { memberLookupsRefused: 0, enrollFailures: 0, enrollThrottled: 0 };
  private readonly o: Required<SyncLimitsOptions>;
  private readonly buckets = new Map<string, Bucket>();
  private readonly failures = new Map<string, Failures>();

  constructor(
    opts: SyncLimitsOptions = {},
    private readonly log?: Logger,
  ) {
    this.o = {
      lookupsPerDevicePerMinute: 60,
      lookupsPerStorePerMinute: 120,
      enrollFreeFailuresPerAddress: 5,
      enrollFreeFailuresPerStore: 10,
      enrollBackoffBaseMs: 1000,
      enrollBackoffMaxMs: 15 * 60_000,
      enrollStoreBackoffMaxMs: 60_000,
      enrollForgetMs: 30 * 60_000,
      now: Date.now,
      ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)),
    };
  }

  /** Takes one member lookup for this device and its store, or says how long to wait. */
  takeMemberLookup(claims: DeviceClaims): LimitVerdict {
    const now = this.o.now();
    const device = this.refill(`lookup:device:${deviceKey(claims)}`, this.o.lookupsPerDevicePerMinute, now);
    const store = this.refill(`lookup:store:${claims.st}`, this.o.lookupsPerStorePerMinute, now);
    // Both must have a token; only then take them, so a refusal costs the other bucket nothing.
    const short =
      device.tokens < 1
        ? { b: device, per: this.o.lookupsPerDevicePerMinute, by: 'device' as const }
        : store.tokens < 1
          ? { b: store, per: this.o.lookupsPerStorePerMinute, by: 'store' as const }
          : null;
    if (short) {
      this.counters.memberLookupsRefused += 1;
      this.log?.warn(
        { device: claims.d, store: claims.st, by: short.by, refused: this.counters.memberLookupsRefused },
        'member lookups over the limit',
      );
      return {
        ok: false,
        by: short.by,
        retryAfterSeconds: Math.max(1, Math.ceil(((1 - short.b.tokens) * 60) / short.per)),
      };
    }
    device.tokens -= 1;
    store.tokens -= 1;
    return { ok: true };
  }

  /** Before a pairing attempt: refused while the address or the named store is backing off. */
  checkEnroll(address: string, storeId: string | undefined): LimitVerdict {
    const now = this.o.now();
    const waits: { by: 'address' | 'store'; ms: number }[] = [
      {
        by: 'address',
        ms: this.backoffLeft(
          `enroll:addr:${address}`,
          this.o.enrollFreeFailuresPerAddress,
          this.o.enrollBackoffMaxMs,
          now,
        ),
      },
    ];
    if (storeId)
      waits.push({
        by: 'store',
        ms: this.backoffLeft(
          `enroll:store:${storeId}`,
          this.o.enrollFreeFailuresPerStore,
          this.o.enrollStoreBackoffMaxMs,
          now,
        ),
      });
    const longest = waits.reduce((a, b) => (b.ms > a.ms ? b : a));
    if (longest.ms <= 0) return { ok: true };
    this.counters.enrollThrottled += 1;
    this.log?.warn(
      { by: longest.by, store: storeId, throttled: this.counters.enrollThrottled },
      'pairing attempts throttled after wrong codes',
    );
    return { ok: false, by: longest.by, retryAfterSeconds: Math.ceil(longest.ms / 1000) };
  }

  /** A wrong (unknown or used) pairing code from this address, for this store when known. */
  enrollFailed(address: string, storeIds: (string | undefined)[]): void {
    const now = this.o.now();
    this.counters.enrollFailures += 1;
    this.bumpFailure(`enroll:addr:${address}`, now);
    for (const s of new Set(storeIds)) if (s) this.bumpFailure(`enroll:store:${s}`, now);
    this.log?.warn(
      { store: storeIds.find(Boolean), failures: this.counters.enrollFailures },
      'pairing refused: wrong code',
    );
  }

  private refill(key: string, perMinute: number, now: number): Bucket {
    let b = this.buckets.get(key);
    if (!b) {
      this.sweep(now);
      b = { tokens: perMinute, at: now };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(perMinute, b.tokens + ((now - b.at) * perMinute) / 60_000);
    b.at = now;
    return b;
  }

  private backoffLeft(key: string, free: number, maxMs: number, now: number): number {
    const f = this.failures.get(key);
    if (!f || now - f.last > this.o.enrollForgetMs) return 0;
    if (f.count < free) return 0;
    const wait = Math.min(maxMs, this.o.enrollBackoffBaseMs * 2 ** Math.min(30, f.count - free));
    return f.last + wait - now;
  }

  private bumpFailure(key: string, now: number): void {
    const f = this.failures.get(key);
    if (!f || now - f.last > this.o.enrollForgetMs) {
      this.sweep(now);
      this.failures.set(key, { count: 1, last: now });
    } else {
      f.count += 1;
      f.last = now;
    }
  }

  private sweep(now: number): void {
    if (this.buckets.size >= SWEEP_AT) {
      // A bucket idle for a minute is full again: forgetting it changes nothing.
      for (const [k, b] of this.buckets) if (now - b.at > 60_000) this.buckets.delete(k);
    }
    if (this.failures.size >= SWEEP_AT) {
      for (const [k, f] of this.failures) if (now - f.last > this.o.enrollForgetMs) this.failures.delete(k);
    }
  }
}
