// ESC/POS printer emulator shipped with the product: listens on TCP (default 9100) and/or a
// serial port (one end of a socat PTY pair), decodes what it receives into receipts (text
// transcript + SVG/PNG image), answers DLE EOT / GS a / GS r status queries, and can simulate
// cover open, paper near-end/out, offline and a pulled cable. Technicians use it to check a
// till without paper; tests use it as the far end of real sockets and PTYs.
import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { SerialPort } from 'serialport';
import {
  EscPosDecoder,
  encodeAsb,
  encodePaperReply,
  encodeRealtimeReply,
  type EscPosOp,
  type PrinterStatus,
} from '../escpos';
import { ReceiptBuilder, receiptPng, receiptSvg, type RenderedReceipt } from './receipt-render';

export interface PrinterEmulatorOptions {
  host?: string;
  /** TCP port; 0 picks a free one; null disables TCP. Default 9100. */
  port?: number | null;
  /** Serial device path (e.g. the emulator end of a socat PTY pair). */
  serialPath?: string;
  baud?: number;
  cols?: number;
  /** When set, each receipt is written there as NNNN.txt and NNNN.svg (and .png with png: true). */
  outDir?: string;
  png?: boolean;
}

export interface Simulation {
  /** After this many printed lines of the current receipt, run out of paper. */
  paperOutAfterLines?: number;
  coverOpenAfterLines?: number;
  /** After this many lines, drop every connection, lose the buffer and stay away unplugForMs. */
  unplugAfterLines?: number;
  unplugForMs?: number;
}

interface Link {
  write(b: Buffer): void;
  decoder: EscPosDecoder;
  backlog: EscPosOp[];
  asbMask: number;
  close(): void;
}

export class PrinterEmulator extends EventEmitter {
  status: PrinterStatus = {
    online: true,
    coverOpen: false,
    paperNearEnd: false,
    paperOut: false,
    drawerOpen: false,
    error: false,
  };
  readonly receipts: RenderedReceipt[] = [];
  readonly partialReceipts: RenderedReceipt[] = [];
  drawerKicks = 0;
  bytesReceived = 0;
  private builder = new ReceiptBuilder();
  private linesInReceipt = 0;
  private sim: Simulation = {};
  private server: Server | null = null;
  private serial: SerialPort | null = null;
  private readonly links = new Set<Link>();
  private boundPort: number | null = null;
  private unplugged = false;

  constructor(private readonly opts: PrinterEmulatorOptions = {}) {
    super();
    this.on('error', () => {});
  }

  get port(): number | null {
    return this.boundPort;
  }
  get uri(): string | null {
    return this.boundPort ? `tcp://127.0.0.1:${this.boundPort}` : null;
  }

  async start(): Promise<void> {
    if (this.opts.port !== null) await this.listen(this.boundPort ?? this.opts.port ?? 9100);
    if (this.opts.serialPath) await this.openSerial(this.opts.serialPath);
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = createServer((sock) => this.attachSocket(sock));
      server.once('error', reject);
      server.listen(port, this.opts.host ?? '127.0.0.1', () => {
        server.removeListener('error', reject);
        const addr = server.address();
        this.boundPort = typeof addr === 'object' && addr ? addr.port : port;
        this.server = server;
        resolve();
      });
    });
  }

  private async openSerial(path: string): Promise<void> {
    const { SerialPort } = await import('serialport');
    return new Promise((resolve, reject) => {
      const sp = new SerialPort({ path, baudRate: this.opts.baud ?? 9600, autoOpen: false, hupcl: false });
      sp.open((err) => {
        if (err) return reject(err);
        const link = this.newLink(
          (b) => sp.write(b),
          () => sp.close(),
        );
        sp.on('data', (d: Buffer) => this.receive(link, d));
        sp.on('error', () => {});
        this.serial = sp;
        resolve();
      });
    });
  }

  private attachSocket(sock: Socket): void {
    if (this.unplugged) {
      sock.destroy();
      return;
    }
    sock.setNoDelay(true); // status replies are single bytes: do not let Nagle hold them back
    const link = this.newLink(
      (b) => {
        if (!sock.destroyed) sock.write(b);
      },
      () => sock.destroy(),
    );
    sock.on('data', (d) => this.receive(link, d));
    sock.on('error', () => {});
    sock.on('close', () => this.links.delete(link));
  }

  private newLink(write: (b: Buffer) => void, close: () => void): Link {
    const link: Link = { write, close, decoder: new EscPosDecoder(), backlog: [], asbMask: 0 };
    this.links.add(link);
    return link;
  }

  private get halted(): boolean {
    return !this.status.online || this.status.coverOpen || this.status.paperOut || this.status.error;
  }

  private receive(link: Link, data: Buffer): void {
    this.bytesReceived += data.length;
    const replies: number[] = [];
    for (const op of link.decoder.push(data)) {
      // Real-time commands are answered at once, even while printing is stopped.
      if (op.op === 'realtime-status') {
        const n = op.n;
        if (n >= 1 && n <= 4) replies.push(encodeRealtimeReply(n as 1 | 2 | 3 | 4, this.status));
        continue;
      }
      link.backlog.push(op);
    }
    if (replies.length) link.write(Buffer.from(replies));
    this.drain(link);
  }

  private drain(link: Link): void {
    while (link.backlog.length && !this.halted && !this.unplugged) {
      const op = link.backlog.shift()!;
      this.process(link, op);
    }
  }

  private process(link: Link, op: EscPosOp): void {
    switch (op.op) {
      case 'asb':
        link.asbMask = op.mask;
        if (op.mask) link.write(encodeAsb(this.status));
        return;
      case 'paper-status':
        link.write(Buffer.from([encodePaperReply(this.status)]));
        return;
      case 'drawer':
        this.drawerKicks++;
        this.emit('drawer', op);
        break;
      case 'cut': {
        if (this.builder.empty) return; // a second cut with nothing printed in between: no receipt
        this.builder.apply(op);
        const r = this.builder.finish(true);
        this.receipts.push(r);
        this.save(r, this.receipts.length);
        this.builder = new ReceiptBuilder();
        this.linesInReceipt = 0;
        this.emit('receipt', r);
        return;
      }
      default:
        break;
    }
    this.builder.apply(op);
    if (op.op === 'lf') {
      this.linesInReceipt++;
      this.checkSimulation();
    }
  }

  private checkSimulation(): void {
    const n = this.linesInReceipt,
      s = this.sim;
    if (s.paperOutAfterLines !== undefined && n >= s.paperOutAfterLines) {
      delete s.paperOutAfterLines;
      this.setStatus({ paperOut: true });
    }
    if (s.coverOpenAfterLines !== undefined && n >= s.coverOpenAfterLines) {
      delete s.coverOpenAfterLines;
      this.setStatus({ coverOpen: true });
    }
    if (s.unplugAfterLines !== undefined && n >= s.unplugAfterLines) {
      delete s.unplugAfterLines;
      const ms = s.unplugForMs ?? 500;
      void this.unplug().then(() => setTimeout(() => void this.plug(), ms));
    }
  }

  private save(r: RenderedReceipt, n: number): void {
    const dir = this.opts.outDir;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    const base = join(dir, String(n).padStart(4, '0'));
    writeFileSync(`${base}.txt`, r.text + '\n');
    const svg = receiptSvg(r, this.opts.cols ?? 48);
    writeFileSync(`${base}.svg`, svg);
    if (this.opts.png)
      void receiptPng(svg)
        .then((png) => writeFileSync(`${base}.png`, png))
        .catch((e) => this.emit('error', e));
  }

  simulate(s: Simulation): void {
    this.sim = { ...this.sim, ...s };
  }

  /** Changes the simulated sensors; subscribers with ASB get a packet; stopped printing resumes when clear. */
  setStatus(patch: Partial<PrinterStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const l of this.links) if (l.asbMask) l.write(encodeAsb(this.status));
    this.emit('status', this.status);
    for (const l of this.links) this.drain(l);
  }

  /** Power loss / pulled cable: connections drop, buffered data and the half-printed receipt are lost. */
  async unplug(): Promise<void> {
    this.unplugged = true;
    for (const l of this.links) l.close();
    this.links.clear();
    if (!this.builder.empty) this.partialReceipts.push(this.builder.finish(false));
    this.builder = new ReceiptBuilder();
    this.linesInReceipt = 0;
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((r) => s.close(() => r()));
    this.emit('unplugged');
  }

  async plug(): Promise<void> {
    this.unplugged = false;
    if (this.opts.port !== null && !this.server) await this.listen(this.boundPort ?? this.opts.port ?? 9100);
    if (this.opts.serialPath && !this.serial?.isOpen) await this.openSerial(this.opts.serialPath);
    this.emit('plugged');
  }

  async stop(): Promise<void> {
    await this.unplug();
    const sp = this.serial;
    this.serial = null;
    if (sp?.isOpen) await new Promise<void>((r) => sp.close(() => r()));
  }
}
