// Demo secrets are opt-in, on the real `npm run cloud` process. Without CLOUD_DEMO the public
// pairing code `DEMO-S001-2026` and admin token `demo-admin-token` (printed in the docs) open
// nothing, and a cloud without its own admin token does not start. With CLOUD_DEMO=1 the demo
// flow works and says so loudly (log and /health); with NODE_ENV=production it refuses to start.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startProcess } from './processes';
import { postJson, tempDir } from './helpers';

const root = join(import.meta.dirname, '..', '..');
const base = () => ({ DATABASE_URL: '', CLOUD_DATA_DIR: tempDir('demo-cloud'), CLOUD_PORT: '0' });

/** Runs the cloud expecting it to refuse to start; returns its exit code and output. */
function refusedStart(env: Record<string, string>): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'sync/cloud/main.ts')], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('cloud demo secrets', () => {
  it('without CLOUD_DEMO the documented demo code and admin token open nothing', async () => {
    const env = { ...base(), CLOUD_ADMIN_TOKEN: 'a-real-secret-of-hq-0123456789' };
    const cloud = await startProcess('sync/cloud/main.ts', env);
    try {
      const url = `http://127.0.0.1:${cloud.info.port}`;
      const enroll = await postJson(`${url}/sync/enroll`, { code: 'DEMO-S001-2026', deviceId: 'T01' });
      expect(enroll.status).toBe(401);
      expect(enroll.body.error.code).toBe('ENROLL_REFUSED');
      expect((await postJson(`${url}/sync/admin/enroll-codes`, { storeId: 'S001' }, 'demo-admin-token')).status).toBe(
        401,
      );
      expect(
        (
          await postJson(
            `${url}/api/online-orders`,
            { storeId: 'S001', lines: [{ sku: 'x', quantity: 1 }] },
            'demo-admin-token',
          )
        ).status,
      ).toBe(401);
      const good = await postJson(
        `${url}/sync/admin/enroll-codes`,
        { storeId: 'S001' },
        'a-real-secret-of-hq-0123456789',
      );
      expect(good.status).toBe(200);
      const health = await (await fetch(`${url}/health`)).json();
      expect(health.demo).toBeUndefined();
      expect(cloud.output()).not.toContain('DEMO MODE');
    } finally {
      await cloud.stop();
    }
  }, 120_000);

  it('a cloud with no admin token of its own, or with the demo one, does not start', () => {
    const none = refusedStart(base());
    expect(none.status).toBe(1);
    expect(none.output).toContain('set CLOUD_ADMIN_TOKEN');
    expect(none.output).not.toContain('"ready":true');
    const demoToken = refusedStart({ ...base(), CLOUD_ADMIN_TOKEN: 'demo-admin-token' });
    expect(demoToken.status).toBe(1);
    const demoCodeOnly = refusedStart({
      ...base(),
      CLOUD_ADMIN_TOKEN: 'a-real-secret-of-hq-0123456789',
      DEMO_ENROLL_CODE: 'DEMO-S001-2026',
    });
    expect(demoCodeOnly.status).toBe(1);
    expect(demoCodeOnly.output).toContain('CLOUD_DEMO=1');
  }, 120_000);

  it('CLOUD_DEMO=1 runs the documented demo flow and warns in the log and on /health', async () => {
    const cloud = await startProcess('sync/cloud/main.ts', { ...base(), CLOUD_DEMO: '1' });
    try {
      const url = `http://127.0.0.1:${cloud.info.port}`;
      const enroll = await postJson(`${url}/sync/enroll`, { code: 'DEMO-S001-2026', deviceId: 'T01' });
      expect(enroll.status).toBe(200);
      expect(enroll.body.storeId).toBe('S001');
      expect((await postJson(`${url}/sync/admin/enroll-codes`, { storeId: 'S001' }, 'demo-admin-token')).status).toBe(
        200,
      );
      const health = await (await fetch(`${url}/health`)).json();
      expect(health.demo).toBe(true);
      expect(health.warning).toMatch(/DEMO MODE/);
      expect(cloud.output()).toMatch(/"level":40.*DEMO MODE/);
    } finally {
      await cloud.stop();
    }
  }, 120_000);

  it('demo mode is refused with NODE_ENV=production', () => {
    const r = refusedStart({ ...base(), CLOUD_DEMO: '1', NODE_ENV: 'production' });
    expect(r.status).toBe(1);
    expect(r.output).toContain('NODE_ENV=production');
    expect(r.output).not.toContain('"ready":true');
  }, 120_000);
});
