// The cloud's fleet view from what devices report, on real sockets (PGlite or Postgres): a till
// syncs with its store hub and tells it its version and a printer alert; the hub (the edge
// agent's reporter) passes that on with its own version and cameras; HQ reads stores, hubs,
// tills, versions, last sync, alerts and cameras offline with the admin token — and nobody
// reads it without. Reports are codes and ids only: a camera URL in one is refused whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, startSyncHub, fleetView, type CloudHandle, type SyncHub } from '../../sync';
import { agentFleetReport } from '../../edge-agent/service';
import { openTerminalCore, type TerminalCore } from '../../app/core';
import pkg from '../../package.json';
import { cloudDb, postJson, quietLog, tempDir, waitFor } from './helpers';

const ADMIN = 'fleet-test-admin-token';
let cloud: CloudHandle;
let hub: SyncHub;
let tillToken: string;
let core: TerminalCore | null = null;
const code = async (storeId: string, role: 'hub' | 'terminal') =>
  (await postJson(`${cloud.url}/sync/admin/enroll-codes`, { storeId, role }, ADMIN)).body.code as string;

const getFleet = async (token?: string, query = '') => {
  const r = await fetch(`${cloud.url}/api/fleet${query}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: r.status, body: (await r.json()) as any };
};

// Camera statuses as the agent's runners give them (only the fields the report reads matter).
const camera = (id: string, state: string, fps: number) =>
  ({ id, source: { state }, fps, lastFrameAt: '2026-12-05T10:00:00.000Z' }) as any;

beforeAll(async () => {
  cloud = await startCloud({ ...cloudDb('fleet'), adminToken: ADMIN, log: quietLog });
  hub = await startSyncHub({
    port: 0,
    dataDir: tempDir('fleet-hub'),
    cloudUrl: cloud.url,
    enrollCode: await code('S1', 'hub'),
    storeId: 'S1',
    log: quietLog,
    intervalMs: 200,
  });
  await waitFor('hub enrolled', async () => (await hub.storage.getMeta('sync.credential')) !== null);
  // The till pairs through the hub (which forwards to the cloud) and syncs with the hub only.
  const enrolled = await postJson(`${hub.url}/sync/enroll`, { code: await code('S1', 'terminal'), deviceId: 'T01' });
  expect(enrolled.status).toBe(200);
  tillToken = enrolled.body.token;
  // A second store that never reported anything.
  await postJson(`${cloud.url}/sync/enroll`, { code: await code('S2', 'terminal'), deviceId: 'T01' });
});

afterAll(async () => {
  await core?.close();
  await hub?.close();
  if (cloud) {
    if (process.env['DATABASE_URL']) await cloud.storage.dropSchema();
    await cloud.close();
  }
});

describe('fleet view', () => {
  it('shows the hub, its tills, versions, alerts and the cameras that are down', async () => {
    const tillReport = await postJson(
      `${hub.url}/sync/report`,
      { version: '0.1.0', alerts: [{ source: 'printer-1', code: 'COVER_OPEN' }] },
      tillToken,
    );
    expect(tillReport).toMatchObject({ status: 200, body: { ok: true } });
    const report = agentFleetReport(
      '0.2.0',
      [camera('door1', 'streaming', 6), camera('door2', 'backoff', 0)],
      hub.devices(),
    );
    const sent = await hub.client.postToPeer('cloud', '/sync/report', report);
    expect(sent?.status).toBe(200);

    const fleet = await getFleet(ADMIN);
    expect(fleet.status).toBe(200);
    const s1 = fleet.body.stores.find((s: any) => s.storeId === 'S1');
    expect(s1.hubs).toHaveLength(1);
    expect(s1.hubs[0]).toMatchObject({ role: 'hub', version: '0.2.0', revoked: false });
    expect(Date.parse(s1.hubs[0].lastSeenAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(s1.tills).toEqual([
      { id: 'T01', lastSyncAt: expect.any(String), via: ['hub'], version: '0.1.0', revoked: false },
    ]);
    expect(Date.parse(s1.lastSyncAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(s1.alerts).toEqual(
      expect.arrayContaining([
        { device: 'T01', source: 'printer-1', code: 'COVER_OPEN' },
        { device: s1.hubs[0].id, source: 'camera:door2', code: 'CAMERA_DOWN' },
      ]),
    );
    expect(s1.camerasOffline).toEqual([
      { hub: s1.hubs[0].id, camera: 'door2', state: 'backoff', lastFrameAt: '2026-12-05T10:00:00.000Z' },
    ]);
    const s2 = fleet.body.stores.find((s: any) => s.storeId === 'S2');
    expect(s2).toMatchObject({ hubs: [], alerts: [], camerasOffline: [] });
    expect(s2.tills[0]).toMatchObject({ id: 'T01', version: null, via: [] });

    expect((await getFleet(ADMIN, '?storeId=S2')).body.stores.map((s: any) => s.storeId)).toEqual(['S2']);
    expect((await getFleet(ADMIN, '?storeId=../x')).status).toBe(400);
  });

  it('marks a silent hub’s cameras unreported after five minutes', async () => {
    const later = await fleetView(cloud.storage, Date.now() + 6 * 60_000, 'S1');
    expect(later[0]!.camerasOffline.map((c) => [c.camera, c.state])).toEqual([
      ['door1', 'unreported'],
      ['door2', 'unreported'],
    ]);
  });

  it('answers nobody without the admin token, and takes no report without a device credential', async () => {
    expect((await getFleet()).status).toBe(401);
    expect((await getFleet('wrong-token')).status).toBe(401);
    expect((await postJson(`${cloud.url}/sync/report`, { version: '6.6.6' })).status).toBe(401);
    expect((await postJson(`${hub.url}/sync/report`, { version: '6.6.6' }, 'not-a-token')).status).toBe(401);
    const page = await fetch(`${cloud.url}/admin/fleet`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/admin/fleet-page.js');
  });

  it('refuses a report carrying more than codes and ids, and keeps the last good one', async () => {
    for (const bad of [
      { version: '0.3.0', cameras: [{ id: 'rtsp://admin:pw@10.0.0.5/s', state: 'streaming' }] },
      { version: '0.3.0', alerts: [{ source: 'printer-1', code: 'Printer cover open, call 13912345678' }] },
      { version: 'x'.repeat(41) },
      { alerts: [] },
    ]) {
      const r = await hub.client.postToPeer('cloud', '/sync/report', bad);
      expect(r?.status, JSON.stringify(bad)).toBe(400);
      expect((r?.body as any).error.code).toBe('BAD_INPUT');
    }
    const s1 = (await getFleet(ADMIN, '?storeId=S1')).body.stores[0];
    expect(s1.hubs[0].version).toBe('0.2.0');
    expect(JSON.stringify(s1)).not.toContain('13912345678');
  });

  it('a real till tells its hub its version and that the printer cover is open, and HQ sees it', async () => {
    core = openTerminalCore({
      dataDir: tempDir('fleet-till'),
      storeId: 'S1',
      terminalId: 'T02',
      logger: quietLog,
      pinScryptN: 1024,
      sync: { hubUrl: hub.url, enrollCode: await code('S1', 'terminal'), intervalMs: 300 },
      statusProvider: () => ({
        devices: [
          { id: 'printer-1', kind: 'printer', status: 'cover_open', message: 'Printer cover is open' },
          { id: 'scanner-1', kind: 'scanner', status: 'ok', message: null },
        ],
      }),
    });
    await core.ready;
    // The till sends its first report 5 s after start, then every minute.
    await waitFor(
      'the till’s report at the hub',
      async () => hub.devices().find((d) => d.id === 'T02')?.report ?? null,
      20_000,
    );
    await hub.client.postToPeer('cloud', '/sync/report', agentFleetReport('0.2.0', [], hub.devices()));
    const s1 = (await getFleet(ADMIN, '?storeId=S1')).body.stores[0];
    expect(s1.tills.find((t: any) => t.id === 'T02')).toMatchObject({ version: pkg.version, via: ['hub'] });
    expect(s1.alerts).toContainEqual({ device: 'T02', source: 'printer-1', code: 'COVER_OPEN' });
    expect(s1.alerts.filter((a: any) => a.device === 'T02')).toHaveLength(1);
  }, 60_000);

  it('drops a revoked till’s report from the view', async () => {
    const revoke = await postJson(`${cloud.url}/sync/admin/revoke`, { deviceId: 'T01', storeId: 'S2' }, ADMIN);
    expect(revoke.status).toBe(200);
    const s2 = (await getFleet(ADMIN, '?storeId=S2')).body.stores[0];
    expect(s2.tills[0]).toMatchObject({ id: 'T01', revoked: true });
    expect(s2.lastSyncAt).toBeNull();
  });
});
