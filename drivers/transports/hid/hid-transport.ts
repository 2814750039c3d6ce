// HID transport: each input report arrives as one 'data' Buffer (report boundaries matter
// for HID POS scanners, so they are never merged).
import type { HidBinding, HidHandle } from './hid-binding';
import { BaseTransport, TransportClosedError } from '../transport';

export class HidTransport extends BaseTransport {
  private handle: HidHandle | null = null;
  constructor(
    uri: string,
    private readonly binding: HidBinding,
    private readonly vendorId: number,
    private readonly productId: number,
  ) {
    super(uri);
  }

  async open(): Promise<void> {
    if (this.opened) return;
    const h = this.binding.open(this.vendorId, this.productId);
    h.on('data', (d: Buffer) => this.emit('data', Buffer.from(d)));
    h.on('error', (e: Error) => {
      this.emit('error', e);
      this.handle = null;
      try {
        h.close();
      } catch {
        /* already gone */
      }
      this.markClosed(e);
    });
    this.handle = h;
    this.opened = true;
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.handle) throw new TransportClosedError(this.uri);
    this.handle.write(Buffer.from(data));
  }

  async close(): Promise<void> {
    const h = this.handle;
    this.handle = null;
    if (h) {
      try {
        h.close();
      } catch {
        /* already closed */
      }
    }
    this.markClosed(null);
  }
}
