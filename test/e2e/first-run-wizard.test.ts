// The first-run wizard in Chromium (issue 19): a real cloud and store hub (child processes), and
// a fresh till as `npm start` runs it (runTillHost: demo store, emulated printer). HQ makes a
// one-time pairing code; the technician opens /#setup, picks English, types a wrong code (told
// so in plain words), then the right one and the hub's address; the till enrolls through the
// hub as the first free id of store S001, reopens on the store's own database, shows the store
// data coming down with a progress bar, takes the technician's PIN, lists its emulated printer
// with what it is, passes a test print and prints the setup ticket. Then the till syncs: its
// opening stock counts reach the cloud through the hub. Keys and fields only on the page.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProducts } from '../../app/core';
import { pairedDataDir, readPairing, runTillHost, type RunningTillHost } from '../../app/host';
import { startProcess, type Proc } from '../sync/processes';
import { dropCloudSchema, postJson, tempDir, waitFor } from '../sync/helpers';
import { launchChromium } from './till-page';

const HUB_CODE = 'DEMO-WIZ-2026';
const ADMIN = 'e2e-wizard-admin';
const STORE = 'S001';
let schema = '';
let cloud: Proc | null = null;
let hub: Proc | null = null;
let till: RunningTillHost | null = null;
let browser: Browser | null = null;
const dataDir = tempDir('e2e-wizard-till');
const cloudUrl = () => `http://127.0.0.1:${cloud!.info.port}`;
const hubUrl = () => `http://127.0.0.1:${hub!.info.port}`;

/** Every receipt the till's printer emulators wrote (text), under a data dir. */
function printedTexts(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      if (n.endsWith('.txt')) out.push(readFileSync(join(d, n), 'utf8'));
      else if (!n.includes('.')) walk(join(d, n));
    }
  };
  walk(join(dir, 'emulated-printer'));
  return out;
}

beforeAll(async () => {
  schema = `t_e2e_wiz_${Date.now().toString(36)}_${process.pid}`;
  const dbEnv: Record<string, string> = process.env['DATABASE_URL']
    ? { DATABASE_URL: process.env['DATABASE_URL'], CLOUD_SCHEMA: schema }
    : { DATABASE_URL: '', CLOUD_DATA_DIR: tempDir('e2e-wizard-cloud') };
  cloud = await startProcess('sync/cloud/main.ts', {
    ...dbEnv,
    CLOUD_PORT: '0',
    CLOUD_DEMO: '1',
    CLOUD_ADMIN_TOKEN: ADMIN,
    DEMO_ENROLL_CODE: HUB_CODE,
    DEMO_STORE_ID: STORE,
  });
  hub = await startProcess('sync/hub/main.ts', {
    HUB_PORT: '0',
    HUB_DATA_DIR: tempDir('e2e-wizard-hub'),
    CLOUD_URL: cloudUrl(),
    ENROLL_CODE: HUB_CODE,
    STORE_ID: STORE,
    HUB_SYNC_INTERVAL_MS: '200',
    HUB_MAX_BACKOFF_MS: '800',
  });
  till = await runTillHost({
    dataDir,
    port: 0,
    devices: 'emulated',
    payments: 'sandbox',
    seedDemo: true,
    logger: pino({ level: process.env['SYNC_TEST_LOG'] ?? 'warn' }),
    syncStatusIntervalMs: 500,
    pairedSync: { intervalMs: 300, maxBackoffMs: 1000 },
    // The LAN search is a stand-in that answers with this test's real hub: multicast must not
    // leave this machine (the real mDNS search and announcement: test/sync/hub-discovery.test.ts).
    findHubs: async () => [
      { name: `EdgePOS hub ${STORE} H${STORE}`, storeId: STORE, hubId: `H${STORE}`, url: hubUrl() },
    ],
  });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await till?.close();
  await hub?.stop();
  await cloud?.stop();
  if (process.env['DATABASE_URL']) await dropCloudSchema(schema);
});

describe('the first-run wizard', () => {
  it('pairs a fresh till by code through the hub, tests its printer, prints the ticket, and the till syncs', async () => {
    const started = Date.now();
    // The demo store: not paired, no sync.
    expect(till!.current().core.sync).toBeNull();
    const made = (await postJson(`${cloudUrl()}/sync/admin/enroll-codes`, { storeId: STORE }, ADMIN)).body;
    expect(made.ok).toBe(true);

    const page = await browser!.newPage({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' });
    await page.goto(`${till!.url}/#setup`);
    const wizard = page.getByTestId('wizard');
    await expect.poll(() => wizard.getAttribute('data-step')).toBe('lang');
    await page.getByTestId('wizard-lang-en').click();
    await expect.poll(() => wizard.getAttribute('data-step')).toBe('pair');

    // F5 searches the LAN: the one hub that answers is listed with its store and filled in.
    await page.getByTestId('wizard-hub').fill('');
    await page.keyboard.press('F5');
    const option = page.getByTestId('wizard-hub-option');
    await expect.poll(() => option.count(), { timeout: 20_000 }).toBe(1);
    expect(await option.textContent()).toBe(`Store ${STORE}: ${hubUrl()}`);
    expect(await page.getByTestId('wizard-hub').inputValue()).toBe(hubUrl());

    // A mistyped code: refused in plain words, nothing paired.
    await page.getByTestId('wizard-code').fill('AAAA-BBBB-CCCC');
    await page.keyboard.press('Enter');
    const error = page.getByTestId('wizard-error');
    await expect.poll(() => error.getAttribute('data-code'), { timeout: 20_000 }).toBe('CODE_REFUSED');
    expect(await error.textContent()).toContain('Ask HQ for a new one');
    expect(readPairing(dataDir)).toBeNull();

    // The right code; the terminal id left empty takes the first free one.
    await page.getByTestId('wizard-code').fill(made.code);
    await page.keyboard.press('Enter');
    await expect.poll(() => wizard.getAttribute('data-step'), { timeout: 20_000 }).toBe('download');
    await expect.poll(() => page.getByTestId('wizard-store').textContent(), { timeout: 30_000 }).toBe(STORE);
    expect(await page.getByTestId('wizard-terminal-id').textContent()).toBe('T01');
    expect(readPairing(dataDir)).toMatchObject({ storeId: STORE, terminalId: 'T01', hubUrl: hubUrl() });
    const progress = page.getByTestId('wizard-progress');
    await expect.poll(() => progress.getAttribute('data-done'), { timeout: 60_000 }).toBe('true');
    await page.keyboard.press('Enter');

    // The technician's PIN on the reopened till, then the devices.
    await expect.poll(() => wizard.getAttribute('data-step')).toBe('login');
    await page.getByTestId('wizard-pin').fill('7777');
    await page.keyboard.press('Enter');
    await expect.poll(() => wizard.getAttribute('data-step'), { timeout: 20_000 }).toBe('devices');
    const printer = page.locator('[data-testid="wizard-device"][data-kind="printer"]');
    await expect.poll(() => printer.count()).toBeGreaterThan(0);
    expect(await printer.first().textContent()).toContain('built-in emulator');
    await page.keyboard.press('F6');
    const print = page.getByTestId('wizard-test-print');
    await expect.poll(() => print.getAttribute('data-state'), { timeout: 20_000 }).toBe('passed');

    // Done: the setup ticket.
    await page.keyboard.press('Enter');
    await expect.poll(() => wizard.getAttribute('data-step')).toBe('done');
    await page.keyboard.press('Enter');
    await page.getByTestId('wizard-ticket-printed').waitFor({ timeout: 20_000 });
    const paired = pairedDataDir(dataDir, { storeId: STORE, terminalId: 'T01' });
    await waitFor('the test slip and the setup ticket printed', async () => {
      const texts = printedTexts(paired);
      return texts.some((x) => x.includes('TEST PRINT')) && texts.some((x) => x.includes('SETUP TICKET'));
    });
    const ticket = printedTexts(paired).find((x) => x.includes('SETUP TICKET'))!;
    expect(ticket).toContain(STORE);
    expect(ticket).toContain('T01');
    expect(ticket).toContain(hubUrl());
    expect(ticket).toMatch(/printer .*passed/);

    // The till syncs: its opening stock count reaches the cloud through the hub.
    const core = till!.current().core;
    expect(core.storeId).toBe(STORE);
    expect(core.sync).not.toBeNull();
    const apple = demoProducts()[0]!;
    await waitFor(
      'the paired till’s stock in the cloud',
      async () => {
        const r = await fetch(`${cloudUrl()}/api/stock?storeId=${STORE}&sku=${apple.sku}`, {
          headers: { authorization: `Bearer ${ADMIN}` },
        });
        const body = (await r.json()) as { ok: boolean; onHand?: number };
        return body.ok && body.onHand === apple.initialStock;
      },
      30_000,
      300,
    );
    console.log(`[wizard e2e] code to synced till in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await page.close();
  }, 150_000);
});
