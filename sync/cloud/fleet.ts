// The cloud admin's fleet view (docs/technician.md "Fleet view"): every store with its hubs and
// tills, their versions, when each last synced, device alerts and cameras that are not streaming,
// from the devices table and the status reports devices send (sync/protocol/device-report.ts).
// GET /api/fleet (admin token) answers JSON; GET /admin/fleet is a page that shows it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { jsonReply, type KitEnv } from '../../http-kit';
import type { PgSyncStorage } from '../storage';
import { deviceReportSchema, syncError, type DeviceReport } from '../protocol';

/** A hub whose report is older than this no longer vouches for its cameras. */
export const REPORT_STALE_MS = 5 * 60_000;

interface DeviceRow {
  id: string;
  store_id: string;
  role: string;
  enrolled_at: Date | string;
  revoked_at: Date | string | null;
  last_seen_at: Date | string | null;
  report: unknown;
  reported_at: Date | string | null;
}

export interface FleetDevice {
  id: string;
  role: string;
  enrolledAt: string;
  revoked: boolean;
  /** Last sync with the cloud itself. */
  lastSeenAt: string | null;
  version: string | null;
  reportedAt: string | null;
}

export interface FleetTill {
  id: string;
  /** The newest of: its own sync with the cloud, its last sync with a hub that reported it. */
  lastSyncAt: string | null;
  via: Array<'cloud' | 'hub'>;
  version: string | null;
  revoked: boolean;
}

export interface FleetStore {
  storeId: string;
  lastSyncAt: string | null;
  hubs: FleetDevice[];
  tills: FleetTill[];
  alerts: Array<{ device: string; source: string; code: string }>;
  camerasOffline: Array<{ hub: string; camera: string; state: string; lastFrameAt: string | null }>;
}

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());
const newest = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);

/** A stored report read back defensively: one saved by an older version parses or counts as none. */
function readReport(raw: unknown): DeviceReport | null {
  const value = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
  const r = deviceReportSchema.safeParse(value);
  return r.success ? r.data : null;
}

export async function fleetView(storage: PgSyncStorage, now = Date.now(), storeId?: string): Promise<FleetStore[]> {
  const rows = (
    await storage.readDb.query<DeviceRow>(
      `SELECT id, store_id, role, enrolled_at, revoked_at, last_seen_at, report, reported_at
         FROM ${storage.table}.devices WHERE ($1::text IS NULL OR store_id = $1) ORDER BY store_id, id`,
      [storeId ?? null],
    )
  ).rows;
  const stores = new Map<string, FleetStore>();
  const tillsOf = new Map<string, Map<string, FleetTill>>();
  for (const row of rows) {
    let s = stores.get(row.store_id);
    if (!s) {
      s = { storeId: row.store_id, lastSyncAt: null, hubs: [], tills: [], alerts: [], camerasOffline: [] };
      stores.set(row.store_id, s);
      tillsOf.set(row.store_id, new Map());
    }
    const tills = tillsOf.get(row.store_id)!;
    const report = row.revoked_at ? null : readReport(row.report);
    const device: FleetDevice = {
      id: row.id,
      role: row.role,
      enrolledAt: iso(row.enrolled_at)!,
      revoked: row.revoked_at !== null,
      lastSeenAt: iso(row.last_seen_at),
      version: report?.version ?? null,
      reportedAt: iso(row.reported_at),
    };
    if (!device.revoked) s.lastSyncAt = newest(s.lastSyncAt, device.lastSeenAt);
    for (const a of report?.alerts ?? []) s.alerts.push({ device: row.id, source: a.source, code: a.code });
    if (row.role === 'hub') {
      s.hubs.push(device);
      const fresh = row.reported_at !== null && now - new Date(row.reported_at).getTime() <= REPORT_STALE_MS;
      for (const c of report?.cameras ?? []) {
        if (fresh && c.state === 'streaming') continue;
        s.camerasOffline.push({
          hub: row.id,
          camera: c.id,
          state: fresh ? c.state : 'unreported',
          lastFrameAt: c.lastFrameAt ?? null,
        });
      }
      for (const t of report?.tills ?? []) {
        const till = tills.get(t.id) ?? { id: t.id, lastSyncAt: null, via: [], version: null, revoked: false };
        till.lastSyncAt = newest(till.lastSyncAt, new Date(t.lastSeenAt).toISOString());
        if (!till.via.includes('hub')) till.via.push('hub');
        till.version = t.version ?? till.version;
        for (const a of t.alerts) s.alerts.push({ device: t.id, source: a.source, code: a.code });
        tills.set(t.id, till);
      }
    } else {
      const till = tills.get(row.id) ?? { id: row.id, lastSyncAt: null, via: [], version: null, revoked: false };
      till.revoked = device.revoked;
      till.lastSyncAt = newest(till.lastSyncAt, device.lastSeenAt);
      if (device.lastSeenAt && !till.via.includes('cloud')) till.via.push('cloud');
      till.version = device.version ?? till.version;
      tills.set(row.id, till);
    }
  }
  for (const s of stores.values()) {
    s.tills = [...tillsOf.get(s.storeId)!.values()].sort((a, b) => a.id.localeCompare(b.id));
    for (const t of s.tills) if (!t.revoked) s.lastSyncAt = newest(s.lastSyncAt, t.lastSyncAt);
  }
  return [...stores.values()];
}

const PAGE_DIR = join(import.meta.dirname, 'fleet-page');

export function createFleetRoutes(o: {
  storage: PgSyncStorage;
  requireAdmin: (header: string | undefined) => void;
}): Hono<KitEnv> {
  const page = (file: string, type: string) => () =>
    new Response(readFileSync(join(PAGE_DIR, file), 'utf8'), {
      status: 200,
      headers: {
        'content-type': type,
        'cache-control': 'no-cache',
        'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
      },
    });
  return (
    new Hono<KitEnv>()
      // The page holds no data: the admin types the token into it and it calls /api/fleet.
      .get('/admin/fleet', page('fleet-page.html', 'text/html; charset=utf-8'))
      .get('/admin/fleet-page.js', page('fleet-page.js', 'text/javascript; charset=utf-8'))
      .get('/api/fleet', async (c) => {
        o.requireAdmin(c.env.incoming.headers.authorization);
        const storeId = c.req.query('storeId');
        if (storeId !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(storeId))
          throw syncError('BAD_INPUT', 'storeId is 1-32 letters, digits, _ or -');
        const now = Date.now();
        return jsonReply(200, {
          ok: true,
          at: new Date(now).toISOString(),
          stores: await fleetView(o.storage, now, storeId),
        });
      })
  );
}
