// `pos doctor`: one table of checks a technician reads top to bottom — pass / warn / fail and
// what to do — for a till: disk space, the database (PRAGMA quick_check) and its WAL, pairing,
// the running till service and its sync state, the clock against the hub and the cloud (the
// HLC refuses stamps more than 10 minutes ahead), and each configured device (printer paper
// and cover through the ESC/POS real-time status). `--json` prints {"checks":[…]}; the exit
// code is 1 when any check fails. `--bundle <file>` writes a gzipped JSON diagnostics bundle
// (versions, config, device list, checks, the last 1,000 audit lines) with personal data
// redacted (phones, member names, tokens, secrets, PINs, face templates).
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import {
  createTransport,
  DeviceConfigStore,
  parseDeviceUri,
  ReceiptPrinter,
  statusCode,
  statusMessage,
  type DeviceConfig,
} from '../drivers';
import { check, diskCheck, redact, type Check } from '../diagnostics';
import { replicaHoldsCredential } from '../sync/storage';

export interface DoctorOptions {
  dataDir: string;
  terminalId: string;
  /** The till service on this machine (its /health), or null to skip. */
  tillUrl: string | null;
  hubUrl: string | null;
  cloudUrl: string | null;
  /** Per network probe (default 2 s). */
  timeoutMs?: number;
  /** Device status query (default 2 s). */
  deviceTimeoutMs?: number;
}

/** The HLC refuses stamps further ahead than this (sync/core/hlc.ts maxDriftMs). */
const HLC_MAX_DRIFT_MS = 10 * 60_000;
const MB = 1024 * 1024;

function dbPath(o: DoctorOptions): string {
  return join(o.dataDir, 'terminal.db');
}

function databaseChecks(o: DoctorOptions): { checks: Check[]; db: Database.Database | null } {
  const path = dbPath(o);
  if (!existsSync(path))
    return {
      checks: [
        check(
          'database',
          'fail',
          `no database at ${path}`,
          'Start the till once (npm start) or point --data-dir / POS_DATA_DIR at its data folder.',
        ),
      ],
      db: null,
    };
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (err) {
    return {
      checks: [
        check(
          'database',
          'fail',
          `cannot open ${path}: ${(err as Error).message}`,
          'Check the file permissions and that the disk is healthy.',
        ),
      ],
      db: null,
    };
  }
  const out: Check[] = [];
  try {
    const rows = db.pragma('quick_check') as { quick_check: string }[];
    const first = rows[0]?.quick_check ?? 'no answer';
    out.push(
      first === 'ok'
        ? check('database', 'pass', 'PRAGMA quick_check: ok')
        : check(
            'database',
            'fail',
            `PRAGMA quick_check: ${rows
              .slice(0, 3)
              .map((r) => r.quick_check)
              .join('; ')}`,
            'Stop the till, copy the data folder aside, and call support: the database is damaged.',
          ),
    );
  } catch (err) {
    out.push(
      check(
        'database',
        'fail',
        `quick_check failed: ${(err as Error).message}`,
        'Stop the till and copy the data folder aside before anything else.',
      ),
    );
  }
  const wal = `${path}-wal`;
  const walBytes = existsSync(wal) ? statSync(wal).size : 0;
  const walText = `WAL ${Math.round(walBytes / MB)} MB`;
  out.push(
    walBytes > 512 * MB
      ? check(
          'wal',
          'fail',
          walText,
          'The WAL is not being checkpointed: restart the till service (a clean stop checkpoints it).',
        )
      : walBytes > 64 * MB
        ? check(
            'wal',
            'warn',
            walText,
            'Large WAL: a long-running reader may block checkpoints; restart the till at the end of the day.',
          )
        : check('wal', 'pass', walText),
  );
  return { checks: out, db };
}

function pairingCheck(o: DoctorOptions, db: Database.Database | null): Check {
  if (!db) return check('pairing', 'warn', 'database not readable', '');
  if (replicaHoldsCredential(db))
    return check('pairing', 'pass', 'paired with the store (a device credential is held)');
  if (!o.hubUrl && !o.cloudUrl)
    return check(
      'pairing',
      'warn',
      'not paired: this till runs alone (demo or single till)',
      'To join a store: set HUB_URL / POS_CLOUD_URL and ENROLL_CODE, or run the pairing wizard.',
    );
  return check(
    'pairing',
    'fail',
    'a hub or cloud is configured but this till holds no credential',
    'Pair again with a fresh code from the cloud admin (ENROLL_CODE), then restart.',
  );
}

async function fetchWithTime(
  url: string,
  timeoutMs: number,
): Promise<{ res: Response; sentAt: number; gotAt: number }> {
  const sentAt = Date.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { res, sentAt, gotAt: Date.now() };
}

async function tillCheck(o: DoctorOptions): Promise<Check[]> {
  if (!o.tillUrl) return [];
  try {
    const { res } = await fetchWithTime(`${o.tillUrl}/health`, o.timeoutMs ?? 2000);
    const body = (await res.json()) as {
      ok?: boolean;
      version?: string;
      sync?: { state: string; pendingOps: number; lagSeconds: number | null; reason: string | null } | null;
      saleRecords?: { state: string } | null;
    };
    const out: Check[] = [check('till-service', 'pass', `answering at ${o.tillUrl} (version ${body.version ?? '?'})`)];
    if (body.saleRecords && body.saleRecords.state !== 'ok')
      out.push(
        check(
          'sale-records',
          'fail',
          `sale records: ${body.saleRecords.state}`,
          'Selling is paused: follow docs/security-notes on lost sales, then acknowledge on the Setup screen.',
        ),
      );
    const s = body.sync;
    if (!s || s.state === 'disabled')
      out.push(
        check(
          'sync',
          'warn',
          'sync is off on this till',
          'Single-till or demo mode: nothing replicates to the hub or cloud.',
        ),
      );
    else if (s.state === 'error')
      out.push(
        check(
          'sync',
          'fail',
          `sync error (${s.reason ?? 'unknown'}), ${s.pendingOps} changes waiting`,
          s.reason === 'revoked'
            ? 'This till was revoked: pair it again.'
            : s.reason === 'clock-ahead'
              ? 'Fix the clock (see the clock check), then sync again.'
              : 'Check the network to the hub; the till keeps selling and will catch up.',
        ),
      );
    else {
      const lag = s.lagSeconds ?? 0;
      out.push(
        lag > 300 || s.pendingOps > 10_000
          ? check(
              'sync',
              'warn',
              `${s.pendingOps} changes waiting, ${lag} s behind`,
              'Sync is slow: check the hub and the LAN.',
            )
          : check('sync', 'pass', `${s.state}, ${s.pendingOps} changes waiting, ${lag} s behind`),
      );
    }
    return out;
  } catch (err) {
    return [
      check(
        'till-service',
        'warn',
        `nothing answers at ${o.tillUrl} (${(err as Error).name})`,
        'Start the till (npm start), or pass --url with its address.',
      ),
    ];
  }
}

/** Clock offset against a server's Date header (1 s resolution), corrected for half the round trip. */
async function clockCheck(name: string, url: string | null, o: DoctorOptions): Promise<Check[]> {
  if (!url) return [];
  try {
    const { res, sentAt, gotAt } = await fetchWithTime(`${url}/health`, o.timeoutMs ?? 2000);
    await res.arrayBuffer().catch(() => undefined);
    const date = res.headers.get('date');
    const reach = check(name, 'pass', `${url} answers (${gotAt - sentAt} ms)`);
    if (!date) return [reach, check(`clock-${name}`, 'warn', `${name} sent no Date header`, '')];
    const server = Date.parse(date) + 500;
    const offset = (sentAt + gotAt) / 2 - server;
    const text = `this machine is ${Math.abs(offset / 1000).toFixed(1)} s ${offset >= 0 ? 'ahead of' : 'behind'} the ${name}`;
    if (Math.abs(offset) >= HLC_MAX_DRIFT_MS)
      return [
        reach,
        check(
          `clock-${name}`,
          'fail',
          `${text}; changes stamped this far apart are refused (limit 10 min)`,
          'Set the system clock (timedatectl set-ntp true, or the BIOS clock), then restart the till.',
        ),
      ];
    if (Math.abs(offset) > 5_000)
      return [reach, check(`clock-${name}`, 'warn', text, 'Turn on time synchronisation (timedatectl set-ntp true).')];
    return [reach, check(`clock-${name}`, 'pass', text)];
  } catch (err) {
    return [
      check(
        name,
        'fail',
        `${url} does not answer (${(err as Error).name})`,
        `Check the network cable and that the ${name} is running; the till keeps selling offline.`,
      ),
    ];
  }
}

async function printerCheck(c: DeviceConfig, timeoutMs: number): Promise<Check> {
  const name = `device ${c.deviceId}`;
  let p: ReceiptPrinter | null = null;
  try {
    p = new ReceiptPrinter(c.deviceId, createTransport(parseDeviceUri(c.uri)), { statusTimeoutMs: timeoutMs });
    await Promise.race([
      p.start('pos-doctor'),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs)),
    ]);
    const s = await p.queryStatus();
    const code = statusCode(s);
    if (code === 'ok') return check(name, 'pass', `${c.kind} at ${c.uri}: ready`);
    if (code === 'paper_near_end')
      return check(name, 'warn', `${c.kind} at ${c.uri}: ${statusMessage(code)}`, 'Put a new paper roll ready.');
    return check(
      name,
      'fail',
      `${c.kind} at ${c.uri}: ${statusMessage(code)}`,
      code === 'cover_open'
        ? 'Close the printer cover.'
        : code === 'paper_out'
          ? 'Load a paper roll.'
          : 'Power-cycle the printer and check its cable.',
    );
  } catch (err) {
    return check(
      name,
      'fail',
      `${c.kind} at ${c.uri}: no answer (${(err as Error).message})`,
      'Check power and cable; `pos devices` lists what this machine can see.',
    );
  } finally {
    await p?.close().catch(() => undefined);
  }
}

function deviceChecks(o: DoctorOptions, db: Database.Database | null): Promise<Check[]> {
  if (!db) return Promise.resolve([]);
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'device_config'").get();
  const configured = has ? new DeviceConfigStore(db, o.terminalId).list().filter((d) => d.enabled) : [];
  if (configured.length === 0)
    return Promise.resolve([
      check(
        'devices',
        'warn',
        'no devices configured on this till',
        'Add the printer, scanner and scale on the Setup screen.',
      ),
    ]);
  return Promise.all(
    configured.map((c) =>
      c.kind === 'printer'
        ? printerCheck(c, o.deviceTimeoutMs ?? 2000)
        : Promise.resolve(
            check(
              `device ${c.deviceId}`,
              'pass',
              `${c.kind} at ${c.uri} configured (test it with pos test-scan / the Setup screen)`,
            ),
          ),
    ),
  );
}

export async function runDoctor(o: DoctorOptions): Promise<Check[]> {
  const checks: Check[] = [diskCheck(o.dataDir)];
  const { checks: dbChecks, db } = databaseChecks(o);
  checks.push(...dbChecks);
  try {
    checks.push(pairingCheck(o, db));
    const [till, hub, cloud, devices] = await Promise.all([
      tillCheck(o),
      clockCheck('hub', o.hubUrl, o),
      clockCheck('cloud', o.cloudUrl, o),
      deviceChecks(o, db),
    ]);
    checks.push(...till, ...hub, ...cloud, ...devices);
  } finally {
    db?.close();
  }
  return checks;
}

// ---- the diagnostics bundle ----

export interface BundleResult {
  path: string;
  bytes: number;
  auditLines: number;
}

export async function writeBundle(
  o: DoctorOptions,
  path: string,
  versions: Record<string, string>,
): Promise<BundleResult> {
  const checks = await runDoctor(o);
  const file = dbPath(o);
  let audit: unknown[] = [];
  let config: unknown = null;
  let devices: unknown[] = [];
  if (existsSync(file)) {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const table = (n: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(n);
      if (table('audit_log'))
        audit = (
          db
            .prepare(
              'SELECT id, at, action, terminal_id, staff_id, approved_by_id, detail FROM audit_log ORDER BY at DESC LIMIT 1000',
            )
            .all() as { detail: string }[]
        ).map((r) => ({ ...r, detail: safeJson(r.detail) }));
      if (table('kv')) config = db.prepare("SELECT key, value FROM kv WHERE key = 'till-config'").all();
      if (table('device_config')) devices = new DeviceConfigStore(db, o.terminalId).list();
    } finally {
      db.close();
    }
  }
  const bundle = {
    createdAt: new Date().toISOString(),
    terminalId: o.terminalId,
    versions,
    // Check names are ours; their details may quote addresses, so only the text rules apply.
    checks: checks.map((c) => ({ ...c, detail: redact(c.detail), fix: c.fix })),
    config: redact(config),
    devices: redact(devices),
    audit: redact(audit),
  };
  const bytes = gzipSync(JSON.stringify(bundle, null, 1));
  writeFileSync(path, bytes, { mode: 0o600 });
  return { path, bytes: bytes.length, auditLines: audit.length };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
