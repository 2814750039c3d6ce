// Customer pole display emulator (2 x 20 VFD, ESC/POS display commands), shipped with the
// product for demos, rehearsal and tests. It decodes the byte stream a PoleDisplay sends —
// ESC @ init, FF clear, US $ x y cursor, CR/LF, then text (GB18030 when `cjk`, else ASCII) —
// into the two rows a customer would read. It listens on a serial PTY end and/or TCP.
import { EventEmitter } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import iconv from 'iconv-lite';
import type { SerialPort } from 'serialport';
import { DISPLAY_COLS, DISPLAY_ROWS, isWideChar } from './pole-display';

/** A pure decoder: feed it bytes, read the screen. Incomplete sequences wait for the next chunk. */
export class PoleDisplayScreen {
  /** cells[row][col]: a character, '' for the right half of a wide character. */
  private cells: string[][] = [];
  private col = 0;
  private row = 0;
  private pending = Buffer.alloc(0);
  /** Commands seen, for tests and the technician: 'init', 'clear', 'cursor 1,2', … */
  readonly commands: string[] = [];

  constructor(
    readonly cjk = true,
    readonly cols = DISPLAY_COLS,
    readonly rows = DISPLAY_ROWS,
  ) {
    this.blank();
  }

  private blank(): void {
    this.cells = Array.from({ length: this.rows }, () => Array.from({ length: this.cols }, () => ' '));
    this.col = 0;
    this.row = 0;
  }

  /** The rows as text, trailing spaces kept (each row is `cols` columns wide). */
  lines(): string[] {
    return this.cells.map((r) => r.join(''));
  }

  feed(bytes: Buffer): void {
    let b = Buffer.concat([this.pending, bytes]);
    let i = 0;
    while (i < b.length) {
      const c = b[i]!;
      if (c === 0x1b) {
        // ESC
        if (i + 1 >= b.length) break;
        if (b[i + 1] === 0x40) {
          this.blank();
          this.commands.push('init');
          i += 2;
          continue;
        }
        i += 2;
        continue; // other ESC x: ignored, as a display does with unknown commands
      }
      if (c === 0x1f) {
        // US
        if (i + 1 >= b.length) break;
        if (b[i + 1] === 0x24) {
          if (i + 3 >= b.length) break;
          const x = b[i + 2]!,
            y = b[i + 3]!;
          this.col = Math.min(Math.max(x, 1), this.cols) - 1;
          this.row = Math.min(Math.max(y, 1), this.rows) - 1;
          this.commands.push(`cursor ${x},${y}`);
          i += 4;
          continue;
        }
        i += 2;
        continue;
      }
      if (c === 0x0c) {
        this.blank();
        this.commands.push('clear');
        i += 1;
        continue;
      }
      if (c === 0x0d) {
        this.col = 0;
        i += 1;
        continue;
      }
      if (c === 0x0a) {
        this.row = Math.min(this.row + 1, this.rows - 1);
        i += 1;
        continue;
      }
      if (c < 0x20) {
        i += 1;
        continue;
      }
      // Text: one character, 1 byte (ASCII) or a GB18030 sequence of 2 or 4 bytes.
      let len = 1;
      if (this.cjk && c >= 0x81 && c <= 0xfe) {
        if (i + 1 >= b.length) break;
        const c2 = b[i + 1]!;
        len = c2 >= 0x30 && c2 <= 0x39 ? 4 : 2;
        if (i + len > b.length) break;
      }
      const ch = this.cjk ? iconv.decode(b.subarray(i, i + len), 'gb18030') : c < 0x80 ? String.fromCharCode(c) : '?';
      this.put(ch);
      i += len;
    }
    this.pending = Buffer.from(b.subarray(i));
    b = Buffer.alloc(0);
  }

  private put(ch: string): void {
    const w = this.cjk && isWideChar(ch) ? 2 : 1;
    if (this.col + w > this.cols) return; // a real VFD drops what does not fit on the row
    const r = this.cells[this.row]!;
    r[this.col] = ch;
    if (w === 2) r[this.col + 1] = '';
    this.col += w;
  }
}

export interface PoleDisplayEmulatorOptions {
  cjk?: boolean;
  /** Serial device (one end of a PTY pair) to read from. */
  serialPath?: string;
  baud?: number;
  /** TCP port to listen on (0 = any free port); omit for serial only. */
  port?: number;
  host?: string;
}

/** Emits 'update' with the two rows after every chunk of bytes. */
export class PoleDisplayEmulator extends EventEmitter {
  readonly screen: PoleDisplayScreen;
  private serial: SerialPort | null = null;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private boundPort: number | null = null;

  constructor(private readonly opts: PoleDisplayEmulatorOptions) {
    super();
    this.screen = new PoleDisplayScreen(opts.cjk ?? true);
  }

  get uri(): string | null {
    return this.boundPort ? `tcp://127.0.0.1:${this.boundPort}` : null;
  }
  lines(): string[] {
    return this.screen.lines();
  }

  private onBytes = (d: Buffer): void => {
    this.screen.feed(d);
    this.emit('update', this.screen.lines());
  };

  async start(): Promise<void> {
    if (this.opts.serialPath) {
      const { SerialPort } = await import('serialport');
      const p = new SerialPort({
        path: this.opts.serialPath,
        baudRate: this.opts.baud ?? 9600,
        autoOpen: false,
        hupcl: false,
      });
      await new Promise<void>((resolve, reject) => p.open((err) => (err ? reject(err) : resolve())));
      p.on('error', () => {});
      p.on('data', this.onBytes);
      this.serial = p;
    }
    if (this.opts.port !== undefined) {
      const server = createServer((sock) => {
        this.sockets.add(sock);
        sock.on('data', this.onBytes);
        sock.on('error', () => {});
        sock.on('close', () => this.sockets.delete(sock));
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.opts.port, this.opts.host ?? '127.0.0.1', () => resolve());
      });
      this.boundPort = (server.address() as AddressInfo).port;
      this.server = server;
    }
  }

  /** Resolves when `match` holds for the rows (checked after each update), or rejects after timeoutMs. */
  waitFor(match: (lines: string[]) => boolean, timeoutMs = 15_000): Promise<string[]> {
    if (match(this.lines())) return Promise.resolve(this.lines());
    return new Promise((resolve, reject) => {
      const onUpdate = (lines: string[]) => {
        if (match(lines)) {
          cleanup();
          resolve(lines);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`pole display never showed the expected text; it shows: ${JSON.stringify(this.lines())}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('update', onUpdate);
      };
      this.on('update', onUpdate);
    });
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((r) => server.close(() => r()));
    const p = this.serial;
    this.serial = null;
    if (p?.isOpen) await new Promise<void>((r) => p.close(() => r()));
  }
}
