// Serial barcode scanner emulator: writes codes (optionally AIM-prefixed) plus a terminator
// into one end of a PTY pair; the till's driver reads the other end as a real serial port.
import type { SerialPort } from 'serialport';

export class SerialScannerEmulator {
  private port: SerialPort | null = null;
  constructor(
    private readonly path: string,
    private readonly opts: { baud?: number; terminator?: string } = {},
  ) {}

  async open(): Promise<void> {
    const { SerialPort } = await import('serialport');
    return new Promise((resolve, reject) => {
      const p = new SerialPort({ path: this.path, baudRate: this.opts.baud ?? 9600, autoOpen: false, hupcl: false });
      p.open((err) => {
        if (err) return reject(err);
        p.on('error', () => {});
        this.port = p;
        resolve();
      });
    });
  }

  /** Sends raw bytes (garbage, partial frames) exactly as given. */
  sendRaw(bytes: Uint8Array | string): Promise<void> {
    const p = this.port;
    if (!p) return Promise.reject(new Error('scanner emulator is not open'));
    return new Promise((resolve, reject) =>
      p.write(Buffer.from(bytes as Uint8Array), (e) => (e ? reject(e) : p.drain((d) => (d ? reject(d) : resolve())))),
    );
  }

  scan(code: string, aim: string | null = null): Promise<void> {
    return this.sendRaw(Buffer.from(`${aim ?? ''}${code}${this.opts.terminator ?? '\r'}`, 'utf8'));
  }

  close(): Promise<void> {
    const p = this.port;
    this.port = null;
    return p?.isOpen ? new Promise((r) => p.close(() => r())) : Promise.resolve();
  }
}
