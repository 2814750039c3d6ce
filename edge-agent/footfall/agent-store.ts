// The agent's own SQLite: crossing events (time, camera, anonymous track id, direction),
// interval facts per camera (15 min and 1 h: in/out/occupancy max), dwell records, the
// transactions-per-hour table used when no sales facts are synced, and saved settings.
// No images, no appearance data: a track id is a per-camera counter that restarts.
import Database from 'better-sqlite3';
import { redactDeep } from '../ingest';
import { intervalStart, PERIOD_MS, type Period } from './intervals';

export interface CrossingRow {
  at: string;
  camera: string;
  trackId: number;
  direction: 'in' | 'out';
  cancels: boolean;
}
export interface IntervalRow {
  camera: string;
  period: Period;
  start: string;
  end: string;
  in: number;
  out: number;
  occupancyMax: number;
}

const MIGRATION = `
CREATE TABLE IF NOT EXISTS crossing_events (
  id INTEGER PRIMARY KEY, at TEXT NOT NULL, camera TEXT NOT NULL, track_id INTEGER NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('in','out')), cancels INTEGER NOT NULL DEFAULT 0, cancels_at TEXT);
CREATE INDEX IF NOT EXISTS crossing_events_at ON crossing_events(at);
CREATE TABLE IF NOT EXISTS footfall_intervals (
  camera TEXT NOT NULL, period TEXT NOT NULL CHECK (period IN ('15m','1h')), start TEXT NOT NULL, end TEXT NOT NULL,
  in_count INTEGER NOT NULL DEFAULT 0 CHECK (in_count >= 0), out_count INTEGER NOT NULL DEFAULT 0 CHECK (out_count >= 0),
  occupancy_max INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (camera, period, start));
CREATE TABLE IF NOT EXISTS zone_dwell (id INTEGER PRIMARY KEY, camera TEXT NOT NULL, zone TEXT NOT NULL, entered_at TEXT NOT NULL, left_at TEXT NOT NULL, seconds REAL NOT NULL);
CREATE TABLE IF NOT EXISTS transactions_hourly (date TEXT NOT NULL, hour INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23), count INTEGER NOT NULL CHECK (count >= 0), PRIMARY KEY (date, hour));
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS agent_audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, action TEXT NOT NULL, by TEXT NOT NULL, detail TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS agent_audit_no_update BEFORE UPDATE ON agent_audit BEGIN SELECT RAISE(ABORT, 'audit entries are immutable'); END;
CREATE TRIGGER IF NOT EXISTS agent_audit_no_delete BEFORE DELETE ON agent_audit BEGIN SELECT RAISE(ABORT, 'audit entries are immutable'); END;
`;

export interface AgentAuditRow {
  at: string;
  action: string;
  by: string;
  detail: Record<string, unknown>;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class AgentStore {
  readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(MIGRATION);
  }

  /** Records a crossing and moves the interval counts (a U-turn's cancel takes its count back). */
  recordCrossing(
    camera: string,
    e: { trackId: number; direction: 'in' | 'out'; at: number; cancels: boolean; cancelsAt?: number },
    occupancy: number,
  ): Array<{ camera: string; period: Period; start: number }> {
    const touched: Array<{ camera: string; period: Period; start: number }> = [];
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT INTO crossing_events (at, camera, track_id, direction, cancels, cancels_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(
          iso(e.at),
          camera,
          e.trackId,
          e.direction,
          e.cancels ? 1 : 0,
          e.cancelsAt === undefined ? null : iso(e.cancelsAt),
        );
      for (const period of ['15m', '1h'] as const) {
        const countAt = e.cancels && e.cancelsAt !== undefined ? e.cancelsAt : e.at;
        const start = intervalStart(countAt, period);
        this.ensure(camera, period, start);
        if (e.cancels) {
          // the undone crossing went the other way
          const col = e.direction === 'in' ? 'out_count' : 'in_count';
          this.db
            .prepare(
              `UPDATE footfall_intervals SET ${col} = MAX(0, ${col} - 1) WHERE camera = ? AND period = ? AND start = ?`,
            )
            .run(camera, period, iso(start));
        } else {
          const col = e.direction === 'in' ? 'in_count' : 'out_count';
          this.db
            .prepare(`UPDATE footfall_intervals SET ${col} = ${col} + 1 WHERE camera = ? AND period = ? AND start = ?`)
            .run(camera, period, iso(start));
        }
        touched.push({ camera, period, start });
        this.noteOccupancy(camera, period, intervalStart(e.at, period), occupancy);
      }
    })();
    return touched;
  }

  noteOccupancy(camera: string, period: Period, start: number, occupancy: number): void {
    this.ensure(camera, period, start);
    this.db
      .prepare(
        'UPDATE footfall_intervals SET occupancy_max = MAX(occupancy_max, ?) WHERE camera = ? AND period = ? AND start = ?',
      )
      .run(occupancy, camera, period, iso(start));
  }

  private ensure(camera: string, period: Period, start: number): void {
    this.db
      .prepare('INSERT OR IGNORE INTO footfall_intervals (camera, period, start, end) VALUES (?, ?, ?, ?)')
      .run(camera, period, iso(start), iso(start + PERIOD_MS[period]));
  }

  /**
   * Sets a camera's 15-minute counts from outside (a third-party door counter, a manual
   * correction) and makes the hour that holds each quarter the sum of its quarters again.
   */
  putQuarters(camera: string, rows: Array<{ start: number; in: number; out: number }>): void {
    this.db.transaction(() => {
      for (const r of rows) {
        this.ensure(camera, '15m', r.start);
        this.db
          .prepare(
            'UPDATE footfall_intervals SET in_count = ?, out_count = ? WHERE camera = ? AND period = ? AND start = ?',
          )
          .run(r.in, r.out, camera, '15m', iso(r.start));
        const hour = intervalStart(r.start, '1h');
        this.ensure(camera, '1h', hour);
        const sum = this.db
          .prepare(
            "SELECT COALESCE(SUM(in_count), 0) AS i, COALESCE(SUM(out_count), 0) AS o FROM footfall_intervals WHERE camera = ? AND period = '15m' AND start >= ? AND start < ?",
          )
          .get(camera, iso(hour), iso(hour + PERIOD_MS['1h'])) as { i: number; o: number };
        this.db
          .prepare(
            "UPDATE footfall_intervals SET in_count = ?, out_count = ? WHERE camera = ? AND period = '1h' AND start = ?",
          )
          .run(sum.i, sum.o, camera, iso(hour));
      }
    })();
  }

  recordDwell(camera: string, d: { zone: string; enteredAt: number; leftAt: number; seconds: number }): void {
    this.db
      .prepare('INSERT INTO zone_dwell (camera, zone, entered_at, left_at, seconds) VALUES (?, ?, ?, ?, ?)')
      .run(camera, d.zone, iso(d.enteredAt), iso(d.leftAt), d.seconds);
  }

  interval(camera: string, period: Period, start: number): IntervalRow | null {
    const r = this.db
      .prepare(
        'SELECT camera, period, start, end, in_count AS "in", out_count AS out, occupancy_max AS occupancyMax FROM footfall_intervals WHERE camera = ? AND period = ? AND start = ?',
      )
      .get(camera, period, iso(start)) as IntervalRow | undefined;
    return r ?? null;
  }

  intervals(fromMs: number, toMs: number, period: Period, camera?: string): IntervalRow[] {
    const sql = `SELECT camera, period, start, end, in_count AS "in", out_count AS out, occupancy_max AS occupancyMax FROM footfall_intervals
      WHERE period = ? AND start >= ? AND start < ? ${camera ? 'AND camera = ?' : ''} ORDER BY start, camera`;
    const args: unknown[] = [period, iso(fromMs), iso(toMs)];
    if (camera) args.push(camera);
    return this.db.prepare(sql).all(...args) as IntervalRow[];
  }

  events(fromMs: number, toMs: number, limit = 1000): CrossingRow[] {
    const rows = this.db
      .prepare(
        'SELECT at, camera, track_id AS trackId, direction, cancels FROM crossing_events WHERE at >= ? AND at < ? ORDER BY id LIMIT ?',
      )
      .all(iso(fromMs), iso(toMs), limit) as Array<Omit<CrossingRow, 'cancels'> & { cancels: number }>;
    return rows.map((r) => ({ ...r, cancels: r.cancels === 1 }));
  }

  setTransactions(date: string, hours: Record<string, number>): void {
    const put = this.db.prepare(
      'INSERT INTO transactions_hourly (date, hour, count) VALUES (?, ?, ?) ON CONFLICT (date, hour) DO UPDATE SET count = excluded.count',
    );
    this.db.transaction(() => {
      for (const [h, n] of Object.entries(hours)) put.run(date, Number(h), n);
    })();
  }

  transactions(date: string): Map<number, number> {
    const rows = this.db.prepare('SELECT hour, count FROM transactions_hourly WHERE date = ?').all(date) as Array<{
      hour: number;
      count: number;
    }>;
    return new Map(rows.map((r) => [r.hour, r.count]));
  }

  /**
   * Appends to the agent's audit log (who switched debug snapshots, changed cameras, …);
   * immutable, so credentials are filtered out before they are written, not when read.
   */
  audit(entry: AgentAuditRow): void {
    const e = redactDeep(entry);
    this.db
      .prepare('INSERT INTO agent_audit (at, action, by, detail) VALUES (?, ?, ?, ?)')
      .run(e.at, e.action, e.by, JSON.stringify(e.detail));
  }

  auditLog(limit = 100): AgentAuditRow[] {
    const rows = this.db
      .prepare('SELECT at, action, by, detail FROM agent_audit ORDER BY id DESC LIMIT ?')
      .all(limit) as Array<{ at: string; action: string; by: string; detail: string }>;
    return rows.map((r) => ({
      at: r.at,
      action: r.action,
      by: r.by,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }

  getSetting(key: string): string | null {
    const r = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return r?.value ?? null;
  }

  setSetting(key: string, value: string): void {
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }

  close(): void {
    this.db.close();
  }
}
