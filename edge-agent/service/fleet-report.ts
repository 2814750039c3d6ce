// The store box's status report for the cloud's fleet view (sync/protocol/device-report.ts):
// this agent's version, its cameras (state, fps, last frame) with an alert for each that is not
// streaming, and the tills that synced with its hub, sent with the hub's own credential every
// minute (every 5 s until the first lands). A report that does not arrive (WAN down) is simply sent again next time; the fleet
// view marks a silent hub's cameras "unreported" after five minutes.
import type { Logger } from 'pino';
import type { DeviceReportInput, SyncHub } from '../../sync';
import type { CameraStatus } from './camera-runner';

export function agentFleetReport(
  version: string,
  cameras: CameraStatus[],
  devices: ReturnType<SyncHub['devices']>,
): DeviceReportInput {
  return {
    version,
    cameras: cameras.map((c) => ({
      id: c.id,
      state: c.source.state,
      fps: c.fps,
      lastFrameAt: c.lastFrameAt,
    })),
    alerts: cameras
      .filter((c) => c.source.state !== 'streaming')
      .map((c) => ({ source: `camera:${c.id}`, code: 'CAMERA_DOWN' })),
    tills: devices
      .filter((d) => d.role !== 'hub')
      .slice(0, 100)
      .map((d) => ({
        id: d.id,
        lastSeenAt: d.lastSeenAt,
        ...(d.report ? { version: d.report.version, alerts: d.report.alerts } : {}),
      })),
  };
}

export function startFleetReporter(o: {
  hub: Pick<SyncHub, 'client' | 'devices'>;
  cameras: () => CameraStatus[];
  version: string;
  log: Logger;
  everyMs?: number;
}): { stop(): void; sendNow(): Promise<boolean> } {
  let stopped = false;
  let sentOnce = false;
  let timer: NodeJS.Timeout | null = null;
  const sendNow = async () => {
    // Only with the credential the hub's sync cycle got: a report never starts a pairing itself.
    if (!o.hub.client.hasCredential()) return false;
    const r = await o.hub.client.postToPeer(
      'cloud',
      '/sync/report',
      agentFleetReport(o.version, o.cameras(), o.hub.devices()),
    );
    if (r && r.status !== 200) o.log.warn({ status: r.status, body: r.body }, 'fleet report refused by the cloud');
    if (r?.status === 200) sentOnce = true;
    return r?.status === 200;
  };
  const tick = async () => {
    await sendNow().catch((e: unknown) => o.log.warn({ err: (e as Error).message }, 'fleet report not sent'));
    // Every 5 s until the first report lands (the hub pairs first), then every minute.
    if (!stopped) schedule(sentOnce ? (o.everyMs ?? 60_000) : 5_000);
  };
  const schedule = (ms: number) => {
    timer = setTimeout(() => void tick(), ms);
    timer.unref();
  };
  schedule(2_000);
  return {
    sendNow,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
