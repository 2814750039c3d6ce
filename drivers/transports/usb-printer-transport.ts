// USB printer-class device file (/dev/usb/lpN, usblp kernel driver). The same code writes to
// a FIFO or a regular file, which tests use as a stand-in. lp devices may answer status reads;
// we poll for them only when the device is a character device.
import { constants } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { BaseTransport, TransportClosedError } from './transport';

export class UsbPrinterTransport extends BaseTransport {
  private fh: FileHandle | null = null;
  private reading = false;
  /** Only character devices (the real usblp driver) can answer; files and FIFOs cannot. */
  readsReplies = true;
  constructor(
    uri: string,
    private readonly path: string,
  ) {
    super(uri);
  }

  async open(): Promise<void> {
    if (this.opened) return;
    const st = await stat(this.path);
    // 'r+' does not block on a FIFO without a reader. On lp character devices reads must not
    // block (a pending read would also hold up close()), so they are opened O_NONBLOCK.
    const flags = st.isFile() ? 'a' : st.isCharacterDevice() ? constants.O_RDWR | constants.O_NONBLOCK : 'r+';
    this.fh = await open(this.path, flags);
    this.readsReplies = st.isCharacterDevice();
    this.opened = true;
    if (st.isCharacterDevice()) void this.readLoop();
  }

  private async readLoop(): Promise<void> {
    this.reading = true;
    const buf = Buffer.alloc(64);
    while (this.reading && this.fh) {
      try {
        const { bytesRead } = await this.fh.read(buf, 0, buf.length, null);
        if (bytesRead > 0) this.emit('data', Buffer.from(buf.subarray(0, bytesRead)));
        else await new Promise((r) => setTimeout(r, 100));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        this.reading = false;
        this.emit('error', err as Error);
        await this.close();
      }
    }
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.fh || !this.opened) throw new TransportClosedError(this.uri);
    try {
      // usblp may take a job in pieces (and say EAGAIN while busy in non-blocking mode).
      let off = 0;
      while (off < data.length) {
        try {
          const { bytesWritten } = await this.fh.write(data, off, data.length - off);
          off += bytesWritten;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
          await new Promise((r) => setTimeout(r, 20));
        }
        if (!this.fh) throw new TransportClosedError(this.uri);
      }
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    this.reading = false;
    const fh = this.fh;
    this.fh = null;
    if (fh) await fh.close().catch(() => {});
    this.markClosed(null);
  }
}
