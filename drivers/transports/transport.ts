// The small binding interface every device driver talks through. A transport moves bytes
// (or HID reports) and reports 'data', 'close' and 'error'; it knows nothing of protocols.
import { EventEmitter } from 'node:events';

export interface TransportEvents {
  data: [Buffer];
  close: [Error | null];
  error: [Error];
}

export interface Transport {
  readonly uri: string;
  readonly isOpen: boolean;
  /** false when the link cannot carry replies from the device (a plain file standing in for a printer). */
  readonly readsReplies?: boolean;
  open(): Promise<void>;
  write(data: Uint8Array): Promise<void>;
  close(): Promise<void>;
  on<K extends keyof TransportEvents>(event: K, listener: (...args: TransportEvents[K]) => void): this;
  off<K extends keyof TransportEvents>(event: K, listener: (...args: TransportEvents[K]) => void): this;
  once<K extends keyof TransportEvents>(event: K, listener: (...args: TransportEvents[K]) => void): this;
}

export class TransportClosedError extends Error {
  readonly code = 'TRANSPORT_CLOSED';
  constructor(uri: string) {
    super(`Device ${uri} is not connected`);
    this.name = 'TransportClosedError';
  }
}

/** Shared bookkeeping for concrete transports. */
export abstract class BaseTransport extends EventEmitter implements Transport {
  protected opened = false;
  constructor(readonly uri: string) {
    super();
    // A transport error must never crash the process through an unhandled 'error' event.
    this.on('error', () => {});
  }
  get isOpen(): boolean {
    return this.opened;
  }
  abstract open(): Promise<void>;
  abstract write(data: Uint8Array): Promise<void>;
  abstract close(): Promise<void>;
  protected markClosed(err: Error | null): void {
    if (!this.opened) return;
    this.opened = false;
    this.emit('close', err);
  }
}
