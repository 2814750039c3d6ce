// Label printer emulator shipped with the product: listens on TCP (9100 by default, 0 for a free
// port) and/or a serial port (one end of a socat PTY pair), detects TSPL or ZPL per connection
// from its first command, answers TSPL's ESC ! ? status query, and renders every printed label
// to PNG (optionally saved as NNNN.png in outDir). Technicians check a label layout without
// label stock; tests decode the PNG back.
import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { SerialPort } from 'serialport';
import type { LabelJob } from './label-job';
import { encodeTsplStatus, TSPL_STATUS_QUERY, type LabelLanguage, type LabelPrinterStatus } from './label-printer';
import { labelPng } from './label-render';
import { TsplDecoder } from './tspl';
import { ZplDecoder } from './zpl';

export interface LabelPrinterEmulatorOptions {
  host?: string;
  /** TCP port; 0 picks a free one; null disables TCP. Default 9100. */
  port?: number | null;
  serialPath?: string;
  baud?: number;
  outDir?: string;
}

export interface PrintedLabel {
  language: LabelLanguage;
  job: LabelJob;
  png: Buffer;
}

interface Link {
  language: LabelLanguage | null;
  tspl: TsplDecoder;
  zpl: ZplDecoder;
  write(b: Buffer): void;
}

export class LabelPrinterEmulator extends EventEmitter {
  status: LabelPrinterStatus = { headOpen: false, paperJam: false, paperOut: false, ribbonOut: false, paused: false };
  readonly labels: PrintedLabel[] = [];
  private readonly links = new Set<Link>();
  private readonly renderErrors: string[] = [];
  private server: Server | null = null;
  private serial: SerialPort | null = null;
  private boundPort: number | null = null;
  private rendering: Promise<void> = Promise.resolve();

  constructor(private readonly opts: LabelPrinterEmulatorOptions = {}) {
    super();
    this.on('error', () => {});
  }

  get uri(): string | null {
    return this.boundPort ? `tcp://127.0.0.1:${this.boundPort}` : null;
  }

  async start(): Promise<void> {
    if (this.opts.port !== null) await this.listen(this.opts.port ?? 9100);
    if (this.opts.serialPath) await this.openSerial(this.opts.serialPath);
  }

  /** Resolves when every label received so far is rendered. */
  idle(): Promise<void> {
    return this.rendering;
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = createServer((sock) => this.attach(sock));
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
        const link = this.link((b) => sp.write(b));
        sp.on('data', (d: Buffer) => this.receive(link, d));
        sp.on('error', () => {});
        this.serial = sp;
        resolve();
      });
    });
  }

  private attach(sock: Socket): void {
    sock.setNoDelay(true);
    const link = this.link((b) => {
      if (!sock.destroyed) sock.write(b);
    });
    sock.on('data', (d) => this.receive(link, d));
    sock.on('error', () => {});
  }

  private link(write: (b: Buffer) => void): Link {
    const link: Link = { language: null, tspl: new TsplDecoder(), zpl: new ZplDecoder(), write };
    this.links.add(link);
    return link;
  }

  /** Commands the emulator could not read, and labels it could not render (a real printer skips them). */
  get errors(): string[] {
    return [...this.renderErrors, ...[...this.links].flatMap((l) => [...l.tspl.errors, ...l.zpl.errors])];
  }

  private receive(link: Link, data: Buffer): void {
    let d = data;
    // Status queries are answered at once and are not part of the label stream.
    for (let i = d.indexOf(TSPL_STATUS_QUERY); i >= 0; i = d.indexOf(TSPL_STATUS_QUERY)) {
      link.write(Buffer.from([encodeTsplStatus(this.status)]));
      d = Buffer.concat([d.subarray(0, i), d.subarray(i + TSPL_STATUS_QUERY.length)]);
    }
    if (!link.language) {
      const first = d.toString('latin1').trimStart()[0];
      if (first === undefined) return;
      link.language = first === '^' || first === '~' ? 'zpl' : 'tspl';
    }
    const language = link.language;
    let jobs: LabelJob[];
    try {
      jobs = language === 'zpl' ? link.zpl.push(d) : link.tspl.push(d);
    } catch (e) {
      // An over-long line: drop what was buffered, keep a note, never crash.
      this.renderErrors.push(e instanceof Error ? e.message : String(e));
      link.tspl = new TsplDecoder();
      link.zpl = new ZplDecoder();
      return;
    }
    for (const job of jobs) {
      this.rendering = this.rendering.then(async () => {
        try {
          const png = await labelPng(job);
          const label = { language, job, png };
          this.labels.push(label);
          if (this.opts.outDir) {
            mkdirSync(this.opts.outDir, { recursive: true });
            writeFileSync(join(this.opts.outDir, `${String(this.labels.length).padStart(4, '0')}.png`), png);
          }
          this.emit('label', label);
        } catch (e) {
          this.renderErrors.push(e instanceof Error ? e.message : String(e));
        }
      });
    }
  }

  async stop(): Promise<void> {
    await this.rendering;
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server = null;
    await new Promise<void>((r) => (this.serial?.isOpen ? this.serial.close(() => r()) : r()));
    this.serial = null;
  }
}
