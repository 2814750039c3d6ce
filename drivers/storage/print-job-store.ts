// Durable print jobs. One row per job; its state machine is
//   queued -> sending -> done            (printer acknowledged)
//   sending -> sending (attempts + 1)    (link lost before the acknowledgement: resend)
//   sending -> failed                    (gave up after maxAttempts; visible to the cashier)
// A job key (e.g. "receipt:<saleId>") makes enqueueing idempotent, so a retried payment
// never queues the same original receipt twice.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';

export type PrintJobState = 'queued' | 'sending' | 'done' | 'failed' | 'cancelled';
export type PrintJobKind = 'receipt' | 'raw' | 'drawer';

export interface PrintJob {
  id: string;
  jobKey: string | null;
  printerId: string;
  kind: PrintJobKind;
  saleId: string | null;
  reprint: boolean;
  payload: Buffer;
  state: PrintJobState;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  doneAt: string | null;
}

interface Row {
  id: string;
  job_key: string | null;
  printer_id: string;
  kind: PrintJobKind;
  sale_id: string | null;
  reprint: number;
  payload: Buffer;
  state: PrintJobState;
  attempts: number;
  last_error: string | null;
  created_at: string;
  done_at: string | null;
}

const toJob = (r: Row): PrintJob => ({
  id: r.id,
  jobKey: r.job_key,
  printerId: r.printer_id,
  kind: r.kind,
  saleId: r.sale_id,
  reprint: r.reprint === 1,
  payload: r.payload,
  state: r.state,
  attempts: r.attempts,
  lastError: r.last_error,
  createdAt: r.created_at,
  doneAt: r.done_at,
});

export interface EnqueueInput {
  printerId: string;
  kind: PrintJobKind;
  payload: Buffer;
  saleId?: string | null;
  reprint?: boolean;
  jobKey?: string | null;
  staffId?: string | null;
}

export class PrintJobStore {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Inserts a job (or returns the existing one with the same key) and audits reprints, in one transaction. */
  enqueue(input: EnqueueInput): { job: PrintJob; created: boolean } {
    return this.db.transaction(() => {
      if (input.jobKey) {
        const existing = this.db.prepare('SELECT * FROM device_print_jobs WHERE job_key = ?').get(input.jobKey) as
          Row | undefined;
        if (existing) return { job: toJob(existing), created: false };
      }
      const id = randomUUID();
      const at = this.now().toISOString();
      this.db
        .prepare(
          `INSERT INTO device_print_jobs (id, job_key, printer_id, kind, sale_id, reprint, payload, state, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`,
        )
        .run(
          id,
          input.jobKey ?? null,
          input.printerId,
          input.kind,
          input.saleId ?? null,
          input.reprint ? 1 : 0,
          input.payload,
          at,
          at,
        );
      if (input.reprint) this.audit(id, input.saleId ?? null, 'reprint', input.staffId ?? null, {});
      return { job: this.get(id)!, created: true };
    })();
  }

  get(id: string): PrintJob | null {
    const r = this.db.prepare('SELECT * FROM device_print_jobs WHERE id = ?').get(id) as Row | undefined;
    return r ? toJob(r) : null;
  }

  /** Oldest unfinished job for a printer: a job interrupted mid-send comes first again. */
  next(printerId: string): PrintJob | null {
    const r = this.db
      .prepare(
        `SELECT * FROM device_print_jobs WHERE printer_id = ? AND state IN ('queued','sending') ORDER BY seq LIMIT 1`,
      )
      .get(printerId) as Row | undefined;
    return r ? toJob(r) : null;
  }

  pending(printerId?: string): PrintJob[] {
    const rows = (
      printerId
        ? this.db
            .prepare(
              `SELECT * FROM device_print_jobs WHERE printer_id = ? AND state IN ('queued','sending') ORDER BY seq`,
            )
            .all(printerId)
        : this.db.prepare(`SELECT * FROM device_print_jobs WHERE state IN ('queued','sending') ORDER BY seq`).all()
    ) as Row[];
    return rows.map(toJob);
  }

  markSending(id: string): PrintJob {
    this.db
      .prepare(
        `UPDATE device_print_jobs SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ? AND state IN ('queued','sending')`,
      )
      .run(this.now().toISOString(), id);
    return this.get(id)!;
  }

  /** Only called after the printer acknowledged the job. Idempotent. */
  markDone(id: string): void {
    const at = this.now().toISOString();
    this.db.transaction(() => {
      const ch = this.db
        .prepare(
          `UPDATE device_print_jobs SET state = 'done', done_at = ?, updated_at = ?, last_error = NULL WHERE id = ? AND state = 'sending'`,
        )
        .run(at, at, id);
      if (ch.changes) {
        const j = this.get(id)!;
        this.audit(id, j.saleId, 'printed', null, { attempts: j.attempts });
      }
    })();
  }

  noteError(id: string, message: string): void {
    this.db
      .prepare('UPDATE device_print_jobs SET last_error = ?, updated_at = ? WHERE id = ?')
      .run(message.slice(0, 500), this.now().toISOString(), id);
  }

  markFailed(id: string, message: string): void {
    this.db
      .prepare(
        `UPDATE device_print_jobs SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ? AND state IN ('queued','sending')`,
      )
      .run(message.slice(0, 500), this.now().toISOString(), id);
    const j = this.get(id);
    if (j) this.audit(id, j.saleId, 'failed', null, { error: message.slice(0, 200) });
  }

  /** Puts a failed job back in the queue (the cashier pressed "retry"). */
  retry(id: string): void {
    this.db
      .prepare(
        `UPDATE device_print_jobs SET state = 'queued', attempts = 0, updated_at = ? WHERE id = ? AND state = 'failed'`,
      )
      .run(this.now().toISOString(), id);
  }

  audit(
    jobId: string,
    saleId: string | null,
    action: string,
    staffId: string | null,
    detail: Record<string, unknown>,
  ): void {
    this.db
      .prepare(
        'INSERT INTO device_print_audit (at, job_id, sale_id, action, staff_id, detail) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(this.now().toISOString(), jobId, saleId, action, staffId, JSON.stringify(detail));
  }

  auditFor(saleId: string): { action: string; jobId: string; at: string; staffId: string | null }[] {
    return this.db
      .prepare(
        'SELECT action, job_id AS jobId, at, staff_id AS staffId FROM device_print_audit WHERE sale_id = ? ORDER BY seq',
      )
      .all(saleId) as { action: string; jobId: string; at: string; staffId: string | null }[];
  }
}
