// Composition of one till: the terminal core plus its store devices. Both transports (the web
// host and Electron main) open the till through here, so printing, drawer kicks, device status
// and hardware scans behave the same in either mode. The core itself stays free of devices.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino, { type Logger } from 'pino';
import type { MethodName, ReturnRecord, TerminalStatus, TillEvent } from '../contract';
import {
  buildRefundSlipDocument,
  openTerminalCore,
  type CallOptions,
  type CoreSyncOptions,
  type FaceEmbedder,
  type TerminalCore,
  type TillDevices,
} from '../core';
import {
  createDeviceHub,
  PaymentGatewayEmulator,
  PrinterEmulator,
  type DeviceHub,
  type DeviceStatusLine,
  type ScanEvent,
} from '../../drivers';
import {
  AlipayF2FProvider,
  paymentProviderFromFiles,
  WalletRouter,
  WechatPayV2Provider,
  type PaymentCodeProvider,
  type PaymentGatewayFiles,
} from '../core';
import { createTillDevices } from './till-devices';
import { openShelfLabelPrinter } from './shelf-label-printer';
import { createTillFaceEmbedder } from './face-embedder';
import { loadDisplayKey, rotateDisplayKey } from './display-key';

/**
 * - `none`: no devices (tests, back-office only machines).
 * - `emulated`: a receipt-printer emulator on loopback; receipts land in `<dataDir>/emulated-printer/`.
 * - `configured`: the devices stored for this terminal (set up with the `pos` CLI), plus `printer` if given.
 * - `auto`: `configured` when this terminal has a receipt printer set up or `printer` is given, else `emulated`
 *   (plus whatever other devices are set up).
 */
export type DeviceMode = 'none' | 'emulated' | 'configured' | 'auto';

export interface OpenTillOptions {
  dataDir: string;
  terminalId?: string;
  storeId?: string;
  seedDemo?: boolean;
  devices?: DeviceMode;
  /** A receipt printer URI (tcp://host:9100, serial:/dev/ttyUSB0?baud=9600, usb:/dev/usb/lp0). */
  printer?: string;
  /** A scale URI (serial:/dev/ttyUSB1?baud=9600); the entries pass POS_SCALE (till-settings.ts). */
  scale?: string;
  /** The shelf-label printer (POS_LABEL_PRINTER, tcp/serial/usb URI) and its language (POS_LABEL_LANGUAGE). */
  labelPrinter?: { uri: string; language: 'tspl' | 'zpl' };
  logger?: Logger;
  /** Replicate through the store hub and/or cloud (see syncSettingsFromEnv); off when absent. */
  sync?: CoreSyncOptions;
  /** How often the sync state is polled for `sync.status` events (default 3 s). */
  syncStatusIntervalMs?: number;
  /**
   * Payment codes (docs/payments.md): `auto` uses the gateways set up by POS_WECHATPAY /
   * POS_ALIPAY, else the built-in gateway emulators on 127.0.0.1 (no money moves);
   * `emulated` always the emulators; `sandbox` the in-process SANDBOX stand-in (quick demos,
   * tests). Default (the entries pass POS_PAYMENTS): `auto` when devices are `auto`/`emulated`, else `sandbox`.
   */
  payments?: PaymentMode;
  /** The real gateways' settings files (POS_WECHATPAY / POS_ALIPAY), used in `auto` mode. */
  paymentGateways?: PaymentGatewayFiles;
  /** Face lookup models (default: the ONNX models of models/, loaded on first use); `false` turns face lookup off. */
  face?: FaceEmbedder | false;
}

export type PaymentMode = 'auto' | 'emulated' | 'sandbox';

async function paymentCodes(
  mode: PaymentMode,
  logger: Logger,
  gateways?: PaymentGatewayFiles,
): Promise<{ provider: PaymentCodeProvider | undefined; emulator: PaymentGatewayEmulator | null }> {
  if (mode === 'sandbox') {
    logger.warn('payment codes: SANDBOX stand-in — nothing is charged, no gateway protocol is spoken');
    return { provider: undefined, emulator: null };
  }
  const configured = mode === 'auto' ? paymentProviderFromFiles(gateways) : null;
  if (configured) {
    logger.info('payment codes: gateways from POS_WECHATPAY / POS_ALIPAY');
    return { provider: configured, emulator: null };
  }
  const emulator = new PaymentGatewayEmulator();
  await emulator.listen();
  logger.info(
    { wechat: emulator.wechatBaseUrl, alipay: emulator.alipayGatewayUrl },
    'payment codes: built-in gateway EMULATORS on 127.0.0.1 — no money moves',
  );
  const provider = new WalletRouter(
    {
      wechat: new WechatPayV2Provider({
        baseUrl: emulator.wechatBaseUrl,
        appId: emulator.wechatAppId,
        mchId: emulator.wechatMchId,
        apiKey: emulator.wechatApiKey,
      }),
      alipay: new AlipayF2FProvider({
        gatewayUrl: emulator.alipayGatewayUrl,
        appId: emulator.alipayAppId,
        privateKey: emulator.alipayAppPrivateKey!,
        alipayPublicKey: emulator.alipayPublicKey,
      }),
    },
    'emulator',
  );
  return { provider, emulator };
}

export interface Till {
  core: TerminalCore;
  hub: DeviceHub | null;
  /** The built-in payment gateway emulators, when payment codes are emulated (tests flip its fault switches). */
  paymentGateway: PaymentGatewayEmulator | null;
  /** The built-in printer emulator, when devices are emulated (technicians and tests read its receipts). */
  emulator: PrinterEmulator | null;
  emulatedPrinterUri: string | null;
  /**
   * Read-only key of the customer display feed (the customer-facing screen: current line,
   * total, WeCom QR). Kept in the data dir across restarts (display-key.ts); the display page
   * gets it from `display.link`; a technician rotates it with `display.rotateKey`.
   */
  readonly displayKey: string;
  close(): Promise<void>;
}

// Originals of sales this recent are (re)queued at start-up; the hub queues an original at most
// once per sale, so this only fills the gap of a crash between the sale commit and its print job.
const REPRINT_GAP_MS = 10 * 60_000;

export async function openTill(opts: OpenTillOptions): Promise<Till> {
  const logger = opts.logger ?? pino({ level: 'info' });
  mkdirSync(opts.dataDir, { recursive: true });
  let displayKey = loadDisplayKey(opts.dataDir);
  let deviceStatus: () => Pick<TerminalStatus, 'devices'> = () => ({ devices: [] });
  // Bound once the hub is up; until then (and with devices 'none') device calls answer DEVICE_UNAVAILABLE.
  let tillDevices: TillDevices | null = null;
  const payMode: PaymentMode =
    opts.payments ?? (opts.devices === 'auto' || opts.devices === 'emulated' ? 'auto' : 'sandbox');
  const payments = await paymentCodes(payMode, logger, opts.paymentGateways);
  const paymentGateway = payments.emulator;
  const ownFace = opts.face === undefined ? createTillFaceEmbedder() : null;
  const face = opts.face === false ? null : (opts.face ?? ownFace);
  const labelPrinter = opts.labelPrinter
    ? openShelfLabelPrinter(opts.labelPrinter.uri, opts.labelPrinter.language)
    : null;
  const core: TerminalCore = openTerminalCore({
    faceEmbedder: () => face,
    dataDir: opts.dataDir,
    terminalId: opts.terminalId,
    storeId: opts.storeId,
    seedDemo: opts.seedDemo,
    logger,
    sync: opts.sync,
    paymentProvider: payments.provider,
    devices: () => tillDevices,
    labelPrinter: () => labelPrinter,
    statusProvider: async () => ({ ...deviceStatus(), ...(core.sync ? { sync: await core.sync.status() } : {}) }),
  });
  await core.ready;
  const stopSyncEvents = watchSyncStatus(core, opts.syncStatusIntervalMs ?? 3000, logger);
  const mode = opts.devices ?? 'none';
  if (mode === 'none')
    return {
      core,
      hub: null,
      emulator: null,
      paymentGateway,
      emulatedPrinterUri: null,
      get displayKey() {
        return displayKey;
      },
      close: async () => {
        stopSyncEvents();
        await core.close();
        await labelPrinter?.close();
        await paymentGateway?.close();
        await ownFace?.close();
      },
    };

  // A second connection on the same WAL database: the hub keeps its config and print queue there.
  const db = new Database(join(opts.dataDir, 'terminal.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  const hub = createDeviceHub({
    db,
    config: { terminalId: core.terminalId, lang: 'zh-CN' },
    logger: logger.child({ module: 'devices' }),
  });

  let emulator: PrinterEmulator | null = null;
  // The built-in emulator's entry points at a port of an earlier start: it does not count as a
  // device set up for this terminal, and is dropped when the emulator is not used this time.
  const stale = hub.configStore.list().filter((c) => c.options.emulated === true);
  // auto uses the emulator when no real receipt printer is set up (a scale or scanner alone does not print).
  const hasConfigured = hub.configStore.list().some((c) => c.kind === 'printer' && c.options.emulated !== true);
  const useEmulator = mode === 'emulated' || (mode === 'auto' && !hasConfigured && !opts.printer);
  if (!useEmulator) for (const c of stale) hub.configStore.remove(c.deviceId);
  if (useEmulator) {
    // One folder per start: the emulator numbers receipts from 0001 each time it starts.
    const outDir = join(opts.dataDir, 'emulated-printer', new Date().toISOString().replace(/[:.]/g, '-'));
    emulator = new PrinterEmulator({ port: 0, outDir });
    await emulator.start();
    await hub.configure({
      deviceId: 'receipt-printer',
      kind: 'printer',
      uri: emulator.uri!,
      options: { emulated: true },
    });
    logger.info({ uri: emulator.uri }, 'no receipt printer configured: printing to the built-in emulator');
  } else if (opts.printer) {
    await hub.configure({ deviceId: 'receipt-printer', kind: 'printer', uri: opts.printer });
  }
  if (opts.scale) await hub.configure({ deviceId: 'scale', kind: 'scale', uri: opts.scale });

  // `status` is the code the screens translate; `message` stays English for API users.
  const onStatus = (l: DeviceStatusLine) => {
    core.events.emit('event', {
      type: 'device.status',
      device: { id: l.id, kind: l.kind, status: l.status, message: l.message },
    } satisfies TillEvent);
  };
  hub.on('device.status', onStatus);
  deviceStatus = () => ({
    devices: hub.statusLines().map((l) => ({ id: l.id, kind: l.kind, status: l.status, message: l.message })),
  });
  await hub.start();
  tillDevices = createTillDevices({
    hub,
    displayKey: () => displayKey,
    rotateDisplayKey: () => (displayKey = rotateDisplayKey(opts.dataDir)),
  });

  const print = async (saleId: string, reprint: boolean): Promise<void> => {
    const sale = await core.call('sales.get', { id: saleId }, { internal: true });
    const receipt = await core.call('sales.receipt', { id: saleId }, { internal: true });
    if (!sale.ok || !receipt.ok || !receipt.receipt.document) return;
    const kickDrawer = !reprint && sale.sale.tenders.some((t) => t.type === 'cash');
    try {
      hub.printReceipt(receipt.receipt.document, { saleId, reprint, kickDrawer });
    } catch (err) {
      // No printer set up: the sale stands; the cashier sees the device status and can reprint.
      logger.warn({ err, saleId }, 'receipt not queued');
    }
  };
  // A refund prints its slip through the same durable queue; cash going back kicks the drawer,
  // so the cashier needs no second no-sale to hand the money over (issue 13 item 1).
  const printRefundSlip = async (refund: ReturnRecord): Promise<void> => {
    const sale = await core.call('sales.get', { id: refund.saleId }, { internal: true });
    const cfg = await core.call('config.get', {}, { internal: true });
    if (!sale.ok || !cfg.ok) return;
    const doc = buildRefundSlipDocument({
      sale: sale.sale,
      refund,
      storeName: cfg.config.storeName,
      lang: cfg.config.lang,
      timeZone: cfg.config.timeZone,
    });
    const kickDrawer = refund.tenders.some((t) => t.type === 'cash' && t.amount > 0);
    try {
      hub.printReceipt(doc, { saleId: `return:${refund.id}`, kickDrawer, staffId: refund.approvedBy.id });
    } catch (err) {
      logger.warn({ err, returnId: refund.id }, 'refund slip not queued');
    }
  };
  const onEvent = (e: TillEvent) => {
    if (e.type === 'sale.completed')
      print(e.saleId, false).catch((err: unknown) => logger.error({ err }, 'printing failed'));
  };
  core.events.on('event', onEvent);
  // Hardware scanners (HID, serial) reach the screen as events; the renderer treats them like a
  // wedge scan, so the same screen-specific action (cart, returns) applies.
  const onScan = (scan: ScanEvent) => {
    core.events.emit('event', {
      type: 'device.scan',
      scan: { data: scan.data, symbology: scan.symbology, source: scan.source },
    } satisfies TillEvent);
  };
  hub.on('scan', onScan);

  // Fill the gap of a crash between a sale's commit and its print job.
  const recent = await core.call('sales.list', { limit: 20 }, { internal: true });
  if (recent.ok) {
    const since = Date.now() - REPRINT_GAP_MS;
    for (const s of recent.sales) if (Date.parse(s.createdAt) >= since) await print(s.id, false);
  }

  // Order papers (pick list, bag label, leader manifest) and the receiving note go to the receipt
  // printer unless the caller asked for `print: false`; `printed` tells the screen whether they
  // were queued.
  const ORDER_PAPERS: Partial<Record<MethodName, string>> = {
    'orders.pickList': 'printout',
    'orders.ready': 'label',
    'orders.leaderPickup': 'manifest',
    'stock.receive': 'note',
  };
  const printOrderPaper = (method: MethodName, input: unknown, result: Record<string, unknown>): void => {
    const field = ORDER_PAPERS[method];
    if (!field || (input as { print?: unknown } | null)?.print === false) return;
    const paper = result[field] as { document?: string; printed?: boolean } | null | undefined;
    if (!paper?.document) return;
    try {
      hub.printReceipt(paper.document, { saleId: `${method}-${Date.now()}` });
      paper.printed = true;
    } catch (err) {
      logger.warn({ err, method }, 'order paper not queued');
    }
  };
  // Reprints go to paper too: wrap the core's call so the transport adapters stay thin.
  const call = core.call.bind(core);
  const wrapped: TerminalCore['call'] = async (method, input, ctx: CallOptions) => {
    const result = await call(method, input, ctx);
    if (result.ok) printOrderPaper(method as MethodName, input, result as unknown as Record<string, unknown>);
    if ((method as MethodName) === 'returns.create' && result.ok) {
      const refund = (result as unknown as { return: ReturnRecord }).return;
      await printRefundSlip(refund).catch((err: unknown) => logger.error({ err }, 'refund slip failed'));
    }
    if ((method as MethodName) === 'sales.reprint' && result.ok) {
      const receipt = (result as unknown as { receipt: { saleId: string; document?: string } }).receipt;
      if (receipt.document) {
        try {
          hub.printReceipt(receipt.document, { saleId: receipt.saleId, reprint: true });
        } catch (err) {
          logger.warn({ err }, 'reprint not queued');
        }
      }
    }
    return result;
  };
  const till = Object.create(core) as TerminalCore;
  Object.defineProperty(till, 'call', { value: wrapped });

  return {
    core: till,
    hub,
    emulator,
    paymentGateway,
    emulatedPrinterUri: emulator?.uri ?? null,
    get displayKey() {
      return displayKey;
    },
    close: async () => {
      stopSyncEvents();
      tillDevices = null;
      core.events.off('event', onEvent);
      hub.off('scan', onScan);
      hub.off('device.status', onStatus);
      await hub.stop();
      await emulator?.stop();
      db.close();
      await core.close();
      await labelPrinter?.close();
      await paymentGateway?.close();
      await ownFace?.close();
    },
  };
}

/**
 * Polls the sync state and emits a `sync.status` TillEvent when what the cashier sees changes
 * (state, pending count, message), so the banner updates without the screen polling.
 */
function watchSyncStatus(core: TerminalCore, intervalMs: number, logger: Logger): () => void {
  const sync = core.sync;
  if (!sync) return () => {};
  let last = '';
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    sync
      .status()
      .then((s) => {
        const key = JSON.stringify([s.state, s.pendingOps, s.message]);
        if (key === last) return;
        last = key;
        core.events.emit('event', { type: 'sync.status', sync: s } satisfies TillEvent);
      })
      .catch((err: unknown) => logger.warn({ err }, 'reading the sync status failed'))
      .finally(() => {
        busy = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
