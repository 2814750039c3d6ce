// Serial transport over node-serialport (RS-232 scanners, scales, pole displays, printers;
// also USB-serial adapters). Tests run it over real PTY pairs made by socat. serialport is
// imported by the first open, here and in the emulators, so a till or CLI without serial devices
// does not load it and its native binding (~0.1 s, issue 19).
import type { SerialPort } from 'serialport';
import { BaseTransport, TransportClosedError } from './transport';

export class SerialTransport extends BaseTransport {
  private port: SerialPort | null = null;
  constructor(
    uri: string,
    private readonly path: string,
    private readonly baudRate: number,
  ) {
    super(uri);
  }

  async open(): Promise<void> {
    if (this.opened) return;
    const { SerialPort } = await import('serialport');
    return new Promise((resolve, reject) => {
      const port = new SerialPort({ path: this.path, baudRate: this.baudRate, autoOpen: false, hupcl: false });
      port.open((err) => {
        if (err) return reject(err);
        port.on('data', (d: Buffer) => this.emit('data', d));
        port.on('error', (e: Error) => this.emit('error', e));
        port.on('close', (e: Error | null) => {
          this.port = null;
          this.markClosed(e ?? null);
        });
        this.port = port;
        this.opened = true;
        resolve();
      });
    });
  }

  write(data: Uint8Array): Promise<void> {
    const p = this.port;
    if (!p || !this.opened) return Promise.reject(new TransportClosedError(this.uri));
    return new Promise((resolve, reject) => {
      p.write(Buffer.from(data), (err) => {
        if (err) return reject(err);
        p.drain((e) => (e ? reject(e) : resolve()));
      });
    });
  }

  async close(): Promise<void> {
    const p = this.port;
    this.port = null;
    if (p?.isOpen) await new Promise<void>((resolve) => p.close(() => resolve()));
    this.markClosed(null);
  }
}
