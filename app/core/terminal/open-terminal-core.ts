// Composition root of the terminal core (plain Node, no Electron): opens the SQLite store,
// seeds demo data on request, and exposes the RPC contract through `call`, which validates
// input with the contract's zod schema, checks the session and role, and turns every error
// into `{ ok: false, error }` — it never throws.
import { EventEmitter } from 'node:events';
import pino from 'pino';
import pkg from '../../../package.json';
import {
  errorText,
  isMethodName,
  methods,
  parseMethodInput,
  PosError,
  type MethodName,
  type MethodOutput,
  type Role,
  type RpcResult,
  type TerminalStatus,
  type TillEvent,
} from '../../contract';
import { DEFAULT_PIN_SCRYPT_N, resolveSession } from '../auth';
import { ProductSearch } from '../catalog';
import { repriceOpenCart } from '../cart';
import type { PricingMember } from '../pricing';
import { join } from 'node:path';
import { openCheckedTerminalDatabase, SaleJournal } from '../db';
import { SandboxPaymentCodeProvider, type PaymentCodeProvider, type PaymentTiming } from '../payment';
import { pendingIntents, recoverIntents, SaleRecordsGuard, timingOf } from '../sales';
import { DEMO_STORE_ID, DEMO_TERMINAL_ID, seedDemoData } from '../seed';
import type { CoreContext } from '../context';
import type { ShelfLabelPrinter, TillDevices } from '../devices';
import { createHandlers, type CallContext, type Handler } from './method-handlers';
import { wireCoreSync, type CoreSyncOptions } from './core-sync';
import { compensateLostHandovers, listOrders, payOrderRefunds } from '../orders';
import { startTillFleetReport } from './fleet-report';
import { flagCouponConflicts } from '../coupons';
import type { TerminalSync } from '../../../sync/terminal';
import { FaceService, replicaMemberDirectory, type FaceEmbedder } from '../face';
import { bindLoyaltyHub } from '../stored-value';

export interface TerminalCoreOptions {
  dataDir: string;
  terminalId?: string;
  storeId?: string;
  seedDemo?: boolean;
  clock?: () => Date;
  paymentProvider?: PaymentCodeProvider;
  logger?: pino.Logger;
  /** scrypt cost for PIN hashes written by this core (tests lower it; default 16384). */
  pinScryptN?: number;
  /** Live sync/device state for system.status (wired by the host); defaults: offline, sync disabled, no devices. */
  /** Receives durations of critical steps, e.g. `checkout_commit_ms` (the durable sale transaction). */
  timing?: (name: string, ms: number) => void;
  /** Payment-code pending flow timings (query every 5 s, reverse at 45 s, …); tests shorten them. */
  paymentTiming?: Partial<PaymentTiming>;
  statusProvider?: () =>
    | Partial<Pick<TerminalStatus, 'online' | 'sync' | 'devices'>>
    | Promise<Partial<Pick<TerminalStatus, 'online' | 'sync' | 'devices'>>>;
  /**
   * Replicate through the store hub and/or the cloud (off when absent, or when neither URL is
   * set). Every domain write then appends its ops in its own transaction; `start()` is called
   * by the core; `stock.get` reads the store-wide replicated ledger.
   */
  sync?: CoreSyncOptions;
  /** The till's store devices (called per request; the device hub may open after the core). */
  devices?: () => TillDevices | null;
  /**
   * The chain's public key (PEM) that verifies member codes. Default: the key the till learnt
   * when it paired for sync (the cloud signs device credentials and member codes with it).
   */
  memberCodePublicKey?: string;
  /** Face models for members.identifyFace/enrollFace (composed by app/till; absent: FACE_UNAVAILABLE). */
  faceEmbedder?: () => FaceEmbedder | null;
  /** How often the open cart is re-priced for promotions opening or closing by time (default 5 s). */
  repriceMs?: number;
  /** The member on a cart, for member prices (the members module binds it; default: none). */
  cartMember?: (cartId: string) => PricingMember | null;
  /** The store's label printer for `labels.print` (composed by app/till; absent: DEVICE_UNAVAILABLE). */
  labelPrinter?: () => ShelfLabelPrinter | null;
  /**
   * `false`: store-wide reports read every sale fact of their range instead of the per-day
   * rollup (slower; the reference the rollup is tested against). Default true.
   */
  reportRollups?: boolean;
}

export interface CallOptions {
  token?: string;
  internal?: boolean;
}

export interface TerminalCore {
  /**
   * `internal: true` marks a trusted in-process caller (e.g. the host's /health probe) that
   * has no session; it must never be derived from anything a client sends.
   */
  call<M extends MethodName>(method: M, input: unknown, ctx: CallOptions): Promise<RpcResult<MethodOutput<M>>>;
  /** Emits 'event' with a TillEvent (cart.changed, sale.completed, …). */
  events: EventEmitter;
  readonly terminalId: string;
  readonly storeId: string;
  readonly version: string;
  /** Call after writing products/barcodes outside the core (e.g. sync) so search sees them. */
  catalogChanged(): void;
  /** Resolves when start-up recovery of unsettled payment-code charges has finished. */
  readonly ready: Promise<void>;
  /** The sync client when sync is on (status, syncNow, repair), else null. */
  readonly sync: TerminalSync | null;
  /** Stops sync (if on) and closes the database; the promise resolves when both are done. */
  close(): Promise<void>;
}

export const CORE_VERSION: string = (pkg as { version: string }).version;

function defaultLogger(): pino.Logger {
  return pino({
    name: 'terminal-core',
    level: 'info',
    // Belt and braces: no PINs, tokens or phone numbers even if someone logs an input.
    redact: {
      paths: ['pin', 'managerPin', 'token', 'phone', '*.pin', '*.managerPin', '*.token', '*.phone'],
      censor: '[redacted]',
    },
  });
}

export function openTerminalCore(opts: TerminalCoreOptions): TerminalCore {
  const logger = opts.logger ?? defaultLogger();
  const clock = opts.clock ?? (() => new Date());
  const opened = openCheckedTerminalDatabase(opts.dataDir, clock());
  const db = opened.db;
  const terminalId = opts.terminalId ?? DEMO_TERMINAL_ID;
  const storeId = opts.storeId ?? DEMO_STORE_ID;
  const events = new EventEmitter();
  events.setMaxListeners(100);
  let search: ProductSearch | null = null;
  let face: FaceService | null = null;
  let closed = false;
  // Attached before the demo seed, so a seeded store's opening stock replicates too.
  const syncOn = !!opts.sync && !!(opts.sync.hubUrl || opts.sync.cloudUrl);
  const sync = syncOn
    ? wireCoreSync(opts.sync!, {
        db,
        storeId,
        terminalId,
        logger,
        clock,
        productsChanged: (skus) => {
          if (!closed) search?.refresh(skus);
        },
        membersErased: (ids) => face?.eraseMembers(ids),
        ordersChanged: () => {
          if (!closed) ordersChanged();
        },
        couponsChanged: () => {
          if (closed) return;
          try {
            flagCouponConflicts({ ctx, sync });
          } catch (err) {
            logger.error({ err }, 'coupon conflict check failed');
          }
        },
        rulesChanged: () => {
          if (!closed) repriceQuietly();
        },
      })
    : null;
  const ctx: CoreContext = {
    db,
    clock,
    logger,
    terminalId,
    storeId,
    events,
    paymentProvider: opts.paymentProvider ?? new SandboxPaymentCodeProvider(),
    pinScryptN: opts.pinScryptN ?? DEFAULT_PIN_SCRYPT_N,
    emit(event: TillEvent) {
      try {
        events.emit('event', event);
      } catch (err) {
        logger.error({ err, type: event.type }, 'event listener threw');
      }
    },
    nowIso: () => clock().toISOString(),
    timing: opts.timing,
    paymentTiming: opts.paymentTiming,
    cartMember: opts.cartMember,
  };
  // Orders from the cloud or other tills: reverse a handover of ours that lost, then tell the screens.
  function ordersChanged(): void {
    try {
      compensateLostHandovers({ ctx, sync });
      const { newCount, conflictCount } = listOrders({ ctx, sync }, 'new');
      ctx.emit({ type: 'orders.changed', newCount, conflictCount });
    } catch (err) {
      logger.error({ err }, 'online order update failed');
    }
    refundOrders();
  }
  // Refunds owed on online orders (a cancellation from the cloud, a short pick handed over here):
  // paid through the gateway, retried on the sweep and at the next start (orders/order-refunds.ts).
  let refunding: Promise<unknown> = Promise.resolve();
  function refundOrders(): void {
    if (closed || !sync) return;
    refunding = payOrderRefunds({ ctx, sync })
      .then((r) => {
        if (r.paid || r.declined) logger.info(r, 'online order refunds');
      })
      .catch((err: unknown) => logger.error({ err }, 'online order refund pass failed'));
  }
  if (opts.seedDemo && seedDemoData(db, { at: clock(), terminalId, storeId, pinScryptN: ctx.pinScryptN })) {
    logger.info({ storeId, terminalId }, 'seeded demo data');
  }
  // Acknowledged sales the database lost (damaged WAL after a power cut) stop selling here.
  const journal = new SaleJournal(join(opts.dataDir, 'terminal.sale-journal'));
  const saleRecords = new SaleRecordsGuard({ db, terminalId, clock, logger, timing: opts.timing }, journal, opened);
  // Journaled before the sale is announced, so a receipt can never print a number the journal lacks.
  ctx.saleCommitted = (saleId) => saleRecords.recordSale(saleId);
  // Payment-code charges a previous run left unsettled (crash between charge and commit, or
  // an outcome still unknown): queried again now, and every sweepMs after (owed reversals too).
  const pending = pendingIntents(db);
  const recovery: Promise<unknown> =
    pending.length === 0
      ? Promise.resolve()
      : recoverIntents(ctx, pending)
          .then((r) => logger.info(r, 'settled payment-code charges left by the previous run'))
          .catch((err: unknown) => logger.error({ err }, 'payment recovery failed'));
  let sweeping: Promise<unknown> = recovery.then(() => refundOrders());
  const sweeper = setInterval(() => {
    sweeping = sweeping
      .then(() => {
        if (closed) return;
        refundOrders();
        const open = pendingIntents(db);
        if (open.length === 0) return;
        return recoverIntents(ctx, open).then((r) => logger.info(r, 'payment-code sweep'));
      })
      .catch((err: unknown) => logger.error({ err }, 'payment-code sweep failed'));
  }, timingOf(ctx).sweepMs);
  sweeper.unref();
  // A promotion that opens or closes by its time window (19:30 markdown) re-prices the open
  // cart with a note within repriceMs, without the cashier touching it; rules arriving by sync
  // re-price at once (rulesChanged above).
  function repriceQuietly(): void {
    try {
      repriceOpenCart(ctx);
    } catch (err) {
      logger.error({ err }, 'open cart re-price failed');
    }
  }
  const repricer = setInterval(() => {
    if (!closed) repriceQuietly();
  }, opts.repriceMs ?? 5000);
  repricer.unref();
  search = new ProductSearch(db);
  face = new FaceService({
    db,
    dataDir: opts.dataDir,
    terminalId,
    clock,
    logger,
    embedder: () => opts.faceEmbedder?.() ?? null,
    directory: replicaMemberDirectory(sync?.outbox ?? null, storeId),
  });
  const handlers = createHandlers({
    face,
    ctx,
    search,
    version: CORE_VERSION,
    sync,
    saleRecords,
    devices: () => opts.devices?.() ?? null,
    labelPrinter: () => opts.labelPrinter?.() ?? null,
    reports: { rollups: opts.reportRollups !== false },
    members: {
      chainPublicKey: () => opts.memberCodePublicKey ?? pairedPublicKey(sync),
      lookupRemote: sync ? (q) => sync.lookupMember(q) : null,
      useCodeAtHub: sync ? (code) => sync.useMemberCode(code) : null,
    },
    status: async () => {
      const s = { ...(await opts.statusProvider?.()) };
      if (!s.sync && sync) s.sync = await sync.status();
      const syncNow = s.sync ?? {
        state: 'disabled' as const,
        pendingOps: 0,
        lastSyncAt: null,
        lagSeconds: null,
        message: null,
      };
      return {
        // Online = the last sync round reached the hub or the cloud (issue 13 item 4: this was never filled).
        online: s.online ?? (syncNow.lastSyncAt !== null && (syncNow.state === 'ok' || syncNow.state === 'pending')),
        sync: syncNow,
        devices: s.devices ?? [],
      };
    },
  });
  // Build the search index off the start-up path, before the first cashier types.
  setTimeout(() => {
    if (!closed) search?.warm();
  }, 0).unref();
  // Stored value and points are held at the store hub before a sale commits; a till that cannot
  // reach its hub spends offline, within the daily cap (app/core/stored-value/hub-holds.ts).
  if (sync)
    bindLoyaltyHub(db, {
      post: (path, body) => sync.client.postToPeer('hub', path, body),
      syncNow: () => sync.client.syncNow(),
    });
  sync?.start();
  // The cloud's fleet view: this till's version and device alerts, via its hub.
  const stopFleetReport = sync
    ? startTillFleetReport({
        sync,
        devices: async () => (await opts.statusProvider?.())?.devices ?? [],
        version: pkg.version,
        logger,
      })
    : null;

  /** What a session whose PIN was reset may still do: choose a new PIN, see who it is, log out. */
  const PIN_CHANGE_METHODS: ReadonlySet<MethodName> = new Set(['auth.setPin', 'auth.whoami', 'auth.logout']);

  async function call<M extends MethodName>(
    method: M,
    input: unknown,
    callCtx: CallOptions,
  ): Promise<RpcResult<MethodOutput<M>>> {
    try {
      if (closed) throw new PosError('INTERNAL', 'The terminal core is shut down');
      if (typeof method !== 'string' || !isMethodName(method))
        throw new PosError('NOT_FOUND', `Unknown method ${String(method)}`);
      const roles: 'public' | readonly Role[] = methods[method].roles;
      const parsed = parseMethodInput(method, input ?? {});
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        throw new PosError('BAD_INPUT', {
          reason: 'schema',
          fields: issues.map((i) => `${i.path || '(input)'}: ${i.message}`).join('; '),
          issues,
        });
      }
      const call: CallContext = { staff: null, token: callCtx?.token };
      if (roles !== 'public' && !callCtx?.internal) {
        const staff = resolveSession(db, callCtx?.token, clock());
        if (!roles.includes(staff.role)) {
          throw new PosError('FORBIDDEN', { reason: 'role', role: staff.role, method });
        }
        if (staff.mustChangePin && !PIN_CHANGE_METHODS.has(method)) throw new PosError('PIN_CHANGE_REQUIRED');
        call.staff = staff;
      }
      const handler: Handler<M> = handlers[method];
      const out = await handler(parsed.data, call);
      return Object.assign({ ok: true as const }, out);
    } catch (err) {
      if (err instanceof PosError) {
        const error =
          err.details === undefined
            ? { code: err.code, message: err.message }
            : { code: err.code, message: err.message, details: err.details };
        return { ok: false, error };
      }
      logger.error({ err, method }, 'unexpected error in terminal core');
      return { ok: false, error: { code: 'INTERNAL', message: errorText('INTERNAL', undefined, 'en') } };
    }
  }

  return {
    call,
    events,
    terminalId,
    storeId,
    version: CORE_VERSION,
    catalogChanged() {
      search?.invalidate();
    },
    ready: recovery.then(() => undefined),
    sync,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweeper);
      clearInterval(repricer);
      await refunding;
      stopFleetReport?.();
      if (sync) await sync.stop().catch((err: unknown) => logger.error({ err }, 'stopping sync failed'));
      journal.close();
      try {
        db.close();
      } catch (err) {
        logger.error({ err }, 'closing the database failed');
      }
    },
  };
}

/** The cloud's public key from the stored sync credential, once the till has paired. */
function pairedPublicKey(sync: TerminalSync | null): string | null {
  const raw = sync?.outbox.storage.getMetaSync('sync.credential');
  if (!raw) return null;
  try {
    const k = (JSON.parse(raw) as { publicKey?: unknown }).publicKey;
    return typeof k === 'string' ? k : null;
  } catch {
    return null;
  }
}
