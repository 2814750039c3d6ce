// Transfers between stores (调拨, docs/back-office.md "Transfers"): a store device writes each
// step as a `transfer` fact in its own store's scope, the only scope it may write. The other
// store reads only its own scope and the chain, so the cloud copies each step into the other
// store's scope, as its own (cloud-authored) fact. It relays only the step the writing store may
// take: the receiving store requests and receives, the sending store ships. A relay that fails
// (the database drops the connection, the instance dies) is retried until the copy is written;
// a copy already written is not written again (createTransferRelay).
import type { Logger } from 'pino';
import { authorRoleOfNode, authorNode, storeScope, type Op, type OpFactory } from '../core';
import type { SyncStorage } from '../storage';

const STEP_OF: Record<string, 'fromStore' | 'toStore'> = {
  requested: 'toStore',
  shipped: 'fromStore',
  received: 'toStore',
};

/** The copies to write for newly stored ops (pure: no I/O). */
export function transferRelayOps(applied: readonly Op[], ops: OpFactory): Op[] {
  const out: Op[] = [];
  for (const op of applied) {
    if (op.t !== 'fact' || op.e !== 'transfer' || authorRoleOfNode(authorNode(op)) !== 'store') continue;
    const b = op.b as Record<string, unknown>;
    const by = STEP_OF[String(b['status'])];
    const from = b['fromStore'];
    const to = b['toStore'];
    if (!by || typeof from !== 'string' || typeof to !== 'string' || from === to) continue;
    if (op.s !== storeScope(by === 'toStore' ? to : from)) continue;
    const other = by === 'toStore' ? from : to;
    out.push(ops.fact(storeScope(other), 'transfer', op.k, b));
  }
  return out;
}

/** What the relay needs of the cloud's storage. */
export type TransferRelayStorage = Pick<SyncStorage, 'apply' | 'keyRange' | 'scopes'>;

interface TransferRelayOptions {
  /** First retry after a failed relay (doubles up to maxRetryMs). */
  retryMs?: number;
  maxRetryMs?: number;
  /** A full sweep this often as well, whatever happened (another instance may have died mid-relay). */
  sweepEveryMs?: number;
}

export interface TransferRelay {
  /** Relays the steps among newly stored ops now; on failure the sweep retries until it succeeds. */
  relay(applied: readonly Op[]): void;
  /** Writes every copy that is missing; resolves to how many it wrote (rejects when storage fails). */
  sweep(): Promise<number>;
  /** Settles once the relay has no work queued (tests, shutdown). */
  idle(): Promise<void>;
  stop(): void;
}

const ALL_KEYS = { fromKey: '', toKey: '\u{10ffff}' } as const;

/**
 * The relay with retries. What still has to be relayed is not kept in a queue of its own: it is
 * the difference between the stores' own transfer steps and the copies in the other stores'
 * scopes, both durable in the cloud's storage. So a failed relay, or an instance that died between
 * storing a step and relaying it, is made good by the next sweep (on a failure with backoff, at
 * start, and every `sweepEveryMs`), and a copy whose key the other scope already holds is never
 * written again: retries and several instances relaying at once write each copy once (two
 * instances racing on the same step could both write it; the fact's first write wins, so the
 * store sees one step either way).
 */
export function createTransferRelay(
  storage: TransferRelayStorage,
  ops: OpFactory,
  log: Logger,
  opts: TransferRelayOptions = {},
): TransferRelay {
  const retryMs = opts.retryMs ?? 1000;
  const maxRetryMs = opts.maxRetryMs ?? 60_000;
  let delay = retryMs;
  let retry: NodeJS.Timeout | null = null;
  let stopped = false;
  // One relay at a time per instance, in order.
  let chain: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work);
    chain = next.catch(() => undefined);
    return next;
  };

  const held = async (scope: string, key: string) =>
    (await storage.keyRange({ t: 'fact', scope, e: 'transfer', fromKey: key, toKey: `${key}\u0001` })).ops.length > 0;

  async function writeMissing(copies: Op[], heldIn: (c: Op) => Promise<boolean>): Promise<number> {
    const missing: Op[] = [];
    for (const c of copies) if (!(await heldIn(c))) missing.push(c);
    if (missing.length) await storage.apply(missing, 'cloud');
    return missing.length;
  }

  async function sweepNow(): Promise<number> {
    const scopes = (await storage.scopes()).filter((s) => s.startsWith('store:'));
    const keys = new Map<string, Set<string>>();
    const steps: Op[] = [];
    for (const scope of scopes) {
      const r = await storage.keyRange({ t: 'fact', scope, e: 'transfer', ...ALL_KEYS });
      keys.set(scope, new Set(r.ops.map((o) => o.k)));
      steps.push(...r.ops);
    }
    return writeMissing(transferRelayOps(steps, ops), async (c) => keys.get(c.s)?.has(c.k) ?? false);
  }

  function failed(err: unknown, what: string): void {
    log.error({ err, retryInMs: delay }, `transfer relay failed (${what}); retrying`);
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void enqueue(sweepNow).then(
        (n) => {
          delay = retryMs;
          if (n) log.info({ relayed: n }, 'transfer relay caught up');
        },
        (e: unknown) => {
          delay = Math.min(delay * 2, maxRetryMs);
          failed(e, 'retry');
        },
      );
    }, delay);
    retry.unref();
  }

  const periodic = setInterval(
    () => {
      void enqueue(sweepNow).catch((e: unknown) => failed(e, 'sweep'));
    },
    opts.sweepEveryMs ?? 5 * 60_000,
  );
  periodic.unref();
  // At start: whatever an earlier instance stored but did not relay.
  void enqueue(sweepNow).catch((e: unknown) => failed(e, 'start'));

  return {
    relay(applied) {
      const copies = transferRelayOps(applied, ops);
      if (copies.length === 0) return;
      void enqueue(() => writeMissing(copies, (c) => held(c.s, c.k))).catch((e: unknown) => failed(e, 'relay'));
    },
    sweep: () => enqueue(sweepNow),
    idle: () => chain.then(() => undefined),
    stop() {
      stopped = true;
      clearInterval(periodic);
      if (retry) clearTimeout(retry);
      retry = null;
    },
  };
}
