// Sync client: keeps one local replica in step with upstream peers in priority order (a
// terminal: hub, then cloud when the hub is down; a hub: cloud). Push then pull in bounded
// batches, resuming from per-peer cursors. It runs on its own timer with exponential backoff,
// so an offline replica retries without waiting for the next local write; a local write only
// nudges it to run sooner.
import type { Logger } from 'pino';
import { opRefusal, stampWall, type HybridClock, type Op } from '../core';
import type { SyncStorage } from '../storage';
import { batchOps, decodeBatch, encodeBatch, encodeRawBatch, OPS_CONTENT_TYPE } from './wire';
import type { DeviceRole, EnrollResult } from './auth';
import {
  MemberLookupError,
  MEMBER_LOOKUP_OFFLINE,
  parseMemberLookup,
  type MemberLookupQuery,
  type MemberLookupResult,
} from './member-lookup';

export interface SyncPeer {
  name: string;
  url: string;
}

export interface SyncStatus {
  state: 'disabled' | 'ok' | 'pending' | 'error';
  pendingOps: number;
  lastSyncAt: string | null;
  lagSeconds: number | null;
  /** English, for logs and API users; the till's screens translate `reason`. */
  message: string | null;
  /** Why the state is 'error' (a stable code the UI translates), else null. */
  reason: SyncErrorReason | null;
  /** For 'clock-ahead': changes held back. */
  heldOps?: number;
}

/** revoked: the server answered REVOKED (pair again); offline: no peer answered; diverged: checksums differ; clock-ahead: changes held. */
export type SyncErrorReason = 'revoked' | 'offline' | 'diverged' | 'clock-ahead';

export interface SyncClientOptions {
  storage: SyncStorage;
  clock: HybridClock;
  peers: SyncPeer[];
  /** `replace`: a technician confirms this device takes over an enrolled one of the same store and id. */
  enroll: {
    code: string;
    deviceId: string;
    role: DeviceRole;
    storeId?: string;
    replace?: boolean;
    /**
     * A credential enrolled just now by someone else on this device's behalf (the first-run
     * wizard enrolls through the hub itself, to show a wrong code at once): it replaces any
     * stored one and no code is sent.
     */
    credential?: EnrollResult;
  };
  log: Logger;
  intervalMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  batchSize?: number;
  requestTimeoutMs?: number;
  now?: () => number;
  /** Use the upstream's clock as the physical time source (terminals follow the hub). */
  followServerTime?: boolean;
}

export class SyncHttpError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'SyncHttpError';
  }
}

interface PeerResult {
  peer: string;
  pushed: number;
  pulled: number;
}

interface PushPage {
  count: number;
  last: number;
  more: boolean;
  body: () => Buffer;
}

const DIVERGENCE_STRIKES = 3;

export class SyncClient {
  private o: Required<Omit<SyncClientOptions, 'enroll'>> & Pick<SyncClientOptions, 'enroll'>;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private nudged = false;
  private started = false;
  private chain: Promise<unknown> = Promise.resolve();
  private failures = 0;
  private lastError: string | null = null;
  /** Error codes the peers answered with in the last failed cycle (SyncHttpError.code). */
  private lastErrorCodes: string[] = [];
  private lastSuccessAt: number | null = null;
  private lastPeer: string | null = null;
  private strikes = new Map<string, number>();
  private diverged: { peer: string; scopes: string[] } | null = null;
  private echoNext = false;
  private cred: EnrollResult | null = null;

  constructor(opts: SyncClientOptions) {
    this.o = {
      intervalMs: 5000,
      minBackoffMs: 500,
      maxBackoffMs: 30_000,
      batchSize: 5000,
      requestTimeoutMs: 30_000,
      now: Date.now,
      followServerTime: false,
      ...opts,
    } as SyncClient['o'];
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.chain.catch(() => {});
  }

  /** Whether this replica holds its credential yet (its first cycle enrolled it or read it back). */
  hasCredential(): boolean {
    return this.cred !== null;
  }

  /**
   * A local write happened: sync within `delayMs` (the timer keeps running regardless). A cycle
   * already due sooner is kept, so a later, lazier nudge never postpones an urgent one.
   */
  nudge(delayMs = 20): void {
    if (!this.started) return;
    if (this.running) this.nudged = true;
    else if (!this.timer || this.timerDue > Date.now() + delayMs) this.schedule(delayMs);
  }

  private timerDue = 0;
  private schedule(ms: number): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = Date.now() + ms;
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    this.running = true;
    let delay = this.o.intervalMs;
    this.nudged = false;
    try {
      await this.syncNow();
      // Work arrived during the cycle (e.g. terminals pushed to the hub): go again at once.
      if (this.nudged) delay = 0;
    } catch {
      const base = Math.min(this.o.maxBackoffMs, this.o.minBackoffMs * 2 ** Math.min(this.failures - 1, 20));
      delay = Math.round(base * (0.75 + Math.random() * 0.5));
    } finally {
      this.running = false;
    }
    this.schedule(delay);
  }

  /** One full cycle against the first peer that answers. Serialised with any other cycle. */
  syncNow(): Promise<PeerResult> {
    const run = this.chain.then(() => this.cycle());
    this.chain = run.catch(() => {});
    return run;
  }

  private async cycle(): Promise<PeerResult> {
    const errors: string[] = [];
    const codes: string[] = [];
    for (const peer of this.o.peers) {
      try {
        const r = await this.syncWith(peer);
        this.failures = 0;
        this.lastError = null;
        this.lastErrorCodes = [];
        this.lastSuccessAt = this.o.now();
        this.lastPeer = peer.name;
        return r;
      } catch (err) {
        const e = err as Error;
        errors.push(`${peer.name}: ${e.message}`);
        if (err instanceof SyncHttpError) codes.push(err.code);
        this.o.log.warn({ peer: peer.name, err: e.message }, 'sync with peer failed');
      }
    }
    this.failures += 1;
    this.lastError = errors.join('; ');
    this.lastErrorCodes = codes;
    throw new Error(`sync failed with every peer: ${this.lastError}`);
  }

  /** The credential of `enroll.credential` is stored once; after a revocation the code is used as usual. */
  private givenSaved = false;

  private async credential(): Promise<EnrollResult> {
    if (this.cred) return this.cred;
    const given = this.o.enroll.credential;
    if (given && !this.givenSaved) {
      await this.o.storage.setMeta('sync.credential', JSON.stringify(given));
      this.givenSaved = true;
      return (this.cred = given);
    }
    const saved = await this.o.storage.getMeta('sync.credential');
    if (saved) return (this.cred = JSON.parse(saved) as EnrollResult);
    if (!this.o.enroll.code) throw new Error('no pairing code configured for this device');
    const errors: string[] = [];
    for (const peer of this.o.peers) {
      try {
        const r = await this.request(peer, '/sync/enroll', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            code: this.o.enroll.code,
            deviceId: this.o.enroll.deviceId,
            role: this.o.enroll.role,
            storeId: this.o.enroll.storeId,
            replace: this.o.enroll.replace,
          }),
        });
        const result = (await r.json()) as EnrollResult & { ok: boolean };
        if (this.o.enroll.storeId && result.storeId !== this.o.enroll.storeId) {
          throw new SyncHttpError(
            403,
            'ENROLL_REFUSED',
            `pairing code is for store ${result.storeId}, this device is configured for ${this.o.enroll.storeId}`,
          );
        }
        const cred: EnrollResult = {
          token: result.token,
          deviceId: result.deviceId,
          storeId: result.storeId,
          role: result.role,
          read: result.read,
          write: result.write,
          publicKey: result.publicKey,
        };
        await this.o.storage.setMeta('sync.credential', JSON.stringify(cred));
        this.o.log.info({ peer: peer.name, store: cred.storeId }, 'enrolled for sync');
        return (this.cred = cred);
      } catch (err) {
        errors.push(`${peer.name}: ${(err as Error).message}`);
        // A wrong code, an id taken in this store or a throttle: asking the next peer changes nothing.
        if (err instanceof SyncHttpError && [401, 409, 429].includes(err.status)) break;
      }
    }
    throw new Error(`enrollment failed: ${errors.join('; ')}`);
  }

  private async request(peer: SyncPeer, path: string, init: RequestInit): Promise<Response> {
    const r = await fetch(peer.url.replace(/\/$/, '') + path, {
      ...init,
      signal: AbortSignal.timeout(this.o.requestTimeoutMs),
    });
    if (!r.ok) {
      let body: { error?: { code?: string; message?: string; details?: unknown } } = {};
      try {
        body = (await r.json()) as typeof body;
      } catch {
        /* not JSON */
      }
      throw new SyncHttpError(
        r.status,
        body.error?.code ?? `HTTP_${r.status}`,
        body.error?.message ?? `HTTP ${r.status}`,
        body.error?.details,
      );
    }
    return r;
  }

  private async writeScopes(cred: EnrollResult): Promise<string[]> {
    return cred.write.includes('*') ? this.o.storage.scopes() : cred.write;
  }

  private async cursor(kind: 'push' | 'pull', peer: string): Promise<number> {
    return Number((await this.o.storage.getMeta(`sync.${kind}.${peer}`)) ?? 0);
  }

  private async syncWith(peer: SyncPeer): Promise<PeerResult> {
    const cred = await this.credential();
    const auth = { authorization: `Bearer ${cred.token}` };
    const origin = `up:${peer.name}`;
    const writeScopes = await this.writeScopes(cred);
    let pushed = 0;
    let pushCursor = await this.cursor('push', peer.name);
    const readPage = async (after: number): Promise<PushPage> => {
      const q = { after, scopes: writeScopes, limit: this.o.batchSize, excludeOrigin: origin };
      // SQLite replicas hand over bodies as stored JSON text: no parse + stringify per op.
      if (this.o.storage.readSinceRaw) {
        const raw = await this.o.storage.readSinceRaw(q);
        return { count: raw.rows.length, last: raw.last, more: raw.more, body: () => encodeRawBatch(raw.rows) };
      }
      const r = await this.o.storage.readSince(q);
      return { count: r.ops.length, last: r.last, more: r.more, body: () => encodeBatch(r.ops) };
    };
    let page = await readPage(pushCursor);
    while (page.count > 0) {
      const sending = this.request(peer, '/sync/push', {
        method: 'POST',
        headers: { ...auth, 'content-type': OPS_CONTENT_TYPE },
        body: page.body() as unknown as BodyInit,
      });
      sending.catch(() => {});
      // While the peer applies this page, read the next one (pipelining; the cursor still only
      // moves once the peer has acknowledged).
      await new Promise((r) => setImmediate(r));
      const next = page.more ? readPage(page.last) : null;
      next?.catch(() => {});
      try {
        const body = (await (await sending).json()) as { serverTime: number };
        if (this.o.followServerTime) this.o.clock.observeServerTime(body.serverTime);
      } catch (err) {
        if (err instanceof SyncHttpError && err.code === 'CLOCK_AHEAD') {
          const ids = ((err.details as { ids?: string[] } | undefined)?.ids ?? []).filter(
            (id) => typeof id === 'string',
          );
          const serverTime = (err.details as { serverTime?: number } | undefined)?.serverTime;
          if (typeof serverTime === 'number') this.o.clock.observeServerTime(serverTime);
          if (ids.length === 0) throw err;
          // Hold the far-future ops back (they stay in the local log) so they cannot block the rest.
          await this.o.storage.hold(ids);
          this.o.log.error(
            { peer: peer.name, held: ids.length },
            'ops stamped far in the future held back from sync; fix this device clock',
          );
          page = await readPage(pushCursor);
          continue;
        }
        throw err;
      }
      pushed += page.count;
      pushCursor = page.last;
      await this.o.storage.setMeta(`sync.push.${peer.name}`, String(pushCursor));
      if (!next) break;
      page = await next;
    }
    // An empty page still moves the cursor past rows the filters skip.
    if (page.count === 0) pushCursor = Math.max(pushCursor, page.last);
    await this.o.storage.setMeta(`sync.push.${peer.name}`, String(pushCursor));

    let pulled = 0;
    let pullCursor = await this.cursor('pull', peer.name);
    const echo = this.echoNext;
    for (;;) {
      const r = await this.request(peer, '/sync/pull', {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ cursor: pullCursor, limit: this.o.batchSize, echo }),
      });
      const batch = decodeBatch(Buffer.from(await r.arrayBuffer()));
      const extra = batch.extra;
      const ops = this.admitPulled(batchOps(batch), cred, peer.name);
      const serverTime = extra['serverTime'];
      if (this.o.followServerTime && typeof serverTime === 'number') this.o.clock.observeServerTime(serverTime);
      const fresh = (await this.o.storage.apply(ops, origin)).appliedOps;
      let newest: string | null = null;
      for (const o of fresh) if (!newest || o.id > newest) newest = o.id;
      if (newest) this.o.clock.receive(newest);
      pulled += fresh.length;
      pullCursor = Number(extra['cursor']);
      await this.o.storage.setMeta(`sync.pull.${peer.name}`, String(pullCursor));
      if (!extra['more']) {
        await this.compareDigests(
          peer.name,
          extra['digests'] as Record<string, string> | null,
          pushCursor,
          writeScopes,
          origin,
        );
        break;
      }
    }
    if (echo) this.echoNext = false;
    return { peer: peer.name, pushed, pulled };
  }

  /**
   * The receiving side of the authorship table (sync/core/authorship.ts): whatever the peer
   * sends, this replica stores only ops of its read scopes whose entity belongs to their scope
   * and whose author may write them. The rest is dropped and logged; if the peer really holds
   * them, the checksum comparison reports the difference.
   */
  private admitPulled(ops: Op[], cred: EnrollResult, peer: string): Op[] {
    const readable = (s: string) => cred.read.includes('*') || cred.read.includes(s);
    const kept: Op[] = [];
    let first: string | null = null;
    for (const op of ops) {
      const reason = readable(op.s) ? opRefusal(op)?.reason : `scope ${op.s} is not readable by this device`;
      if (reason) {
        first ??= `${op.id}: ${reason}`;
        continue;
      }
      kept.push(op);
    }
    if (kept.length < ops.length)
      this.o.log.warn(
        { peer, dropped: ops.length - kept.length, first },
        'pulled ops refused by the authorship and scope rules; not applied',
      );
    return kept;
  }

  private async compareDigests(
    peer: string,
    remote: Record<string, string> | null,
    pushCursor: number,
    writeScopes: string[],
    origin: string,
  ): Promise<void> {
    if (!remote) return;
    const pending = await this.o.storage.countSince({ after: pushCursor, scopes: writeScopes, excludeOrigin: origin });
    if (pending > 0) return;
    const local = await this.o.storage.digests(Object.keys(remote));
    const differ = Object.keys(remote).filter((s) => remote[s] !== local[s]);
    if (differ.length === 0) {
      this.strikes.set(peer, 0);
      if (this.diverged?.peer === peer) this.diverged = null;
      return;
    }
    const n = (this.strikes.get(peer) ?? 0) + 1;
    this.strikes.set(peer, n);
    if (n >= DIVERGENCE_STRIKES) {
      this.diverged = { peer, scopes: differ };
      this.o.log.warn({ peer, scopes: differ }, 'checksum mismatch with peer after a full sync; run repair');
    }
  }

  /**
   * Looks up a member this replica does not hold, online: peers in order (terminal: the hub,
   * which asks the cloud, then the cloud directly). Exact identity only. Throws
   * MemberLookupError: 'OFFLINE' when no peer can answer, 'UNAUTHENTICATED'/'REFUSED' when a peer
   * refuses, 'BAD_INPUT' for a malformed query. The value is never logged.
   */
  async lookupMember(query: MemberLookupQuery): Promise<MemberLookupResult> {
    const q = parseMemberLookup(query);
    let cred: EnrollResult;
    try {
      cred = await this.credential();
    } catch {
      throw new MemberLookupError('OFFLINE', MEMBER_LOOKUP_OFFLINE);
    }
    for (const peer of this.o.peers) {
      let r: Response;
      try {
        r = await fetch(peer.url.replace(/\/$/, '') + '/sync/members/lookup', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${cred.token}` },
          body: JSON.stringify(q),
          signal: AbortSignal.timeout(Math.min(this.o.requestTimeoutMs, 10_000)),
        });
      } catch {
        this.o.log.warn({ peer: peer.name }, 'member lookup: peer unreachable');
        continue;
      }
      let body: { ok?: boolean; found?: boolean; member?: unknown; error?: { code?: string; message?: string } } = {};
      try {
        body = (await r.json()) as typeof body;
      } catch {
        /* not JSON */
      }
      if (r.ok && body.ok)
        return body.found
          ? { found: true, member: body.member as Extract<MemberLookupResult, { found: true }>['member'] }
          : { found: false };
      // The hub is up but cannot reach the cloud (or is not paired): try the next peer.
      if (r.status >= 500 || r.status === 404) {
        this.o.log.warn(
          { peer: peer.name, status: r.status, code: body.error?.code },
          'member lookup: peer cannot answer',
        );
        continue;
      }
      const code = r.status === 401 ? 'UNAUTHENTICATED' : r.status === 400 ? 'BAD_INPUT' : 'REFUSED';
      const detail = body.error?.message ?? `HTTP ${r.status}`;
      const peerCode = typeof body.error?.code === 'string' ? { peerCode: body.error.code.slice(0, 40) } : {};
      throw new MemberLookupError(
        code,
        code === 'BAD_INPUT'
          ? detail
          : code === 'UNAUTHENTICATED'
            ? `This device is not authenticated for member lookup: ${detail}`
            : `Member lookup refused: ${detail}`,
        peerCode,
      );
    }
    throw new MemberLookupError('OFFLINE', MEMBER_LOOKUP_OFFLINE);
  }

  /**
   * POSTs JSON to the first peer named `peer` with this device's credential (e.g. the hub's
   * order claim). Null when that peer does not answer or this device holds no credential yet;
   * otherwise the HTTP status and the JSON body.
   */
  async postToPeer(
    peer: string,
    path: string,
    body: unknown,
    timeoutMs = 3000,
    /** Ends the request early (a long poll when the replica stops). */
    signal?: AbortSignal,
  ): Promise<{ status: number; body: unknown } | null> {
    const p = this.o.peers.find((x) => x.name === peer);
    if (!p) return null;
    let cred: EnrollResult;
    try {
      cred = await this.credential();
    } catch {
      return null;
    }
    try {
      const r = await fetch(p.url.replace(/\/$/, '') + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${cred.token}` },
        body: JSON.stringify(body),
        signal: signal ? AbortSignal.any([AbortSignal.timeout(timeoutMs), signal]) : AbortSignal.timeout(timeoutMs),
      });
      return { status: r.status, body: await r.json().catch(() => null) };
    } catch {
      return null;
    }
  }

  /** Whether this client has a peer of that name (`hub`, `cloud`). */
  hasPeer(peer: string): boolean {
    return this.o.peers.some((x) => x.name === peer);
  }

  /** Drops the stored credential so the next cycle pairs again (after a revocation). */
  async forgetCredential(code?: string): Promise<void> {
    await this.o.storage.setMeta('sync.credential', '');
    this.cred = null;
    if (code) this.o.enroll = { ...this.o.enroll, code };
  }

  /** Divergence found by checksum comparison, if any. */
  divergence(): { peer: string; scopes: string[] } | null {
    return this.diverged;
  }

  /**
   * Resync this replica from scratch: forget every cursor, push everything again and pull
   * everything (including our own ops) again. Idempotent ops make this safe.
   */
  async repair(): Promise<PeerResult> {
    for (const peer of this.o.peers) {
      await this.o.storage.setMeta(`sync.push.${peer.name}`, '0');
      await this.o.storage.setMeta(`sync.pull.${peer.name}`, '0');
    }
    this.echoNext = true;
    this.strikes.clear();
    this.diverged = null;
    this.o.log.info('sync repair: cursors reset, full resync');
    return this.syncNow();
  }

  /** Shape of TerminalStatus['sync'] for the till banner. */
  async status(): Promise<SyncStatus> {
    if (!this.started)
      return { state: 'disabled', pendingOps: 0, lastSyncAt: null, lagSeconds: null, message: null, reason: null };
    const cred = this.cred;
    let pendingOps = 0;
    let oldest: string | null = null;
    {
      // Not enrolled yet (offline since first start): everything local is pending.
      const scopes = cred ? await this.writeScopes(cred) : await this.o.storage.scopes();
      let best: number | null = null;
      for (const peer of this.o.peers) {
        const q = { after: await this.cursor('push', peer.name), scopes, excludeOrigin: `up:${peer.name}` };
        const n = await this.o.storage.countSince(q);
        if (best === null || n < best) {
          best = n;
          oldest = n > 0 ? ((await this.o.storage.readSince({ ...q, limit: 1 })).ops[0]?.id ?? null) : null;
        }
      }
      pendingOps = best ?? 0;
    }
    const now = this.o.now();
    const held = await this.o.storage.heldCount();
    const lagSeconds = oldest
      ? Math.max(0, Math.round((now - stampWall(oldest)) / 1000))
      : this.lastSuccessAt === null
        ? null
        : 0;
    const lastSyncAt = this.lastSuccessAt === null ? null : new Date(this.lastSuccessAt).toISOString();
    if (this.lastError) {
      // By the code the server sent, never by the words: a peer's message may say anything.
      const revoked = this.lastErrorCodes.includes('REVOKED');
      const message = revoked
        ? 'This device was revoked; pair it again'
        : `Offline: ${pendingOps} changes waiting to sync (${this.lastError.slice(0, 200)})`;
      return { state: 'error', pendingOps, lastSyncAt, lagSeconds, message, reason: revoked ? 'revoked' : 'offline' };
    }
    if (this.diverged) {
      return {
        state: 'error',
        pendingOps,
        lastSyncAt,
        lagSeconds,
        message: `Checksum mismatch with ${this.diverged.peer} (${this.diverged.scopes.join(', ')}); run sync repair`,
        reason: 'diverged',
      };
    }
    if (held > 0) {
      return {
        state: 'error',
        pendingOps,
        lastSyncAt,
        lagSeconds,
        message: `${held} changes held: this device's clock was ahead`,
        reason: 'clock-ahead',
        heldOps: held,
      };
    }
    return {
      state: pendingOps > 0 || this.lastSuccessAt === null ? 'pending' : 'ok',
      pendingOps,
      lastSyncAt,
      lagSeconds,
      message: null,
      reason: null,
    };
  }
}
