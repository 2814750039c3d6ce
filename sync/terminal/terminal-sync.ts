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
      unsubscribe = outbox.onAppend(() => client.nudge());
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
    async reenroll(code: string) {
      await client.forgetCredential(code);
      client.nudge();
    },
  };
}
