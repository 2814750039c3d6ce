// The sync endpoint, identical on the store hub and the cloud: enroll, push, pull, digest.
// Every request but enroll carries a device credential; pushes are validated whole (wire,
// schema, scope, clock) before anything is applied, then applied in one transaction.
import type { IncomingMessage } from 'node:http';
import { Hono } from 'hono';
import { z } from 'zod';
import type { Logger } from 'pino';
import { admitPushedOps, OpValidationError, type HybridClock, type Op } from '../core';
import type { SyncStorage, ApplyResult } from '../storage';
import { batchOps, decodeBatchAsync, encodeBatch, WireError, MAX_BATCH_BYTES, OPS_CONTENT_TYPE } from './wire';
import {
  bearer,
  HttpError,
  jsonReply,
  readBytes,
  readJson,
  type KitApp,
  type KitContext,
  type KitEnv,
} from '../../http-kit';
import {
  AuthError,
  deviceKey,
  mayWrite,
  scopesFor,
  DEVICE_ROLES,
  type DeviceAuthority,
  type DeviceClaims,
  type EnrollResult,
} from './auth';
import { SyncLimits } from './request-limits';
import { deviceReportSchema } from './device-report';
import { syncError } from './http-status';
import { MemberLookupError, parseMemberLookup, type MemberLookupQuery, type MemberLookupResult } from './member-lookup';

export const MAX_PULL_LIMIT = 5000;

export interface SyncServerOptions {
  storage: SyncStorage;
  authority: DeviceAuthority;
  clock: HybridClock;
  log: Logger;
  /**
   * Which replica this is, for the authorship rules: the cloud trusts a store hub to relay its
   * store's manager/technician/till-config ops; a hub trusts no store device to relay them.
   * Default 'cloud'.
   */
  receiver?: 'cloud' | 'hub';
  /** Called after ops from a device are stored (the hub nudges its upstream push). */
  onApplied?: (result: ApplyResult) => void;
  /**
   * Answers `POST /sync/members/lookup` for an authenticated device (the cloud resolves it, the
   * hub forwards it upstream with the caller's credential). Absent: the route answers 404.
   */
  memberLookup?: (claims: DeviceClaims, query: MemberLookupQuery, authorization: string) => Promise<MemberLookupResult>;
  /** Lookups per device per minute on this instance (default 60): exact matches only, never a crawl. */
  memberLookupsPerMinute?: number;
  /** Lookup and pairing limits with their refusal counters (the cloud shows them on /health). */
  limits?: SyncLimits;
  /**
   * Pushes decoded, checked and applied at once on this instance (default 4); more wait their
   * turn before any CPU is spent on them, so a pull never queues behind a crowd of pushes in
   * the event loop (their bodies are read meanwhile).
   */
  pushConcurrency?: number;
}

/** A counting gate: at most `max` holders at once, the rest wait in arrival order. */
class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((r) => this.waiting.push(r));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

const pullInput = z.object({
  cursor: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(MAX_PULL_LIMIT).default(2000),
  echo: z.boolean().default(false),
});
const enrollInput = z.object({
  code: z.string().trim().min(4).max(64),
  deviceId: z.string().regex(/^[A-Za-z0-9_]{1,24}$/, 'device id is 1-24 letters, digits or _'),
  role: z.enum(DEVICE_ROLES).optional(),
  storeId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/)
    .optional(),
  replace: z.boolean().optional(),
});

const BATCH_REFUSAL = {
  tooLargeCode: 'BATCH_TOO_LARGE',
  tooLargeMessage: (limit: number) => `batch over ${limit} bytes; send smaller batches`,
};
const JSON_LIMIT = 1024 * 1024;
const readSyncJson = (req: IncomingMessage) => readJson(req, JSON_LIMIT, BATCH_REFUSAL);

/** The sync routes as a Hono app; the cloud and the hub mount it beside their own routes. */
export function createSyncRoutes(opts: SyncServerOptions): KitApp {
  const { storage, authority, clock, log } = opts;
  const limits = opts.limits ?? new SyncLimits({ lookupsPerDevicePerMinute: opts.memberLookupsPerMinute }, log);
  const pushGate = new Gate(Math.max(1, opts.pushConcurrency ?? 4));

  async function authenticate(req: IncomingMessage): Promise<DeviceClaims> {
    const claims = await authority.verify(bearer(req.headers.authorization));
    await authority.seen?.(claims);
    return claims;
  }

  async function readScopes(claims: DeviceClaims): Promise<string[]> {
    const { read } = scopesFor(claims);
    return read.includes('*') ? storage.scopes() : read;
  }

  async function push(c: KitContext): Promise<Response> {
    const req = c.env.incoming;
    const claims = await authenticate(req);
    const body = await readBytes(req, MAX_BATCH_BYTES, BATCH_REFUSAL);
    return pushGate.run(() => applyPush(claims, body));
  }

  async function applyPush(claims: DeviceClaims, body: Buffer): Promise<Response> {
    let ops: Op[];
    try {
      // Column-wise checks (validateOpColumns); a bad op still gets zod's index and message.
      ops = batchOps(await decodeBatchAsync(body));
    } catch (err) {
      if (err instanceof WireError) {
        if (err.code === 'BATCH_TOO_LARGE')
          log.warn(
            { device: claims.d, store: claims.st, bytes: body.length },
            'sync push refused: batch inflates past the cap',
          );
        throw syncError(err.code, err.message);
      }
      if (err instanceof OpValidationError)
        throw syncError('BATCH_INVALID', `batch refused whole, nothing applied: ${err.message}`, { index: err.index });
      throw err;
    }
    const { write } = scopesFor(claims);
    const outside = ops.find((o) => !mayWrite(write, o.s));
    if (outside) {
      log.warn({ device: claims.d, scope: outside.s }, 'sync push refused: scope outside device');
      throw syncError('SCOPE_FORBIDDEN', `device ${claims.d} may not write scope ${outside.s}; batch refused whole`);
    }
    // Authorship and entity-in-scope (sync/core/authorship.ts): a forbidden op refuses the batch
    // whole; a privileged op relayed by a device that is not trusted to relay it is left out.
    const pusher = { deviceId: claims.d, role: claims.r, storeId: claims.st };
    const admission = admitPushedOps(ops, pusher, opts.receiver ?? 'cloud');
    if (!admission.ok) {
      const { index, refusal } = admission;
      log.warn(
        { device: claims.d, index, code: refusal.code, reason: refusal.reason },
        'sync push refused: op breaks the authorship or scope rules',
      );
      throw syncError(refusal.code, `op ${index}: ${refusal.reason}; batch refused whole, nothing applied`, { index });
    }
    const skipped = admission.skipped;
    if (skipped)
      log.warn(
        { device: claims.d, skipped },
        'sync push: privileged ops relayed by a device not trusted to relay them were left out',
      );
    ops = admission.admitted;
    // Stamps compare as strings in wall-clock order (fixed-width base-36 prefix): only when the
    // newest is too far ahead is every op looked at.
    let newestPushed = '';
    for (const o of ops) if (o.id > newestPushed) newestPushed = o.id;
    const future =
      newestPushed && clock.isTooFarAhead(newestPushed)
        ? ops.filter((o) => clock.isTooFarAhead(o.id)).map((o) => o.id)
        : [];
    if (future.length) {
      log.error(
        { device: claims.d, count: future.length, first: future[0] },
        'sync push refused: stamps too far in the future (device clock ahead)',
      );
      throw syncError(
        'CLOCK_AHEAD',
        `${future.length} ops are stamped more than ${Math.round(clock.maxDriftMs / 1000)} s ahead of this server; fix the device clock. Batch refused whole.`,
        { ids: future.slice(0, 5000), serverTime: clock.physical() },
      );
    }
    // Origin = store + device id: two stores' `T01` are two devices (their pulls leave out only their own ops).
    const result = await storage.apply(ops, deviceKey(claims));
    let newest: string | null = null;
    for (const o of result.appliedOps) if (!newest || o.id > newest) newest = o.id;
    if (newest) clock.receive(newest);
    if (result.applied) opts.onApplied?.(result);
    return jsonReply(200, {
      ok: true,
      applied: result.applied,
      duplicates: result.duplicates,
      skipped,
      serverTime: clock.physical(),
    });
  }

  async function pull(c: KitContext): Promise<Response> {
    const req = c.env.incoming;
    const claims = await authenticate(req);
    const parsed = pullInput.safeParse(await readSyncJson(req));
    if (!parsed.success) throw syncError('BAD_INPUT', parsed.error.issues[0]?.message ?? 'bad pull request');
    const scopes = await readScopes(claims);
    // The digests are read beside the page, not after it (one round trip less per pull on a
    // busy cloud); they are sent only when the puller is caught up, so it compares like with
    // like. Either way they come from a statement of their own, so a write landing between the
    // two shows as a passing mismatch the client's next cycle clears.
    const digestsRead = storage.digests(scopes).then(
      (d) => ({ d }),
      (err: unknown) => ({ err }),
    );
    const page = await storage.readSince({
      after: parsed.data.cursor,
      scopes,
      limit: parsed.data.limit,
      excludeOrigin: parsed.data.echo ? undefined : deviceKey(claims),
    });
    let digests: Record<string, string> | null = null;
    if (!page.more) {
      const r = await digestsRead;
      if ('err' in r) throw r.err;
      digests = r.d;
    }
    const buf = encodeBatch(page.ops, { cursor: page.last, more: page.more, digests, serverTime: clock.physical() });
    return new Response(buf as Uint8Array<ArrayBuffer>, { status: 200, headers: { 'content-type': OPS_CONTENT_TYPE } });
  }

  async function digest(c: KitContext): Promise<Response> {
    const req = c.env.incoming;
    const claims = await authenticate(req);
    const scopes = await readScopes(claims);
    return jsonReply(200, { ok: true, digests: await storage.digests(scopes), serverTime: clock.physical() });
  }

  async function enroll(c: KitContext): Promise<Response> {
    const req = c.env.incoming;
    const parsed = enrollInput.safeParse(await readSyncJson(req));
    if (!parsed.success) throw syncError('BAD_INPUT', parsed.error.issues[0]?.message ?? 'bad enroll request');
    // Throttled before the code is even looked at, so a correct guess during back-off is refused too.
    const address = req.socket.remoteAddress ?? 'unknown';
    const verdict = limits.checkEnroll(address, parsed.data.storeId);
    if (!verdict.ok) {
      throw syncError(
        'RATE_LIMITED',
        `Too many wrong pairing codes; try again in ${verdict.retryAfterSeconds} s`,
        { retryAfterSeconds: verdict.retryAfterSeconds },
        { 'retry-after': String(verdict.retryAfterSeconds) },
      );
    }
    let result: EnrollResult;
    try {
      result = await authority.enroll(parsed.data);
    } catch (err) {
      // The hub forwards to the cloud and relays its refusal as an HttpError: count both.
      if ((err instanceof AuthError || err instanceof HttpError) && err.code === 'ENROLL_REFUSED') {
        limits.enrollFailed(address, [parsed.data.storeId, err instanceof AuthError ? err.storeId : undefined]);
      }
      throw err;
    }
    log.info({ device: result.deviceId, store: result.storeId, role: result.role }, 'device enrolled');
    return jsonReply(200, { ok: true, ...result, serverTime: clock.physical() });
  }

  async function memberLookup(c: KitContext): Promise<Response> {
    const req = c.env.incoming;
    const claims = await authenticate(req);
    if (!opts.memberLookup) throw syncError('NOT_FOUND', 'member lookup is not offered here');
    const verdict = limits.takeMemberLookup(claims);
    if (!verdict.ok) {
      throw syncError(
        'RATE_LIMITED',
        'Too many member lookups; try again in a minute',
        { by: verdict.by, retryAfterSeconds: verdict.retryAfterSeconds },
        { 'retry-after': String(verdict.retryAfterSeconds) },
      );
    }
    let query: MemberLookupQuery;
    try {
      query = parseMemberLookup(await readSyncJson(req));
    } catch (err) {
      if (err instanceof MemberLookupError) throw syncError(err.code, err.message);
      throw err;
    }
    const result = await opts.memberLookup(claims, query, req.headers.authorization ?? '');
    // The identity value (a phone number, an openid) is personal data: never logged.
    log.info({ device: claims.d, type: query.type, found: result.found }, 'member lookup');
    return jsonReply(200, { ok: true, ...result });
  }

  // A device's status for the fleet view (device-report.ts): codes and ids, never shop data.
  async function report(c: KitContext): Promise<Response> {
    const req = c.env.incoming;
    const claims = await authenticate(req);
    if (!authority.report) throw syncError('NOT_FOUND', 'status reports are not taken here');
    const parsed = deviceReportSchema.safeParse(await readSyncJson(req));
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw syncError('BAD_INPUT', `status report refused: ${i ? `${i.path.join('.')}: ${i.message}` : 'bad input'}`);
    }
    await authority.report(claims, parsed.data);
    return jsonReply(200, { ok: true });
  }

  return new Hono<KitEnv>()
    .post('/sync/report', report)
    .post('/sync/push', push)
    .post('/sync/pull', pull)
    .get('/sync/digest', digest)
    .post('/sync/enroll', enroll)
    .post('/sync/members/lookup', memberLookup);
}

/** The sync servers' answer to whatever a route throws (http-kit's answerErrors takes it). */
export function toHttpError(err: unknown, log: Logger): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof AuthError) return syncError(err.code, err.message);
  log.error({ err }, 'sync request failed');
  return syncError('INTERNAL', 'sync server error; the batch was not applied');
}
