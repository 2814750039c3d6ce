// Keeps a device open, claimed and enabled: after an unplug or a failed open it retries with
// exponential backoff (with jitter) until stopped. Used by the device manager for every device.
import type { PosDevice, BaseDeviceEvents } from './pos-device';

export interface BackoffOptions {
  minMs?: number;
  maxMs?: number;
  factor?: number;
}

export class Reconnector {
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private waiters: (() => void)[] = [];
  lastError: Error | null = null;

  constructor(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    readonly device: PosDevice<any>,
    private readonly owner: string,
    private readonly backoff: BackoffOptions = {},
    private readonly random: () => number = Math.random,
  ) {}

  get connected(): boolean {
    return this.device.state === 'enabled' && this.device.connected;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    (this.device as PosDevice<BaseDeviceEvents>).on('connection', this.onConnection);
    void this.tryConnect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    (this.device as PosDevice<BaseDeviceEvents>).off('connection', this.onConnection);
    await this.device.close().catch(() => {});
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves when connected (or stopped), or after timeoutMs. */
  waitConnected(timeoutMs = 1000): Promise<boolean> {
    if (this.connected || this.stopped) return Promise.resolve(this.connected);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        resolve(this.connected);
      };
      const t = setTimeout(() => {
        const i = this.waiters.indexOf(done);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(this.connected);
      }, timeoutMs);
      this.waiters.push(done);
    });
  }

  /** Delay before the next attempt: min * factor^n capped at max, with +-20 % jitter. */
  nextDelay(attempt: number): number {
    const min = this.backoff.minMs ?? 250,
      max = this.backoff.maxMs ?? 10_000,
      f = this.backoff.factor ?? 2;
    const base = Math.min(max, min * f ** attempt);
    return Math.round(base * (0.8 + 0.4 * this.random()));
  }

  private readonly onConnection = (up: boolean): void => {
    if (up) {
      this.attempt = 0;
      for (const w of this.waiters.splice(0)) w();
    } else if (!this.stopped) this.schedule();
  };

  private schedule(): void {
    if (this.timer || this.stopped) return;
    const delay = this.nextDelay(this.attempt++);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tryConnect();
    }, delay);
    this.timer.unref?.();
  }

  private async tryConnect(): Promise<void> {
    if (this.stopped || this.connected) return;
    try {
      await this.device.close().catch(() => {});
      await this.device.start(this.owner);
      this.lastError = null;
    } catch (err) {
      this.lastError = err as Error;
      await this.device.close().catch(() => {});
      this.schedule();
    }
  }
}
