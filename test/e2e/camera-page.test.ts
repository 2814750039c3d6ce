// The technician's camera page in Chromium against `npm run edge-agent` as a process (issue 19):
// the technician types the admin token, adds a camera (a generated door video in the media
// folder), tests the connection and gets a face-blurred picture, draws the counting line across
// the door with the mouse, saves, and in test-walk mode sees the walkers' count on the page —
// and the agent's own /health and /footfall count with the drawn line.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOOR, writeDoorSet } from '../../edge-agent/testing';
import { launchChromium } from './till-page';

const root = join(import.meta.dirname, '../..');
const TOKEN = 'camera-page-e2e-token-0123456789';
let dir: string;
let agent: ChildProcess;
let logs = '';
let url = '';
let clip = '';
let browser: Browser;

const get = async (path: string) =>
  (await (await fetch(url + path, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as any;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'camera-page-e2e-'));
  const [door] = await writeDoorSet(dir, ['in-then-out']);
  clip = basename(door!.path);
  // No camera configured: the technician adds it on the page.
  writeFileSync(join(dir, 'edge.json'), JSON.stringify({ storeId: 'S1', detector: { model: 'centernet-384' } }));
  agent = spawn(join(root, 'node_modules/.bin/tsx'), ['edge-agent/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      EDGE_CONFIG: join(dir, 'edge.json'),
      EDGE_PORT: '0',
      EDGE_HOST: '127.0.0.1',
      EDGE_DATA_DIR: join(dir, 'data'),
      EDGE_MEDIA_DIR: dir,
      HUB_ENABLED: '0',
      EDGE_FLUSH_MS: '300',
      LOG_LEVEL: 'warn',
      EDGE_ADMIN_TOKEN: TOKEN,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      logs += d.toString();
      const m = /EDGE_AGENT_READY (.*)/.exec(logs);
      if (m) resolve((JSON.parse(m[1]!) as { url: string }).url);
    };
    agent.stdout!.on('data', onData);
    agent.stderr!.on('data', onData);
    agent.on('exit', (code) => reject(new Error(`edge agent exited ${code}\n${logs.slice(-2000)}`)));
  });
  [url, browser] = await Promise.all([ready, launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (agent && agent.exitCode === null) agent.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Page coordinates of a point in frame pixels on the (scaled) canvas. */
async function onCanvas(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = (await page.locator('#view').boundingBox())!;
  return { x: box.x + (x * box.width) / DOOR.width, y: box.y + (y * box.height) / DOOR.height };
}

describe('camera page', () => {
  it('draws the line on the door video’s picture, saves it, and the agent counts with it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await page.goto(`${url}/setup/cameras`);
    await page.locator('#token').fill(TOKEN);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#status').textContent()).toContain('Connected: 0 camera(s)');

    // A new camera: the generated door video, every frame processed (a file, not a live camera).
    await page.locator('#cam-id').fill('door1');
    await page.locator('#cam-input').fill(clip);
    await page.locator('#cam-width').fill(String(DOOR.width));
    await page.locator('#cam-realtime').uncheck();
    await page.locator('#probe').click();
    await expect
      .poll(() => page.locator('#status').textContent(), { timeout: 60_000 })
      .toContain(`Connected: ${DOOR.width}×${DOOR.height}`);
    expect(await page.locator('#view').evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([
      DOOR.width,
      DOOR.height,
    ]);
    // The picture is on the canvas (the drawn entrance, not the empty placeholder).
    const lit = await page
      .locator('#view')
      .evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(320, 120, 1, 1).data));
    expect(lit.slice(0, 3).some((v) => v !== 51)).toBe(true);

    // Draw the line with the mouse, left to right: "in" is walking down the picture.
    await page.keyboard.press('l');
    const from = await onCanvas(page, DOOR.line.x1, DOOR.line.y1);
    const to = await onCanvas(page, DOOR.line.x2, DOOR.line.y2);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => page.locator('#status').textContent()).toContain('Line drawn');
    await page.keyboard.press('s');
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 20_000 }).toContain('Saved');

    const saved = (await get('/cameras')).cameras;
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ id: 'door1', input: clip, width: DOOR.width, realtime: false });
    for (const k of ['x1', 'y1', 'x2', 'y2'] as const)
      expect(Math.abs(saved[0].line[k] - DOOR.line[k]), k).toBeLessThanOrEqual(2);

    // Test walk: the page shows the count the agent makes with the drawn line.
    await page.keyboard.press('t');
    await expect
      .poll(
        async () => [await page.locator('#count-in').textContent(), await page.locator('#count-out').textContent()],
        {
          timeout: 60_000,
          interval: 500,
        },
      )
      .toEqual(['1', '1']);
    await expect.poll(() => page.locator('#health').textContent()).toContain('Detector latency');
    const health = await get('/health');
    expect(health.cameras[0]).toMatchObject({ id: 'door1', totals: { in: 1, out: 1 } });
    const now = Date.now();
    await expect
      .poll(
        async () =>
          (
            await get(
              `/footfall?from=${new Date(now - 3600_000).toISOString()}&to=${new Date(now + 3600_000).toISOString()}`,
            )
          ).total,
      )
      .toEqual({ in: 1, out: 1 });
    const audit = (await get('/audit')).entries.map((e: any) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['camera.probe', 'cameras.set']));
    await page.close();
  }, 90_000);
});
