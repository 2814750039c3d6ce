// The till's status report for the cloud's fleet view (sync/protocol/device-report.ts): its
// version and an alert code for every device that is not working (printer cover open, paper
// out, scanner not found), sent every minute (every 5 s until the first lands) to its hub (which passes it on in its own report)
// or, without a hub, to the cloud. Codes and device ids only: no names, no messages.
import type pino from 'pino';
import type { DeviceReportInput } from '../../../sync/protocol';
import type { TerminalSync } from '../../../sync/terminal';
import type { TerminalStatus } from '../../contract';

/** Device states that need nobody: working, or still starting. */
const FINE = new Set(['ok', 'connecting']);

export function tillFleetReport(version: string, devices: TerminalStatus['devices']): DeviceReportInput {
  return {
    version: version.slice(0, 40),
    alerts: devices
      .filter((d) => !FINE.has(d.status))
      .slice(0, 50)
      .map((d) => ({
        source: d.id.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 64) || 'device',
        code:
          d.status
            .toUpperCase()
            .replace(/[^A-Z0-9_]/g, '_')
            .replace(/^[^A-Z]+/, '')
            .slice(0, 40) || 'DEVICE_ERROR',
      })),
  };
}

export function startTillFleetReport(o: {
  sync: TerminalSync;
  devices: () => Promise<TerminalStatus['devices']>;
  version: string;
  logger: pino.Logger;
  everyMs?: number;
}): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let sentOnce = false;
  const send = async () => {
    // Only with a credential the sync cycle already got: a report must never start a pairing of
    // its own (two enrollments racing for one one-time code would lose one of them).
    if (o.sync.client.hasCredential()) {
      try {
        const report = tillFleetReport(o.version, await o.devices());
        // The hub when there is one (the till's usual peer), else the cloud.
        const r =
          (await o.sync.client.postToPeer('hub', '/sync/report', report)) ??
          (await o.sync.client.postToPeer('cloud', '/sync/report', report));
        if (r && r.status !== 200) o.logger.warn({ status: r.status }, 'fleet report refused');
        if (r?.status === 200) sentOnce = true;
      } catch (err) {
        o.logger.warn({ err }, 'fleet report not sent');
      }
    }
    // Until the first report lands (the till pairs first) it tries every 5 s, then every minute.
    if (!stopped) schedule(sentOnce ? (o.everyMs ?? 60_000) : 5_000);
  };
  const schedule = (ms: number) => {
    timer = setTimeout(() => void send(), ms);
    timer.unref();
  };
  schedule(2_000);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
