// Sync settings of a till from the environment (web host and Electron main read the same vars).
// Sync is off unless HUB_URL or CLOUD_URL is set.
import type { CoreSyncOptions } from '../core';

export function syncSettingsFromEnv(env: NodeJS.ProcessEnv): CoreSyncOptions | undefined {
  const hubUrl = env.HUB_URL || undefined;
  const cloudUrl = env.CLOUD_URL || undefined;
  if (!hubUrl && !cloudUrl) return undefined;
  for (const [name, url] of [
    ['HUB_URL', hubUrl],
    ['CLOUD_URL', cloudUrl],
  ] as const) {
    if (url && !/^https?:\/\/[^\s/]+/.test(url)) throw new Error(`${name} must be an http(s) URL, got "${url}"`);
  }
  const enrollCode = env.ENROLL_CODE ?? '';
  if (!enrollCode)
    throw new Error('ENROLL_CODE (the pairing code from the cloud) is required when HUB_URL or CLOUD_URL is set');
  // ENROLL_REPLACE=1: a technician confirms this till takes over an enrolled one of the same id.
  return { hubUrl, cloudUrl, enrollCode, ...(env.ENROLL_REPLACE === '1' ? { enrollReplace: true } : {}) };
}
