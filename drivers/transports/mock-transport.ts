// In-memory transport: the test binding for byte-stream devices. `written` collects what the
// driver sent; `feed()` plays bytes from the device side; `unplug()` drops the link.
import { BaseTransport, TransportClosedError } from './transport';

export class MockTransport extends BaseTransport {
  readonly written: Buffer[] = [];
  failOpen: Error | null = null;
  /** Called for every write, so a test can answer like a device would. */
  onWrite: ((data: Buffer) => void) | null = null;
  constructor(uri = 'mock:device') {
    super(uri);
  }

  async open(): Promise<void> {
    if (this.failOpen) throw this.failOpen;
    this.opened = true;
  }
  async write(data: Uint8Array): Promise<void> {
    if (!this.opened) throw new TransportClosedError(this.uri);
    const b = Buffer.from(data);
    this.written.push(b);
    this.onWrite?.(b);
  }
  async close(): Promise<void> {
    this.markClosed(null);
  }
  feed(data: Uint8Array | string): void {
    this.emit('data', Buffer.from(data as Uint8Array));
  }
  unplug(): void {
    this.markClosed(new Error('unplugged'));
  }
  allWritten(): Buffer {
    return Buffer.concat(this.written);
  }
}
