// Device hub: the one object the terminal core owns for all its devices. It reads the
// terminal's device configuration from SQLite, keeps every device connected (reconnect with
// backoff), runs the durable print queue, and turns device events into plain status lines
// (English + zh-CN) for the till and TerminalStatus.devices.
import { EventEmitter } from 'node:events';
import type Database from 'better-sqlite3';
import { Reconnector, type DeviceError, type PosDevice } from '../device';
import {
  encodeReceipt,
  statusCode,
  statusMessage,
  testReceipt,
  type EncodeOptions,
  type PrinterEncoding,
  type ReceiptDocument,
  type ReceiptWidth,
  type StatusCode,
} from '../escpos';
import { PrintQueue, ReceiptPrinter, type PrinterStatusEvent } from '../printer';
import { Scale, ScaleError, type WeightReading } from '../scale';
import { BarcodeScanner, type ScanEvent, type ScannerProtocol } from '../scanner';
import { PoleDisplay } from '../display';
import {
  createDeviceTables,
  DeviceConfigStore,
  PrintJobStore,
  type DeviceConfig,
  type DeviceConfigInput,
  type PrintJob,
} from '../storage';
import { createTransport, parseDeviceUri, type TransportBindings } from '../transports';
import { discoverDevices, type DiscoveredDevice } from '../discovery';

export interface DeviceLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DeviceHubConfig {
  terminalId: string;
  /** Seeds device_config when this terminal has none yet (first start after pairing). */
  devices?: DeviceConfigInput[];
  receiptWidth?: ReceiptWidth;
  encoding?: PrinterEncoding;
  drawer?: { pin?: 2 | 5; onMs?: number; offMs?: number };
  lang?: 'zh-CN' | 'en';
  backoff?: { minMs?: number; maxMs?: number };
  /**
   * A device still not connected this long after it was started is reported `not_found` (issue 13
   * item 19: a scale at a missing port said "connecting" for ever). Default 8 s. Retries go on.
   */
  notFoundAfterMs?: number;
}

/** A device's state: `status` is a stable code the UI translates; `message` is English, for logs and API users. */
export interface DeviceStatusLine {
  id: string;
  kind: string;
  status: string;
  message: string | null;
}

export interface DeviceHubEvents {
  scan: [ScanEvent];
  weight: [WeightReading];
  'device.status': [DeviceStatusLine];
  printed: [{ jobId: string; saleId: string | null; reprint: boolean }];
  'print.failed': [{ jobId: string; saleId: string | null; error: string | null }];
  /** Bad input from a device (garbage scan, unreadable scale frame): logged, device stays usable. */
  'device.error': [DeviceError & { id: string }];
}

export type DeviceHubErrorCode =
  | 'PRINTER_NOT_CONFIGURED'
  | 'DRAWER_UNAVAILABLE'
  | 'PRINTER_NOT_READY'
  | 'DEVICE_NOT_FOUND'
  | 'SCALE_NOT_CONFIGURED'
  | 'DISPLAY_NOT_CONFIGURED';

/** Why the drawer cannot open (DRAWER_UNAVAILABLE). */
export type DrawerUnavailableReason = 'no-drawer' | 'printer-disconnected' | 'printer-silent';

export interface DeviceHubErrorDetails {
  reason?: DrawerUnavailableReason;
  /** For PRINTER_NOT_READY: what the printer reported (cover_open, paper_out, offline, error). */
  status?: StatusCode;
  deviceId?: string;
}

/** English words for logs and the CLI; the till's screens translate code + details. */
function hubErrorMessage(code: DeviceHubErrorCode, d: DeviceHubErrorDetails): string {
  switch (code) {
    case 'PRINTER_NOT_CONFIGURED':
      return 'No receipt printer is set up for this till.';
    case 'DEVICE_NOT_FOUND':
      return `No receipt printer "${d.deviceId ?? ''}" is set up.`;
    case 'SCALE_NOT_CONFIGURED':
      return 'No scale is set up for this till.';
    case 'DISPLAY_NOT_CONFIGURED':
      return 'No customer display is set up for this till.';
    case 'PRINTER_NOT_READY':
      return `Cash drawer cannot be opened: ${statusMessage(d.status ?? 'error')}`;
    case 'DRAWER_UNAVAILABLE':
      return d.reason === 'printer-disconnected'
        ? 'Cash drawer cannot be opened: its printer is not connected. Check the cable or network.'
        : d.reason === 'printer-silent'
          ? 'Cash drawer cannot be opened: the printer does not answer. Check that it is switched on.'
          : 'No cash drawer is set up: it needs a receipt printer (or a drawer device).';
  }
}

export class DeviceHubError extends Error {
  readonly status?: StatusCode;
  constructor(
    readonly code: DeviceHubErrorCode,
    readonly details: DeviceHubErrorDetails = {},
  ) {
    super(hubErrorMessage(code, details));
    this.name = 'DeviceHubError';
    if (details.status) this.status = details.status;
  }
}

interface Managed {
  config: DeviceConfig;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  device: PosDevice<any>;
  link: Reconnector;
  line: DeviceStatusLine;
  queue?: PrintQueue;
  notFoundTimer?: NodeJS.Timeout;
}

const OWNER = 'till';

export class DeviceHub extends EventEmitter {
  readonly configStore: DeviceConfigStore;
  readonly jobs: PrintJobStore;
  private readonly managed = new Map<string, Managed>();
  private started = false;

  constructor(
    private readonly db: Database.Database,
    private readonly config: DeviceHubConfig,
    private readonly logger: DeviceLogger,
    private readonly bindings: TransportBindings = {},
  ) {
    super();
    this.on('error', () => {});
    createDeviceTables(db);
    this.configStore = new DeviceConfigStore(db, config.terminalId);
    this.jobs = new PrintJobStore(db);
    if (this.configStore.list().length === 0) for (const d of config.devices ?? []) this.configStore.upsert(d);
  }

  override on<K extends keyof DeviceHubEvents>(
    event: K | 'error',
    listener: (...args: DeviceHubEvents[K]) => void,
  ): this {
    return super.on(event, listener as (...a: unknown[]) => void);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // The first GB18030 encode loads iconv tables and compiles receiptline (~100 ms+): do it
    // now rather than while the first customer waits for a receipt.
    encodeReceipt('预热 warm-up', {
      width: this.config.receiptWidth ?? 80,
      encoding: this.config.encoding ?? 'gb18030',
    });
    for (const c of this.configStore.list()) if (c.enabled) this.add(c);
  }

  async stop(): Promise<void> {
    this.started = false;
    const all = [...this.managed.values()];
    this.managed.clear();
    // Stop the link before waiting for the queue: a job waiting for its acknowledgement ends
    // when the link closes (it stays 'sending' and is resent on the next start).
    for (const m of all) {
      clearTimeout(m.notFoundTimer);
      const q = m.queue?.stop();
      await m.link.stop();
      await q;
    }
  }

  /** Saves a device and (re)starts it. */
  async configure(input: DeviceConfigInput): Promise<DeviceConfig> {
    const c = this.configStore.upsert(input);
    const old = this.managed.get(c.deviceId);
    if (old) {
      this.managed.delete(c.deviceId);
      clearTimeout(old.notFoundTimer);
      const q = old.queue?.stop();
      await old.link.stop();
      await q;
    }
    if (this.started && c.enabled) this.add(c);
    return c;
  }

  /** Stops a device and deletes its configuration. False when it was not configured. */
  async remove(deviceId: string): Promise<boolean> {
    const old = this.managed.get(deviceId);
    if (old) {
      this.managed.delete(deviceId);
      clearTimeout(old.notFoundTimer);
      const q = old.queue?.stop();
      await old.link.stop();
      await q;
    }
    return this.configStore.remove(deviceId);
  }

  /** Configured devices (enabled or not) with their live status line (null when not running). */
  configured(): { config: DeviceConfig; line: DeviceStatusLine | null }[] {
    return this.configStore.list().map((config) => ({ config, line: this.managed.get(config.deviceId)?.line ?? null }));
  }

  /** Attached devices; `probeNetwork: false` skips the TCP probe of configured network printers. */
  discover(opts: { probeNetwork?: boolean } = {}): Promise<DiscoveredDevice[]> {
    const networkPrinters =
      opts.probeNetwork === false
        ? []
        : this.configStore
            .list()
            .filter((c) => c.uri.startsWith('tcp://'))
            .map((c) => c.uri);
    return discoverDevices({ hid: this.bindings.hid, networkPrinters });
  }

  private setLine(m: Managed, status: string, message: string | null): void {
    const changed = m.line.status !== status || m.line.message !== message;
    m.line = { id: m.config.deviceId, kind: m.config.kind, status, message };
    if (changed) {
      this.logger.info({ device: m.config.deviceId, status }, 'device status');
      this.emit('device.status', m.line);
    }
  }

  private add(c: DeviceConfig): void {
    const uri = parseDeviceUri(c.uri);
    const transport = createTransport(uri, this.bindings);
    const o = c.options as Record<string, unknown>;
    let device: Managed['device'];
    switch (c.kind) {
      case 'printer':
      case 'drawer':
        device = new ReceiptPrinter(c.deviceId, transport, {
          drawer: this.config.drawer,
          ackTimeoutMs: typeof o.ackTimeoutMs === 'number' ? o.ackTimeoutMs : undefined,
          bidirectional: typeof o.bidirectional === 'boolean' ? o.bidirectional : undefined,
        });
        break;
      case 'scanner': {
        const protocol =
          (o.protocol as ScannerProtocol | undefined) ?? (c.uri.startsWith('hid:') ? 'hid-pos' : 'serial');
        const terminator =
          (o.terminator as string | undefined) ?? (uri.scheme === 'serial' ? uri.params.terminator : undefined);
        device = new BarcodeScanner(c.deviceId, transport, {
          protocol,
          terminator,
          maxLength: o.maxLength as number | undefined,
        });
        break;
      }
      case 'scale':
        device = new Scale(c.deviceId, transport, { continuous: o.continuous === true });
        break;
      case 'display':
        device = new PoleDisplay(c.deviceId, transport, { cjk: o.cjk !== false });
        break;
    }
    const link = new Reconnector(device, OWNER, this.config.backoff);
    const m: Managed = {
      config: c,
      device,
      link,
      line: { id: c.deviceId, kind: c.kind, status: 'connecting', message: null },
    };
    this.managed.set(c.deviceId, m);
    device.on('connection', (up: boolean) => {
      if (up) this.setLine(m, 'ok', null);
      else
        this.setLine(
          m,
          'disconnected',
          c.kind === 'printer' ? statusMessage('disconnected') : `${c.deviceId} is not connected. Check the cable.`,
        );
    });
    device.on('error', (e: DeviceError) => {
      this.logger.warn({ device: c.deviceId, code: e.code, detail: e.detail }, 'device error');
      this.emit('device.error', { id: c.deviceId, ...e });
    });
    if (device instanceof ReceiptPrinter) {
      device.on('statusUpdate', (s: PrinterStatusEvent) => this.setLine(m, s.status, s.message));
      if (c.kind === 'printer') {
        const queue = new PrintQueue(this.jobs, c.deviceId, device, link);
        queue.on('done', (j: PrintJob) => this.emit('printed', { jobId: j.id, saleId: j.saleId, reprint: j.reprint }));
        queue.on('failed', (j: PrintJob) =>
          this.emit('print.failed', { jobId: j.id, saleId: j.saleId, error: j.lastError }),
        );
        m.queue = queue;
        queue.start();
      }
    } else if (device instanceof BarcodeScanner) {
      device.on('data', (s: ScanEvent) => this.emit('scan', s));
    } else if (device instanceof Scale) {
      device.on('data', (w: WeightReading) => this.emit('weight', w));
    }
    link.start();
    m.notFoundTimer = setTimeout(() => {
      if (m.line.status !== 'connecting' || this.managed.get(c.deviceId) !== m) return;
      const why = link.lastError ? ` (${link.lastError.message})` : '';
      this.setLine(
        m,
        'not_found',
        `${c.deviceId} was not found at ${c.uri}${why}. Check the cable, that it is switched on, and the port in Setup.`,
      );
    }, this.config.notFoundAfterMs ?? 8000);
    m.notFoundTimer.unref?.();
  }

  private first(kind: DeviceConfig['kind']): Managed | undefined {
    return [...this.managed.values()].find((m) => m.config.kind === kind);
  }

  get printer(): ReceiptPrinter | null {
    return (this.first('printer')?.device as ReceiptPrinter | undefined) ?? null;
  }
  get scale(): Scale | null {
    return (this.first('scale')?.device as Scale | undefined) ?? null;
  }
  get display(): PoleDisplay | null {
    return (this.first('display')?.device as PoleDisplay | undefined) ?? null;
  }

  /**
   * Queues a receipt durably and returns at once; the queue prints it when the printer can.
   * Originals are idempotent per sale (a retried payment does not print twice); reprints are
   * always new jobs, marked REPRINT on paper and audited.
   */
  printReceipt(
    doc: string | ReceiptDocument,
    opts: { saleId: string; reprint?: boolean; staffId?: string; kickDrawer?: boolean; printerId?: string },
  ): { jobId: string; queued: boolean } {
    const m = opts.printerId ? this.managed.get(opts.printerId) : this.first('printer');
    if (!m || m.config.kind !== 'printer') throw new DeviceHubError('PRINTER_NOT_CONFIGURED');
    const reprint = opts.reprint ?? (typeof doc === 'object' && doc.reprint === true);
    const enc: EncodeOptions = {
      width: (m.config.options.width as ReceiptWidth | undefined) ?? this.config.receiptWidth ?? 80,
      encoding: (m.config.options.encoding as PrinterEncoding | undefined) ?? this.config.encoding ?? 'gb18030',
      reprint,
      drawerKick: opts.kickDrawer ? (this.config.drawer ?? {}) : false,
    };
    const payload = encodeReceipt(doc, enc);
    const { job, created } = this.jobs.enqueue({
      printerId: m.config.deviceId,
      kind: 'receipt',
      payload,
      saleId: opts.saleId,
      reprint,
      jobKey: reprint ? null : `receipt:${opts.saleId}`,
      staffId: opts.staffId ?? null,
    });
    m.queue?.wake();
    return { jobId: job.id, queued: created };
  }

  /**
   * Queues a test receipt (terminal, printer, URI, width, Chinese sample text, QR) on the given
   * printer or the receipt printer, through the durable queue. Returns its job id.
   */
  testPrint(opts: { printerId?: string; staffId?: string; at?: Date } = {}): { jobId: string } {
    const m = opts.printerId ? this.managed.get(opts.printerId) : this.first('printer');
    if (opts.printerId && (!m || m.config.kind !== 'printer')) {
      throw new DeviceHubError('DEVICE_NOT_FOUND', { deviceId: opts.printerId });
    }
    if (!m || m.config.kind !== 'printer') throw new DeviceHubError('PRINTER_NOT_CONFIGURED');
    const width = (m.config.options.width as ReceiptWidth | undefined) ?? this.config.receiptWidth ?? 80;
    const encoding = (m.config.options.encoding as PrinterEncoding | undefined) ?? this.config.encoding ?? 'gb18030';
    const doc = testReceipt({
      terminalId: this.config.terminalId,
      printerId: m.config.deviceId,
      uri: m.config.uri,
      width,
      encoding,
      at: opts.at ?? new Date(),
    });
    const { job } = this.jobs.enqueue({
      printerId: m.config.deviceId,
      kind: 'receipt',
      payload: encodeReceipt(doc, { width, encoding }),
      staffId: opts.staffId ?? null,
    });
    m.queue?.wake();
    return { jobId: job.id };
  }

  /**
   * Opens the cash drawer now (not queued: a drawer that opens minutes later is worse than an
   * error). Uses a `drawer` device if one is set up, else the receipt printer's kick-out port;
   * pin (2|5) and pulse come from that device's options `pin` / `pulseMs`, else the hub config.
   * A printer that reports cover open, paper out, an error or offline would hold ESC p in its
   * buffer, so the kick is refused with PRINTER_NOT_READY and the printer's own words.
   */
  async kickDrawer(): Promise<{ deviceId: string; pin: 2 | 5; onMs: number; offMs: number }> {
    const m = this.first('drawer') ?? this.first('printer');
    const p = m?.device as ReceiptPrinter | undefined;
    if (!m || !p) throw new DeviceHubError('DRAWER_UNAVAILABLE', { reason: 'no-drawer' });
    if (!m.link.connected) throw new DeviceHubError('DRAWER_UNAVAILABLE', { reason: 'printer-disconnected' });
    let code: StatusCode;
    try {
      code = statusCode(await p.queryStatus(), true);
    } catch {
      throw new DeviceHubError('DRAWER_UNAVAILABLE', { reason: 'printer-silent' });
    }
    if (code !== 'ok' && code !== 'paper_near_end') {
      throw new DeviceHubError('PRINTER_NOT_READY', { status: code });
    }
    const o = m.config.options as Record<string, unknown>;
    const pin: 2 | 5 =
      o.pin === 5 || o.pin === '5' ? 5 : o.pin === 2 || o.pin === '2' ? 2 : (this.config.drawer?.pin ?? 2);
    const onMs = typeof o.pulseMs === 'number' ? o.pulseMs : (this.config.drawer?.onMs ?? 100);
    const offMs = this.config.drawer?.offMs ?? Math.max(200, onMs * 2);
    await p.kickDrawer({ pin, onMs, offMs });
    return { deviceId: m.config.deviceId, pin, onMs, offMs };
  }

  /**
   * A settled weight from the first scale (two identical stable frames). Throws
   * DeviceHubError SCALE_NOT_CONFIGURED, or ScaleError (SCALE_NO_ANSWER when the scale is not
   * connected or silent, SCALE_UNSTABLE, SCALE_NEGATIVE, SCALE_OVERLOAD, SCALE_ZERO_WEIGHT).
   */
  async readWeight(opts: { timeoutMs?: number } = {}): Promise<WeightReading & { deviceId: string }> {
    const m = this.first('scale');
    if (!m) throw new DeviceHubError('SCALE_NOT_CONFIGURED');
    if (!m.link.connected) throw new ScaleError('SCALE_NO_ANSWER');
    try {
      return { ...(await (m.device as Scale).readWeight({ timeoutMs: opts.timeoutMs })), deviceId: m.config.deviceId };
    } catch (err) {
      if (err instanceof ScaleError) throw err;
      throw new ScaleError('SCALE_NO_ANSWER'); // disabled or closed while we asked
    }
  }

  /** One line per device (TerminalStatus.devices): the status code, and English words for logs and API users. */
  status(): { id: string; kind: string; status: string; message: string | null }[] {
    return [...this.managed.values()].map((m) => ({
      id: m.line.id,
      kind: m.line.kind,
      status: m.line.status,
      message: m.line.message,
    }));
  }

  statusLines(): DeviceStatusLine[] {
    return [...this.managed.values()].map((m) => m.line);
  }
}

export interface CreateDeviceHubOptions {
  db: Database.Database;
  config: DeviceHubConfig;
  logger: DeviceLogger;
  bindings?: TransportBindings;
}

/** Composition root for the device layer; the core owns the returned hub and calls start()/stop(). */
export function createDeviceHub({ db, config, logger, bindings }: CreateDeviceHubOptions): DeviceHub {
  return new DeviceHub(db, config, logger, bindings);
}
