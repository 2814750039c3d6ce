// ESC/POS receipt printer device (with its cash drawer on the kick-out connector). Status
// comes from DLE EOT polls and Automatic Status Back; printJob() resolves only when the
// printer acknowledges the job with its in-order GS r 1 reply, i.e. after it has printed it.
import {
  applyRealtimeStatus,
  automaticStatusBack,
  drawerKick,
  parseAsb,
  readyToPrint,
  realtimeStatus,
  StatusReplyParser,
  statusCode,
  statusMessage,
  transmitPaperStatus,
  UNKNOWN_STATUS,
  type PrinterStatus,
  type StatusCode,
} from '../escpos';
import { PosDevice, type BaseDeviceEvents } from '../device';
import type { Transport } from '../transports';

export interface PrinterStatusEvent {
  status: StatusCode;
  message: string | null;
  detail: PrinterStatus;
}

export interface ReceiptPrinterEvents extends BaseDeviceEvents {
  statusUpdate: [PrinterStatusEvent];
  data: [Buffer];
}

export interface ReceiptPrinterOptions {
  /** How long a status query may take before the printer counts as not answering. */
  statusTimeoutMs?: number;
  /** While waiting for a job's acknowledgement, poll status this often (cover/paper events). */
  pollMs?: number;
  /** Give up waiting for an acknowledgement after this long while the printer says it is ready. */
  ackTimeoutMs?: number;
  drawer?: { pin?: 2 | 5; onMs?: number; offMs?: number };
  /**
   * false for one-way printers (status commands switched off, or a link that cannot carry
   * replies): status is assumed fine and a job counts as done once written — at-most-once,
   * a receipt lost in the printer (paper out) is not resent. Default: true unless the
   * transport says it cannot read replies.
   */
  bidirectional?: boolean;
}

export class PrinterError extends Error {
  constructor(
    readonly code: 'PRINTER_DISCONNECTED' | 'PRINTER_NO_ANSWER' | 'PRINTER_NO_ACK',
    message: string,
  ) {
    super(message);
    this.name = 'PrinterError';
  }
}

export class ReceiptPrinter extends PosDevice<ReceiptPrinterEvents> {
  readonly kind = 'printer' as const;
  private parser = new StatusReplyParser();
  private current: PrinterStatus = { ...UNKNOWN_STATUS };
  private lastCode: StatusCode | null = null;
  private realtimeWaiters: ((byte: number) => void)[] = [];
  private ackWaiters: ((byte: number) => void)[] = [];
  private statusChain: Promise<unknown> = Promise.resolve();
  private asbSeq = 0;
  private readonly opts: Required<Omit<ReceiptPrinterOptions, 'drawer' | 'bidirectional'>> & {
    drawer: ReceiptPrinterOptions['drawer'];
    bidirectional: boolean | undefined;
  };

  constructor(id: string, transport: Transport, opts: ReceiptPrinterOptions = {}) {
    super(id, transport);
    this.opts = {
      statusTimeoutMs: opts.statusTimeoutMs ?? 1500,
      pollMs: opts.pollMs ?? 500,
      ackTimeoutMs: opts.ackTimeoutMs ?? 30_000,
      drawer: opts.drawer,
      bidirectional: opts.bidirectional,
    };
    transport.on('close', () => {
      this.parser = new StatusReplyParser();
      this.realtimeWaiters = [];
      this.publish({ ...this.current, online: false }, false);
    });
  }

  get lastStatus(): PrinterStatus {
    return this.current;
  }

  /** Whether the printer can answer status queries and acknowledge jobs over this link. */
  get bidirectional(): boolean {
    return this.opts.bidirectional ?? this.transport.readsReplies !== false;
  }

  protected override async onEnabled(): Promise<void> {
    if (this.bidirectional) await this.transport.write(automaticStatusBack(0x0f));
    else this.publish({ ...UNKNOWN_STATUS, online: true }, true);
  }

  protected onData(d: Buffer): void {
    this.emit('data', d);
    for (const r of this.parser.push(d)) {
      if (r.kind === 'realtime') this.realtimeWaiters.shift()?.(r.byte);
      else if (r.kind === 'asb') {
        this.asbSeq++;
        this.publish(parseAsb(r.packet), true);
      } else if (r.kind === 'paper') this.ackWaiters.shift()?.(r.byte);
    }
  }

  private publish(s: PrinterStatus, connected: boolean): void {
    this.current = s;
    const code = statusCode(s, connected);
    if (code === this.lastCode) return;
    this.lastCode = code;
    this.emit('statusUpdate', { status: code, message: code === 'ok' ? null : statusMessage(code), detail: s });
  }

  /**
   * Sends several DLE EOT queries in one write and collects their replies, which real-time
   * commands return in order: one round trip instead of three.
   */
  private realtime(ns: readonly (1 | 2 | 3 | 4)[]): Promise<number[]> {
    return new Promise((resolve, reject) => {
      const replies: number[] = [];
      const waiters = ns.map(() => (byte: number) => {
        replies.push(byte);
        if (replies.length === ns.length) {
          clearTimeout(timer);
          resolve(replies);
        }
      });
      const timer = setTimeout(() => {
        this.realtimeWaiters = this.realtimeWaiters.filter((w) => !waiters.includes(w));
        reject(new PrinterError('PRINTER_NO_ANSWER', `${this.id} did not answer a status query`));
      }, this.opts.statusTimeoutMs);
      this.realtimeWaiters.push(...waiters);
      this.transport.write(Buffer.concat(ns.map((n) => realtimeStatus(n)))).catch((e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  /** DLE EOT 1, 2, 4: online, cover/paper-out/error, paper sensors. Serialised so replies pair with queries. */
  queryStatus(): Promise<PrinterStatus> {
    const run = async (): Promise<PrinterStatus> => {
      if (!this.transport.isOpen) {
        this.publish({ ...this.current, online: false }, false);
        throw new PrinterError('PRINTER_DISCONNECTED', `${this.id} is not connected`);
      }
      if (!this.bidirectional) return { ...UNKNOWN_STATUS, online: true };
      const seq = this.asbSeq;
      let s: PrinterStatus = { ...this.current };
      const order = [1, 2, 4] as const;
      const replies = await this.realtime(order);
      order.forEach((n, i) => {
        s = applyRealtimeStatus(s, n, replies[i]!);
      });
      // An ASB packet that arrived meanwhile is newer than part of our answers: trust it.
      if (seq !== this.asbSeq) return this.current;
      this.publish(s, true);
      return s;
    };
    const p = this.statusChain.then(run, run);
    this.statusChain = p.catch(() => undefined);
    return p;
  }

  /**
   * Sends one job and waits until the printer has processed all of it. The bytes must end with
   * GS r 1 (encodeReceipt does this; raw jobs get it appended). Rejects if the link drops.
   */
  async printJob(jobId: string, bytes: Uint8Array): Promise<void> {
    this.assertEnabled();
    const tail = transmitPaperStatus();
    const payload = Buffer.from(bytes);
    const body = payload.subarray(payload.length - 3).equals(tail) ? payload.subarray(0, payload.length - 3) : payload;
    // Re-arm ASB (a raw job may have sent GS a 0 or ESC @ on printers that reset it), then the ack.
    const data = Buffer.concat([body, automaticStatusBack(0x0f), tail]);
    if (!this.bidirectional) {
      try {
        await this.transport.write(body);
      } catch (e) {
        throw new PrinterError('PRINTER_DISCONNECTED', (e as Error).message);
      }
      this.emit('outputComplete', jobId);
      return;
    }
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      let readySince = Date.now();
      const done = (err?: Error) => {
        if (settled) return;
        settled = true;
        clearInterval(poll);
        this.transport.off('close', onClose);
        const i = this.ackWaiters.indexOf(onAck);
        if (i >= 0) this.ackWaiters.splice(i, 1);
        if (err) reject(err);
        else resolve();
      };
      const onAck = () => done();
      const onClose = () =>
        done(new PrinterError('PRINTER_DISCONNECTED', `${this.id} disconnected during job ${jobId}`));
      // Polling keeps the cashier informed (cover opened mid-receipt...) while we wait.
      const poll = setInterval(() => {
        this.queryStatus().then(
          (s) => {
            if (!readyToPrint(s)) readySince = Date.now();
            else if (Date.now() - readySince > this.opts.ackTimeoutMs)
              done(new PrinterError('PRINTER_NO_ACK', `${this.id} did not confirm job ${jobId}`));
          },
          () => {
            /* no answer: keep waiting while the link is up */
          },
        );
      }, this.opts.pollMs);
      this.ackWaiters.push(onAck);
      this.transport.once('close', onClose);
      this.transport.write(data).catch((e: Error) => done(new PrinterError('PRINTER_DISCONNECTED', e.message)));
    });
    this.emit('outputComplete', jobId);
  }

  /** Pulse the drawer kick-out connector (ESC p). */
  async kickDrawer(opts: { pin?: 2 | 5; onMs?: number; offMs?: number } = {}): Promise<void> {
    this.assertEnabled();
    const d = { ...this.opts.drawer, ...opts };
    await this.transport.write(drawerKick(d.pin ?? 2, d.onMs ?? 100, d.offMs ?? 200));
  }
}
