// The sale journal: a small append-only file beside terminal.db that remembers every sale the
// till acknowledged (id, receipt number, sequence), one checksummed line each, fsync'd before
// `cart.pay` answers. It exists because SQLite, on opening a WAL whose frame checksum fails,
// silently drops that frame and every frame after it: committed sales vanish, `integrity_check`
// still says ok, and the next sale would take a number already printed. The journal is the
// record of "what was acknowledged" that does not live in the database's own WAL.
//
// Line format (UTF-8, one record per line):  <json>\t<sha256(json) first 16 hex>\n
//   {"k":"sale","seq":184,"id":"…","number":"T01-000184","at":"…"}
//   {"k":"mark","floor":1284,"why":"start"|"ack"|"compact","at":"…","by":"staff id"?}
//   {"k":"alarm","reason":"wal_damaged","detail":"…","walCopy":"…"|null,"at":"…"}
// An `alarm` keeps a finding that the database itself no longer shows (the damaged WAL is
// emptied once seen) until a technician's acknowledgement. A `mark` says: everything before it is accounted for, and no sale number at or below `floor`
// may be issued again. A last line without its newline is a write torn by a power cut (its
// sale was never acknowledged) and is ignored; a whole line whose checksum fails is damage.
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

const saleRecord = z.object({
  k: z.literal('sale'),
  seq: z.number().int().positive(),
  id: z.string().min(1).max(80),
  number: z.string().min(1).max(80),
  at: z.string().max(40),
});
const markRecord = z.object({
  k: z.literal('mark'),
  floor: z.number().int().min(0),
  why: z.enum(['start', 'ack', 'compact']),
  at: z.string().max(40),
  by: z.string().max(80).optional(),
});
const alarmRecord = z.object({
  k: z.literal('alarm'),
  reason: z.literal('wal_damaged'),
  detail: z.string().max(500),
  walCopy: z.string().max(1000).nullable(),
  at: z.string().max(40),
});
const journalRecord = z.discriminatedUnion('k', [saleRecord, markRecord, alarmRecord]);

export type JournalSale = z.infer<typeof saleRecord>;
export type JournalMark = z.infer<typeof markRecord>;
export type JournalAlarm = z.infer<typeof alarmRecord>;
export type JournalRecord = z.infer<typeof journalRecord>;

export interface JournalContents {
  /** Sale records after the last mark (the ones still to be checked against the database). */
  salesSinceMark: JournalSale[];
  /** Findings recorded after the last mark, not yet acknowledged. */
  alarmsSinceMark: JournalAlarm[];
  /** The last mark, if any. */
  lastMark: JournalMark | null;
  /** Highest sequence in any readable record (sale seq or mark floor): never to be reused. */
  highWater: number;
  /** Complete lines after the last mark whose checksum or shape is wrong (1-based line numbers). */
  damagedLines: number[];
  /** True when the last line was cut off mid-write (ignored: its sale was never acknowledged). */
  tornTail: boolean;
  /** Records in the file (for compaction). */
  records: number;
}

function checksum(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

export function formatJournalLine(record: JournalRecord): string {
  const json = JSON.stringify(record);
  return `${json}\t${checksum(json)}\n`;
}

/** Pure: parses the journal's bytes. Never throws. */
export function parseJournal(text: string): JournalContents {
  const out: JournalContents = {
    salesSinceMark: [],
    alarmsSinceMark: [],
    lastMark: null,
    highWater: 0,
    damagedLines: [],
    tornTail: false,
    records: 0,
  };
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  if (last.length > 0) out.tornTail = true;
  lines.forEach((line, i) => {
    const tab = line.lastIndexOf('\t');
    const json = tab >= 0 ? line.slice(0, tab) : '';
    let parsed: JournalRecord | null = null;
    if (tab >= 0 && checksum(json) === line.slice(tab + 1)) {
      try {
        const r = journalRecord.safeParse(JSON.parse(json));
        if (r.success) parsed = r.data;
      } catch {
        /* counted as damage below */
      }
    }
    if (!parsed) {
      out.damagedLines.push(i + 1);
      return;
    }
    out.records++;
    if (parsed.k === 'mark') {
      out.lastMark = parsed;
      out.salesSinceMark = [];
      out.alarmsSinceMark = [];
      out.damagedLines = [];
      out.highWater = Math.max(out.highWater, parsed.floor);
    } else if (parsed.k === 'alarm') {
      out.alarmsSinceMark.push(parsed);
    } else {
      out.salesSinceMark.push(parsed);
      out.highWater = Math.max(out.highWater, parsed.seq);
    }
  });
  return out;
}

/** The journal file: read at open, appended (and fsync'd) per acknowledged sale. */
export class SaleJournal {
  private fd: number | null = null;

  constructor(readonly file: string) {}

  exists(): boolean {
    return existsSync(this.file);
  }

  read(): JournalContents {
    return parseJournal(this.exists() ? readFileSync(this.file, 'utf8') : '');
  }

  /** Appends one record and returns once it is on disk (fsync). */
  append(record: JournalRecord): void {
    if (this.fd === null) {
      const created = !this.exists();
      if (!created) this.cutTornTail();
      this.fd = openSync(this.file, 'a');
      // A new file's directory entry must be durable too, or a power cut can lose the file.
      if (created) syncDirectory(dirname(this.file));
    }
    writeSync(this.fd, formatJournalLine(record));
    fsyncSync(this.fd);
  }

  /** Drops a last line cut off by a power cut, so the next record starts on a line of its own. */
  private cutTornTail(): void {
    const text = readFileSync(this.file);
    if (text.length === 0 || text[text.length - 1] === 0x0a) return;
    const fd = openSync(this.file, 'r+');
    try {
      ftruncateSync(fd, text.lastIndexOf(0x0a) + 1);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Replaces the whole file with `records` atomically (write, fsync, rename, fsync dir). */
  rewrite(records: JournalRecord[]): void {
    this.close();
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, records.map(formatJournalLine).join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    syncDirectory(dirname(this.file));
  }

  close(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}

function syncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    /* some file systems refuse fsync on a directory; the data file itself is synced */
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
