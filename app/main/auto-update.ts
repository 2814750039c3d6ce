// The packaged till's automatic updates through electron-updater, as planned by update-channel.ts:
// download in the background, install when the till is closed (end of day), never mid-sale.
// Failures (server away, bad signature, disk full) are logged and tried again at the next check.
import { autoUpdater } from 'electron-updater';
import type { Logger } from 'pino';
import type { UpdatePlan } from './update-channel';

export function startAutoUpdates(plan: Extract<UpdatePlan, { enabled: true }>, logger: Logger): () => void {
  autoUpdater.setFeedURL(plan.feed);
  autoUpdater.channel = plan.feed.channel;
  autoUpdater.allowPrerelease = plan.allowPrerelease;
  // Setting a channel turns downgrades on; a till moved from beta to stable waits for the next
  // stable version rather than going back.
  autoUpdater.allowDowngrade = false;
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.on('error', (err: Error) => logger.warn({ err: err.message }, 'update check failed'));
  autoUpdater.on('update-downloaded', (info: { version: string }) =>
    logger.info({ version: info.version }, 'update downloaded; it installs when the till is closed'),
  );
  const check = () => {
    autoUpdater.checkForUpdates().catch((err: unknown) => logger.warn({ err: String(err) }, 'update check failed'));
  };
  const first = setTimeout(check, plan.firstCheckMs);
  const every = setInterval(check, plan.everyMs);
  logger.info({ url: plan.feed.url, channel: plan.feed.channel }, 'automatic updates on');
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
