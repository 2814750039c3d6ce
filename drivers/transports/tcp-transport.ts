// Raw TCP transport (port 9100 "JetDirect" printers). Connect timeout and keepalive so that
// a pulled network cable is noticed instead of hanging forever.
import { Socket } from 'node:net';
import { BaseTransport, TransportClosedError } from './transport';

export class TcpTransport extends BaseTransport {
  private socket: Socket | null = null;
  constructor(
    uri: string,
    private readonly host: string,
    private readonly port: number,
    private readonly connectTimeoutMs = 3000,
  ) {
    super(uri);
  }

  open(): Promise<void> {
    if (this.opened) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const s = new Socket();
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`Timed out connecting to ${this.host}:${this.port}`));
      }, this.connectTimeoutMs);
      s.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      s.connect(this.port, this.host, () => {
        clearTimeout(timer);
        s.removeAllListeners('error');
        s.setNoDelay(true);
        s.setKeepAlive(true, 5000);
        s.on('data', (d: Buffer) => this.emit('data', d));
        s.on('error', (err) => this.emit('error', err));
        s.on('close', (hadError) => {
          this.socket = null;
          this.markClosed(hadError ? new Error('connection lost') : null);
        });
        this.socket = s;
        this.opened = true;
        resolve();
      });
    });
  }

  write(data: Uint8Array): Promise<void> {
    const s = this.socket;
    if (!s || !this.opened) return Promise.reject(new TransportClosedError(this.uri));
    return new Promise((resolve, reject) => s.write(data, (err) => (err ? reject(err) : resolve())));
  }

  async close(): Promise<void> {
    const s = this.socket;
    this.socket = null;
    if (s)
      await new Promise<void>((resolve) => {
        s.once('close', () => resolve());
        s.end();
        setTimeout(() => {
          s.destroy();
          resolve();
        }, 500).unref();
      });
    this.markClosed(null);
  }
}
