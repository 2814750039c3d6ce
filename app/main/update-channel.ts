// Whether and where the packaged till looks for updates (electron-updater, generic provider):
// the update server's URL and the channel come from the till's settings (POS_UPDATE_URL,
// POS_UPDATE_CHANNEL), not from the build, so one package serves every chain. Staged rollout is
// electron-updater's own: the server's `latest*.yml` / `beta*.yml` carries `stagingPercentage`,
// and each install takes the update when its random install id falls under it (docs/packaging.md).
// Pure, so the decisions run in tests without Electron.

export type UpdateChannel = 'stable' | 'beta';

export type UpdatePlan =
  | { enabled: false; reason: 'not-packaged' | 'no-url' }
  | {
      enabled: true;
      /** electron-updater's feed: the folder holding latest-linux.yml, beta-linux.yml, latest.yml, … */
      feed: { provider: 'generic'; url: string; channel: 'latest' | 'beta' };
      /** Beta tills take pre-release versions (0.3.0-beta.2); stable ones never do. */
      allowPrerelease: boolean;
      /** First check a minute after start (not during the morning's first sale), then every 4 hours. */
      firstCheckMs: number;
      everyMs: number;
    };

export function planUpdates(o: { url?: string; channel: UpdateChannel; packaged: boolean }): UpdatePlan {
  // A development run (`npm start`) has no app-update.yml and nothing to replace.
  if (!o.packaged) return { enabled: false, reason: 'not-packaged' };
  if (!o.url) return { enabled: false, reason: 'no-url' };
  const beta = o.channel === 'beta';
  return {
    enabled: true,
    feed: { provider: 'generic', url: o.url.endsWith('/') ? o.url : `${o.url}/`, channel: beta ? 'beta' : 'latest' },
    allowPrerelease: beta,
    firstCheckMs: 60_000,
    everyMs: 4 * 60 * 60_000,
  };
}
