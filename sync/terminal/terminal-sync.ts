// What the terminal core uses: its SQLite handle becomes a sync replica (outbox + sync client).
// The client talks to the store hub and falls back to the cloud when the hub does not answer.
import type Database from 'better-sqlite3';
import pino, { type Logger } from 'pino';
import { tillNodeId, type Op } from '../core';
import { attachSyncOutbox, type SyncOutbox } from '../storage';
import {
  SyncClient,
  watchOrderNews,
  type SyncPeer,
  type SyncStatus,
  type MemberLookupQuery,
  type MemberLookupResult,
  type EnrollResult,
} from '../protocol';

export interface TerminalSyncOptions {
  db: Database.Database;
  hubUrl?: string | null;
  cloudUrl?: string | null;
  enrollCode: string;
  /** A technician confirms this till replaces an enrolled one of the same store and id. */
  enrollReplace?: boolean;
  /** A credential the first-run wizard enrolled already (replaces a stored one; see SyncClientOptions). */
  enrolled?: EnrollResult;
  storeId: string;
  /**
   * This till's id within its store (`POS_TERMINAL_ID`): its device id at enrollment. Its HLC
   * node id is `tillNodeId(storeId, terminalId)`, unique across the chain (docs/sync.md).
   */
  terminalId: string;
  /** Physical clock of the HLC in ms (default Date.now); the core passes its own clock. */
  now?: () => number;
  log?: Logger;
  intervalMs?: number;
  maxBackoffMs?: number;
  /**
   * Ops that arrived from other replicas, inside the transaction that stores them: mirror LWW
   * catalog/price/config fields and remote stock movements into the core's own tables here.
   */
  onRemoteOps?: (ops: Op[]) => void;
}

export interface TerminalSync {
  readonly outbox: SyncOutbox;
  readonly client: SyncClient;
  start(): void;
  stop(): Promise<void>;
  /** Matches TerminalStatus['sync'] in app/contract/types.ts. */
  status(): Promise<SyncStatus>;
  syncNow(): Promise<unknown>;
  repair(): Promise<unknown>;
  /** After a revocation: forget the credential and pair again with a new code. */
  reenroll(code: string): Promise<void>;
  /**
   * A member this store does not replicate, looked up online (hub, then cloud). Rejects with
   * MemberLookupError code 'OFFLINE' (English message; the UI translates the code) when neither answers.
   */
  lookupMember(query: MemberLookupQuery): Promise<MemberLookupResult>;
  /**
   * Asks the store hub to record a member code's nonce store-wide (sync/hub/member-code-uses.ts):
   * 'fresh' when no other till used it, 'replayed' (with that till) when one did, 'offline' when
   * the hub did not answer in time; the till then relies on its own nonce table.
   */
  useMemberCode(code: { nonce: string; memberId: string; expiresAt: number }): Promise<MemberCodeAtHub>;
}

export type MemberCodeAtHub = { result: 'fresh' } | { result: 'replayed'; terminalId: string } | { result: 'offline' };

/** The hub's answer must come quickly: the cashier is waiting with the customer. */
const MEMBER_CODE_HUB_MS = 1500;

/**
 * How soon a write is pushed. An online order's events wait a moment: the store hub already
 * vouched for a handover (its claim), so nothing depends on the push being early, and a pickup
 * scan right after (the next customer, a group leader's batch) gets the hub's claim without the
 * hub applying and forwarding the previous push at the same time (docs/bench.md, handover_ms).
 * Everything else (sales, counts) goes at once, and a sale written meanwhile takes the events along.
 */
const ORDER_PUSH_DELAY_MS = 400;
function pushDelayMs(ops: readonly Op[]): number | undefined {
  return ops.some((o) => o.t === 'fact' && o.e === 'order_event') ? ORDER_PUSH_DELAY_MS : undefined;
}

export function createSyncClient(opts: TerminalSyncOptions): TerminalSync {
  const log = opts.log ?? pino({ name: 'sync', level: 'info' });
  const outbox = attachSyncOutbox(opts.db, {
    nodeId: tillNodeId(opts.storeId, opts.terminalId),
    now: opts.now,
    onClockWarning: (w) => log.warn(w, w.message),
  });
  if (opts.onRemoteOps) outbox.storage.onRemoteOps(opts.onRemoteOps);
  const peers: SyncPeer[] = [];
  if (opts.hubUrl) peers.push({ name: 'hub', url: opts.hubUrl });
  if (opts.cloudUrl) peers.push({ name: 'cloud', url: opts.cloudUrl });
  const client = new SyncClient({
    storage: outbox.storage,
    clock: outbox.clock,
    log,
    peers,
    enroll: {
      code: opts.enrollCode,
      deviceId: opts.terminalId,
      role: 'terminal',
      storeId: opts.storeId,
      replace: opts.enrollReplace,
      ...(opts.enrolled ? { credential: opts.enrolled } : {}),
    },
    intervalMs: opts.intervalMs ?? 3000,
    maxBackoffMs: opts.maxBackoffMs ?? 30_000,
    followServerTime: true,
  });
  let unsubscribe: (() => void) | null = null;
  const orderNews = opts.hubUrl ? watchOrderNews(client, 'hub', log) : null;
  return {
    outbox,
    client,
    start() {
      if (peers.length === 0) return;
      unsubscribe = outbox.onAppend((ops) => client.nudge(pushDelayMs(ops)));
      client.start();
      orderNews?.start();
    },
    async stop() {
      unsubscribe?.();
      orderNews?.stop();
      await client.stop();
      outbox.storage.setMetaSync('clock.last', outbox.clock.last());
    },
    status: () => client.status(),
    syncNow: () => client.syncNow(),
    repair: () => client.repair(),
    lookupMember: (query) => client.lookupMember(query),
    async useMemberCode(code) {
      if (!opts.hubUrl) return { result: 'offline' };
      const r = await client.postToPeer('hub', '/sync/members/code-use', code, MEMBER_CODE_HUB_MS);
      const body = (r?.status === 200 ? r.body : null) as {
        ok?: boolean;
        code?: string;
        by?: { terminalId?: unknown };
      } | null;
      if (body?.ok === true) return { result: 'fresh' };
      if (body?.code === 'MEMBER_CODE_REPLAYED')
        return { result: 'replayed', terminalId: typeof body.by?.terminalId === 'string' ? body.by.terminalId : '?' };
      return { result: 'offline' };
    },
    async reenroll(code: string) {
      await client.forgetCredential(code);
      client.nudge();
    },
  };
}
