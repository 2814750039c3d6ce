// Face lookup end to end, in Chromium with its fake camera fed a Y4M video made (with ffmpeg, at
// test time, in a temp dir) from a sample photo. The member comes from the cloud: an in-process
// cloud (PGlite, or Postgres in a throwaway schema) holds member M1 of store S1 as HQ-authored
// replicated ops; the web-mode till syncs with it and so knows M1 (its replicated member ops).
//   1. The cashier opens face lookup (Alt+F), switches to enrolment (E), types M1, the customer
//      agrees (Y), Enter: the template is stored encrypted, the consent replicates.
//   2. Enter takes a frame: M1 is offered masked (王**) with level and score; the cashier
//      confirms with 1 (never automatic), which is audited.
//   3. A second till page whose camera shows two people is refused: one customer at a time.
//   4. HQ erases M1 in the cloud: the erase reaches the till, the template is gone, and the same
//      face finds nobody. No name and no template ever appear in the logs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost } from '../../app/host';
import { HybridClock, OpFactory, startCloud, type CloudHandle } from '../../sync';
import { buildFaceDataset } from '../face/face-dataset';
import { cloudDb, dropCloudSchema } from '../sync/helpers';
import { CHROMIUM_ARGS, loginToTill, newTillPage } from './till-page';

const CODE = 'DEMO-FACE-2026';
const logText: string[] = [];
const capture = pino(
  { level: 'debug' },
  new Writable({
    write(chunk, _e, cb) {
      logText.push(String(chunk));
      cb();
    },
  }),
);

let cloud: CloudHandle;
let host: Awaited<ReturnType<typeof startWebHost>>;
let dataDir: string;
let videoDir: string;
const browsers: Browser[] = [];
let till: Page;
const { databaseUrl, schema } = cloudDb('face');
const hq = new OpFactory(new HybridClock({ nodeId: 'HQ', now: Date.now }));

/** A Y4M the fake camera plays in a loop: the picture centred on a 640×480 grey frame. */
async function y4m(name: string, jpeg: Buffer): Promise<string> {
  const png = join(videoDir, `${name}.png`);
  await sharp(jpeg)
    .resize(640, 480, { fit: 'contain', background: { r: 90, g: 90, b: 90 } })
    .png()
    .toFile(png);
  const out = join(videoDir, `${name}.y4m`);
  execFileSync('ffmpeg', [
    '-loglevel',
    'error',
    '-y',
    '-loop',
    '1',
    '-i',
    png,
    '-t',
    '2',
    '-r',
    '5',
    '-pix_fmt',
    'yuv420p',
    out,
  ]);
  return out;
}

async function cameraTill(video: string): Promise<Page> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      ...CHROMIUM_ARGS,
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ],
  });
  browsers.push(browser);
  const page = await newTillPage(browser, host.url);
  await loginToTill(page, '1234', '500');
  return page;
}

async function openFaceDialog(page: Page): Promise<void> {
  await page.keyboard.press('Alt+f');
  await page.getByTestId('face-dialog').waitFor();
  await page.waitForFunction(() => {
    const v = document.querySelector('[data-testid="face-video"]') as HTMLVideoElement | null;
    return !!v && v.readyState >= 2 && v.videoWidth > 0;
  });
}

const templateRows = () => host.till.core.sync!.outbox.storage.member('M1');
async function waitFor(check: () => Promise<boolean> | boolean, what: string, ms = 60_000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let faceJpeg: Buffer;
let twoFacesJpeg: Buffer;

beforeAll(async () => {
  videoDir = mkdtempSync(join(tmpdir(), 'pos-e2e-face-video-'));
  dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-face-'));
  const shots = await buildFaceDataset();
  const enrol = (person: string) => shots.find((s) => s.person === person && s.role === 'enrol')!.jpeg;
  faceJpeg = enrol('sample1-0');
  twoFacesJpeg = await sharp({ create: { width: 640, height: 320, channels: 3, background: '#5a5a5a' } })
    .composite([
      { input: await sharp(enrol('sample1-0')).resize(320, 320).toBuffer(), left: 0, top: 0 },
      { input: await sharp(enrol('sample5-1')).resize(320, 320).toBuffer(), left: 320, top: 0 },
    ])
    .jpeg()
    .toBuffer();
  cloud = await startCloud({
    port: 0,
    databaseUrl,
    schema,
    demo: true,
    demoEnrollCode: CODE,
    demoStoreId: 'S1',
    log: pino({ level: 'silent' }),
  });
  await cloud.storage.apply(
    [
      hq.set('store:S1', 'member', 'M1', 'name', '王小明'),
      hq.set('store:S1', 'member', 'M1', 'level', 'gold'),
      hq.set('store:S1', 'member', 'M1', 'phone', '13800138000'),
    ],
    'cloud',
  );
  host = await startWebHost({
    port: 0,
    dataDir,
    seedDemo: true,
    storeId: 'S1',
    terminalId: 'T01',
    logger: capture,
    sync: { cloudUrl: `http://127.0.0.1:${cloud.port}`, enrollCode: CODE, intervalMs: 300, maxBackoffMs: 1000 },
  });
  await waitFor(async () => (await templateRows()).profile['name'] === '王小明', 'member M1 on the till');
  till = await cameraTill(await y4m('one-face', faceJpeg));
}, 300_000);

afterAll(async () => {
  for (const b of browsers) await b.close().catch(() => undefined);
  await host?.close();
  await cloud?.close();
  await dropCloudSchema(schema);
  for (const d of [dataDir, videoDir]) if (d) rmSync(d, { recursive: true, force: true });
});

const db = () => host.till.core;

describe('face lookup at the till (Chromium fake camera)', () => {
  it('enrols M1 after the customer agrees: consent replicated, template stored encrypted', async () => {
    await openFaceDialog(till);
    await till.keyboard.press('e');
    await till.getByTestId('face-member-id').waitFor();
    await till.keyboard.type('M1');
    await till.keyboard.press('Enter'); // on to the consent
    // Without the customer's agreement nothing is enrolled.
    await till.keyboard.press('Enter');
    await till.getByTestId('error-banner').waitFor();
    expect(await till.getByTestId('error-banner').textContent()).toContain('顾客确认');
    await till.keyboard.press('y');
    await till.locator('[data-testid="face-consent"][data-agreed="true"]').waitFor();
    await till.keyboard.press('Enter');
    await till.locator('[data-testid="face-dialog"] [data-mode="identify"]').waitFor({ timeout: 120_000 });
    expect(await till.getByTestId('info-banner').textContent()).toContain('M1');
    const member = await db().sync!.outbox.storage.member('M1');
    expect(member.profile['consent.face']).toMatchObject({
      granted: true,
      channel: 'till',
      staffId: expect.any(String),
    });
    expect(member.profile['consent.faceChainWide']).toMatchObject({ granted: false });
  }, 240_000);

  it('identifies M1 from the camera; the cashier confirms with 1', async () => {
    await till.keyboard.press('Enter');
    const first = till.getByTestId('face-candidate').first();
    await first.waitFor({ timeout: 120_000 });
    expect(await till.getByTestId('face-candidate').count()).toBeLessThanOrEqual(3);
    expect(await first.getAttribute('data-member-id')).toBe('M1');
    expect(await first.textContent()).toContain('王**');
    expect(await first.textContent()).toContain('gold');
    expect(await first.textContent()).not.toContain('小明');
    await till.keyboard.press('1');
    await till.getByTestId('face-dialog').waitFor({ state: 'detached' });
    expect(await till.getByTestId('info-banner').textContent()).toContain('王**');
  }, 240_000);

  it('refuses a picture with two people: one customer at a time', async () => {
    const two = await cameraTill(await y4m('two-faces', twoFacesJpeg));
    await openFaceDialog(two);
    await two.keyboard.press('Enter');
    const refused = two.getByTestId('face-refused');
    await refused.waitFor({ timeout: 120_000 });
    expect(await refused.getAttribute('data-reason')).toBe('several-faces');
    expect(await refused.textContent()).toContain('一次一位顾客');
    expect(await two.getByTestId('face-candidate').count()).toBe(0);
  }, 240_000);

  it('erasure in the cloud reaches the till: the template is deleted and the face finds nobody', async () => {
    await cloud.storage.apply([hq.erase('store:S1', 'M1')], 'cloud');
    await waitFor(async () => (await db().sync!.outbox.storage.member('M1')).erased, 'the erase on the till');
    // Gone from the database (the erase was mirrored in the transaction that stored it).
    const { default: Database } = await import('better-sqlite3');
    const raw = new Database(join(dataDir, 'terminal.db'), { readonly: true });
    try {
      expect(raw.prepare('SELECT count(*) AS n FROM face_templates').get()).toEqual({ n: 0 });
    } finally {
      raw.close();
    }
    await openFaceDialog(till);
    await till.keyboard.press('Enter');
    await till.getByTestId('face-none').waitFor({ timeout: 120_000 });
    expect(await till.getByTestId('face-candidate').count()).toBe(0);
    // Nothing personal in the till's logs.
    const logs = logText.join('');
    expect(logs).not.toContain('王小明');
    expect(logs).not.toContain('13800138000');
    expect(logs).not.toMatch(/embedding|ciphertext/);
  }, 240_000);
});
