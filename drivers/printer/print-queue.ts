// Durable print queue: jobs live in SQLite and survive restarts, printer outages and paper-out.
// One worker per printer sends jobs one at a time, oldest first:
//   1. wait until the printer is connected;
//   2. ask its status (DLE EOT) and send nothing while the cover is open, paper is out or it is
//      offline, so a job never sits half-printed in a stopped printer if we can help it;
//   3. mark the job 'sending' (attempt + 1), send it, and wait for the printer's in-order
//      GS r 1 reply, which comes only after everything before it was printed;
//   4. only then mark it 'done'.
// If paper runs out or the cover opens mid-job, the link stays up and the printer keeps the
// rest of the job in its buffer: we keep waiting for the same acknowledgement (no resend), so
// the receipt completes once after the refill. If the link drops before the acknowledgement,
// the printer lost its buffer (power cycle, cable): the job is sent again in full. That is
// at-least-once for the one case where the printer finished but the acknowledgement was lost
// with the link; we choose a possible duplicate over a lost receipt (see docs/devices.md).
import { EventEmitter } from 'node:events';
import type { PrintJob, PrintJobStore } from '../storage';
import type { Reconnector } from '../device';
import { readyToPrint } from '../escpos';
import { PrinterError, type ReceiptPrinter } from './receipt-printer';

export interface PrintQueueOptions {
  /** Resend limit for one job before it is marked failed. */
  maxAttempts?: number;
  /** Wait between status checks while the printer is not ready. */
  idleMs?: number;
}

export interface PrintQueueEvents {
  done: [PrintJob];
  failed: [PrintJob];
  waiting: [{ jobId: string; reason: string }];
}

export class PrintQueue extends EventEmitter {
  private running = false;
  private wakeUp: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private readonly maxAttempts: number;
  private readonly idleMs: number;

  constructor(
    private readonly store: PrintJobStore,
    private readonly printerId: string,
    private readonly printer: ReceiptPrinter,
    private readonly link: Reconnector,
    opts: PrintQueueOptions = {},
  ) {
    super();
    this.on('error', () => {});
    this.maxAttempts = opts.maxAttempts ?? 8;
    this.idleMs = opts.idleMs ?? 300;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  /** Call after enqueueing so the worker does not wait for its idle tick. */
  wake(): void {
    const w = this.wakeUp;
    this.wakeUp = null;
    w?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    while (this.running) {
      const job = this.store.next(this.printerId);
      if (!job) {
        await this.sleep(1000);
        continue;
      }
      if (!(await this.link.waitConnected(1000))) {
        this.emit('waiting', { jobId: job.id, reason: 'disconnected' });
        continue;
      }
      try {
        const s = await this.printer.queryStatus();
        if (!readyToPrint(s)) {
          this.emit('waiting', { jobId: job.id, reason: 'not-ready' });
          await this.sleep(this.idleMs);
          continue;
        }
      } catch {
        await this.sleep(this.idleMs);
        continue;
      }
      if (job.attempts >= this.maxAttempts) {
        this.store.markFailed(job.id, `gave up after ${job.attempts} attempts: ${job.lastError ?? ''}`);
        this.emit('failed', this.store.get(job.id)!);
        continue;
      }
      const sending = this.store.markSending(job.id);
      try {
        await this.printer.printJob(sending.id, sending.payload);
        this.store.markDone(sending.id);
        this.emit('done', this.store.get(sending.id)!);
      } catch (err) {
        const msg = err instanceof PrinterError ? `${err.code}: ${err.message}` : String((err as Error).message ?? err);
        this.store.noteError(sending.id, msg);
        await this.sleep(this.idleMs);
      }
    }
  }
}
