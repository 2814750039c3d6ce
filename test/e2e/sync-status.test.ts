// Sync health as the till's people see it (issue 13 items 4, 11, 19): a real cloud (child process,
// PGlite or a throwaway Postgres schema), a web host syncing with it, Chromium pages driven by keys.
// Setup says "Online: yes" while sync works; with the cloud gone, the technician's F8 (retry sync)
// shows the failure and its reason on Setup, while the cashier reads one calm line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost } from '../../app/host';
import { startProcess, type Proc } from '../sync/processes';
import { dropCloudSchema } from '../sync/helpers';
import { launchChromium, loginToTill, newTillPage, typePin } from './till-page';

const CODE = 'DEMO-S001-2026';
let cloud: Proc | null = null;
let host: Awaited<ReturnType<typeof startWebHost>>;
let browser: Browser;
const dirs: string[] = [];
let schema = '';
const temp = (p: string) => {
  const d = mkdtempSync(join(tmpdir(), p));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  schema = `t_e2e_sync_${Date.now().toString(36)}_${process.pid}`;
  const dbEnv: Record<string, string> = process.env['DATABASE_URL']
    ? { DATABASE_URL: process.env['DATABASE_URL'], CLOUD_SCHEMA: schema }
    : { DATABASE_URL: '', CLOUD_DATA_DIR: temp('pos-e2e-sync-cloud-') };
  cloud = await startProcess('sync/cloud/main.ts', {
    ...dbEnv,
    CLOUD_PORT: '0',
    CLOUD_DEMO: '1',
    CLOUD_ADMIN_TOKEN: 'e2e-sync-admin',
    DEMO_ENROLL_CODE: CODE,
    DEMO_STORE_ID: 'S001',
  });
  host = await startWebHost({
    port: 0,
    dataDir: temp('pos-e2e-sync-till-'),
    seedDemo: true,
    storeId: 'S001',
    logger: pino({ level: 'silent' }),
    sync: { cloudUrl: `http://127.0.0.1:${cloud.info.port}`, enrollCode: CODE, intervalMs: 500, maxBackoffMs: 60_000 },
    syncStatusIntervalMs: 500,
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await cloud?.stop();
  if (process.env['DATABASE_URL']) await dropCloudSchema(schema);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('sync health on Setup and on the till', () => {
  it('Setup says online while sync is healthy, and F8 shows a failed retry with its reason once the cloud is gone', async () => {
    const tech = await newTillPage(browser, host.url);
    await typePin(tech, '7777');
    const online = tech.getByTestId('setup-online');
    await online.waitFor();
    // F5 refreshes until the first round has reached the cloud.
    await expect
      .poll(
        async () => {
          await tech.keyboard.press('F5');
          return online.getAttribute('data-online');
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe('true');
    expect(await online.textContent()).toBe('是');
    expect(await tech.getByTestId('setup-sync-state').textContent()).toMatch(/^(已同步|待同步：\d+ 条)$/);

    await cloud!.stop();
    cloud = null;
    await tech.keyboard.press('F8');
    await tech.locator('[data-testid="setup-sync-state"][data-state="error"]').waitFor({ timeout: 30_000 });
    expect(await online.getAttribute('data-online')).toBe('false');
    expect(await online.textContent()).toBe('否');
    expect(await tech.getByTestId('info-banner').textContent()).toBe('同步仍然失败：原因见“同步”一栏');
    // The technician sees the reason in words beside the state, not a raw state name.
    const syncCell = await tech.getByTestId('setup-sync').textContent();
    expect(syncCell).toContain('同步出错 — ');
    expect(syncCell).not.toMatch(/\berror\b/);
    await tech.close();

    // The cashier sees one calm line, without the technical detail.
    const till = await newTillPage(browser, host.url);
    await loginToTill(till, '1234');
    const banner = till.getByTestId('sync-banner');
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.textContent()).toBe('离线销售中，数据会自动同步');
    await till.close();
  });
});
