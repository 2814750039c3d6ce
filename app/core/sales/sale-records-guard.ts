// Guards the till against silently lost sales. At start-up it compares the sale journal (the
// record of acknowledged sales kept outside SQLite, see db/sale-journal.ts) and the WAL check
// with the database; if acknowledged sales are missing, the till stops selling with
// TILL_NEEDS_TECHNICIAN until a technician acknowledges the loss. Numbering then continues
// above every number that may be on paper, plus a gap that makes the break visible on receipts.
import { PosError, errorText, type SaleRecordsStatus, type StaffView } from '../../contract';
import { writeAudit } from '../audit';
import type { CheckedDatabase, Db, SaleJournal } from '../db';
import type pino from 'pino';
import { highestSaleSeq, nextSaleSeq, raiseSaleNumberFloor, saleNumber, saleNumberFloor } from './sale-numbers';

/** Numbers skipped after a loss: covers sales whose journal line was itself damaged, and shows the break on paper. */
export const RENUMBER_GAP = 100;
/** Journal records after which a healthy start folds the journal into one mark. */
export const JOURNAL_COMPACT_AFTER = 5000;
const MISSING_LISTED = 50;

/** The status line's English words; the renderer shows the code + reason in the cashier's language. */
const MESSAGES: Record<NonNullable<SaleRecordsStatus['reason']>, string> = {
  wal_damaged: errorText('TILL_NEEDS_TECHNICIAN', { reason: 'wal_damaged' }, 'en'),
  sales_missing: errorText('TILL_NEEDS_TECHNICIAN', { reason: 'sales_missing' }, 'en'),
  journal_damaged: errorText('TILL_NEEDS_TECHNICIAN', { reason: 'journal_damaged' }, 'en'),
  journal_unwritable: errorText('TILL_NEEDS_TECHNICIAN', { reason: 'journal_unwritable' }, 'en'),
};

export interface SaleRecordsGuardDeps {
  db: Db;
  terminalId: string;
  clock: () => Date;
  logger: pino.Logger;
  timing?: (name: string, ms: number) => void;
}

export class SaleRecordsGuard {
  private current: SaleRecordsStatus;

  constructor(
    private readonly deps: SaleRecordsGuardDeps,
    private readonly journal: SaleJournal,
    opened: Pick<CheckedDatabase, 'wal' | 'walCopy'>,
  ) {
    try {
      this.current = this.check(opened);
    } catch (err) {
      // The till still starts (reports, reprints, the technician's screens), but does not sell.
      deps.logger.error({ err }, 'could not read or write the sale journal at start-up; selling paused');
      const high = highestSaleSeq(deps.db, deps.terminalId);
      this.current = {
        state: 'needs_technician',
        reason: 'journal_unwritable',
        message: MESSAGES.journal_unwritable,
        journalHighWater: 0,
        databaseHighWater: high,
        missingSales: [],
        walCopy: opened.walCopy,
      };
    }
  }

  status(): SaleRecordsStatus {
    return { ...this.current, missingSales: [...this.current.missingSales] };
  }

  /** Throws TILL_NEEDS_TECHNICIAN while sale records may be lost. */
  assertCanSell(): void {
    const s = this.current;
    if (s.state === 'ok') return;
    throw new PosError('TILL_NEEDS_TECHNICIAN', {
      reason: s.reason ?? 'sales_missing',
      journalHighWater: s.journalHighWater,
      databaseHighWater: s.databaseHighWater,
    });
  }

  /**
   * Journals a committed sale; returns once the line is on disk. Called right after the commit,
   * before the sale is announced (the receipt prints on that event) and before `cart.pay`
   * answers, so every number that can be on paper is in the journal. A failure does not undo
   * the sale (the customer has paid) but stops further selling.
   */
  recordSale(saleId: string): void {
    const { db, clock, logger, timing } = this.deps;
    const row = db.prepare('SELECT seq, number FROM sales WHERE id = ?').get(saleId) as
      { seq: number; number: string } | undefined;
    if (!row) return;
    const started = performance.now();
    try {
      this.journal.append({ k: 'sale', seq: row.seq, id: saleId, number: row.number, at: clock().toISOString() });
    } catch (err) {
      logger.error({ err, saleId }, 'could not write the sale journal; selling paused');
      this.current = {
        ...this.current,
        state: 'needs_technician',
        reason: 'journal_unwritable',
        message: MESSAGES.journal_unwritable,
      };
      return;
    }
    timing?.('sale_journal_fsync_ms', performance.now() - started);
  }

  /**
   * The technician's acknowledgement: raises the number floor past everything that may be on
   * paper, writes the audit entry, marks the journal and empties the WAL (so the damaged
   * frames are not inspected again at the next start).
   */
  acknowledge(staff: StaffView, note: string): { saleRecords: SaleRecordsStatus; nextSaleNumber: string } {
    const { db, terminalId, clock, logger } = this.deps;
    const before = this.current;
    if (before.state === 'ok') throw new PosError('CONFLICT', { reason: 'records-intact' });
    const now = clock();
    const contents = this.journal.read();
    const floor =
      Math.max(
        contents.highWater,
        highestSaleSeq(db, terminalId),
        saleNumberFloor(db, terminalId),
        before.journalHighWater,
      ) + RENUMBER_GAP;
    db.transaction(() => {
      raiseSaleNumberFloor(db, terminalId, floor, now);
      writeAudit(db, terminalId, now, {
        action: 'sale_records.loss_acknowledged',
        staffId: staff.id,
        detail: {
          reason: before.reason,
          note,
          journalHighWater: before.journalHighWater,
          databaseHighWater: before.databaseHighWater,
          missingSales: before.missingSales,
          walCopy: before.walCopy,
          floor,
        },
      });
    })();
    checkpointAndTruncate(db, logger);
    try {
      this.journal.append({ k: 'mark', floor, why: 'ack', at: now.toISOString(), by: staff.id });
    } catch (err) {
      logger.error({ err }, 'could not mark the sale journal after the acknowledgement');
      this.current = { ...before, reason: 'journal_unwritable', message: MESSAGES.journal_unwritable };
      throw new PosError('TILL_NEEDS_TECHNICIAN', { reason: 'journal_unwritable' });
    }
    logger.warn(
      { reason: before.reason, floor, missing: before.missingSales.length },
      'lost sale records acknowledged by a technician; numbering continues above the floor',
    );
    this.current = {
      state: 'ok',
      reason: null,
      message: null,
      journalHighWater: floor,
      databaseHighWater: highestSaleSeq(db, terminalId),
      missingSales: [],
      walCopy: before.walCopy,
    };
    return { saleRecords: this.status(), nextSaleNumber: saleNumber(terminalId, nextSaleSeq(db, terminalId)) };
  }

  private check(opened: Pick<CheckedDatabase, 'wal' | 'walCopy'>): SaleRecordsStatus {
    const { db, terminalId, clock, logger } = this.deps;
    const dbHigh = highestSaleSeq(db, terminalId);
    const base = {
      journalHighWater: 0,
      databaseHighWater: dbHigh,
      missingSales: [] as string[],
      walCopy: opened.walCopy,
    };
    if (!this.journal.exists()) {
      // First start with the journal (new till, or one upgraded from a version without it).
      const floor = Math.max(dbHigh, saleNumberFloor(db, terminalId));
      this.journal.append({ k: 'mark', floor, why: 'start', at: clock().toISOString() });
      if (opened.wal.state !== 'damaged')
        return { state: 'ok', reason: null, message: null, ...base, journalHighWater: floor };
    }
    if (opened.wal.state === 'damaged') {
      // Keep the finding outside the database, then empty the WAL: SQLite has recovered what it
      // could, and stale frames left behind the damage would look like new damage next time.
      this.journal.append({
        k: 'alarm',
        reason: 'wal_damaged',
        detail: opened.wal.detail ?? 'damaged WAL',
        walCopy: opened.walCopy,
        at: clock().toISOString(),
      });
      checkpointAndTruncate(db, logger);
    }
    const contents = this.journal.read();
    base.journalHighWater = contents.highWater;
    const alarm = contents.alarmsSinceMark.at(-1);
    if (alarm) base.walCopy = alarm.walCopy;
    const has = db.prepare('SELECT 1 FROM sales WHERE id = ?');
    const missing = contents.salesSinceMark.filter((s) => !has.get(s.id));
    base.missingSales = missing.slice(0, MISSING_LISTED).map((s) => s.id);
    const reason: SaleRecordsStatus['reason'] = alarm
      ? 'wal_damaged'
      : missing.length > 0
        ? 'sales_missing'
        : contents.damagedLines.length > 0
          ? 'journal_damaged'
          : null;
    if (reason) {
      logger.error(
        {
          reason,
          wal: opened.wal,
          walCopy: opened.walCopy,
          missingSales: missing.length,
          damagedJournalLines: contents.damagedLines.length,
          journalHighWater: contents.highWater,
          databaseHighWater: dbHigh,
        },
        'sale records may be lost; selling paused until a technician acknowledges',
      );
      return { state: 'needs_technician', reason, message: MESSAGES[reason], ...base };
    }
    // Healthy: journaled numbers (and an earlier acknowledgement's floor) are never reissued.
    raiseSaleNumberFloor(db, terminalId, contents.highWater, clock());
    if (contents.records > JOURNAL_COMPACT_AFTER) this.compact(Math.max(contents.highWater, dbHigh));
    return { state: 'ok', reason: null, message: null, ...base };
  }

  /** Folds a verified journal into one mark, once every sale it names is in the main database file. */
  private compact(floor: number): void {
    const { db, clock, logger } = this.deps;
    try {
      if (!checkpointAndTruncate(db, logger)) return;
      this.journal.rewrite([{ k: 'mark', floor, why: 'compact', at: clock().toISOString() }]);
    } catch (err) {
      logger.warn({ err }, 'could not compact the sale journal; it keeps growing until the next start');
    }
  }
}

/** Copies the WAL into the main file and empties it; false when a reader kept it busy. */
function checkpointAndTruncate(db: Db, logger: pino.Logger): boolean {
  try {
    const r = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    return !r[0]?.busy;
  } catch (err) {
    logger.warn({ err }, 'WAL checkpoint failed');
    return false;
  }
}
