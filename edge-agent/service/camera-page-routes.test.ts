// The camera page's routes as a technician's browser meets them: real HTTP, real ffmpeg reading a
// video made from a real photo of three people (face-api's sample1), real BlazeFace. The page
// shell is public and holds no data; the connection test, the live picture and the live tracks
// need the admin token; every picture that leaves the agent has its faces blurred (BlazeFace
// finds three faces in the frame and none in the picture the page gets).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaceAnalyzer, decodeImage, type FaceAnalyzer } from '../../models';
import { samplePath } from '../../models/testing';
import { AgentStore } from '../footfall';
import { ffmpegPath } from '../ingest';
import { agentConfigSchema } from '../pipeline';
import { startAgentService, type AgentService } from './agent-service';

const TOKEN = 'camera-page-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
const LINE = { x1: 0, y1: 300, x2: 600, y2: 300 };

let dir: string;
let media: string;
let store: AgentStore;
let agent: AgentService;
let faces: FaceAnalyzer;

const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = auth) =>
  fetch(agent.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await f().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'camera-page-'));
  media = join(dir, 'media');
  mkdirSync(media);
  copyFileSync(samplePath(1), join(dir, 'people.jpg'));
  // 20 s of the photo at 2 fps: long enough to stay "live" while the test looks at it.
  execFileSync(ffmpegPath(), [
    '-loglevel',
    'error',
    '-loop',
    '1',
    '-i',
    join(dir, 'people.jpg'),
    '-t',
    '20',
    '-r',
    '2',
    '-vf',
    'scale=trunc(iw/2)*2:trunc(ih/2)*2',
    '-pix_fmt',
    'yuv420p',
    join(media, 'people.mp4'),
  ]);
  writeFileSync(join(media, 'notes.mp4'), 'not a video at all');
  store = new AgentStore(join(dir, 'agent.db'));
  faces = await createFaceAnalyzer({ models: ['blazeface'], threads: 1 });
  agent = await startAgentService({
    config: {
      ...agentConfigSchema.parse({ detector: { model: 'centernet', poolSize: 1 }, cameras: [] }),
      storeId: 'S001',
    },
    store,
    log: pino({ level: 'silent' }),
    port: 0,
    host: '127.0.0.1',
    adminToken: TOKEN,
    mediaDir: media,
    flushMs: 60_000,
  });
}, 120_000);

afterAll(async () => {
  await agent?.close();
  await faces?.close();
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function facesIn(jpeg: ArrayBuffer): Promise<number> {
  return (await faces.detectFaces(await decodeImage(Buffer.from(jpeg)))).length;
}

describe('the camera page', () => {
  it('serves its page to anyone, but nothing of the cameras without the token', async () => {
    const page = await call('GET', '/setup/cameras', undefined, {});
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(await page.text()).toContain('Camera setup');
    const js = await call('GET', '/setup/camera-page.js', undefined, {});
    expect(js.status).toBe(200);
    expect(await js.text()).toContain('/cameras/probe');

    const probe = await call('POST', '/cameras/probe', { input: 'people.mp4' }, {});
    expect(probe.status).toBe(401);
    expect(((await probe.json()) as any).error.code).toBe('UNAUTHENTICATED');
    const live = await call('GET', '/cameras/door1/live', undefined, { authorization: 'Bearer wrong-token-123456' });
    expect(live.status).toBe(401);
  });

  it('tests a connection with a picture whose faces are blurred, and audits the test', async () => {
    const r = await call('POST', '/cameras/probe', { input: 'people.mp4', width: 640 });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/jpeg');
    expect(Number(r.headers.get('x-frame-width'))).toBe(640);
    const jpeg = await r.arrayBuffer();
    // The same frame unblurred: three faces. The page's picture: none.
    const raw = await decodeImage(Buffer.from(jpeg));
    expect(raw.width).toBe(640);
    const original = await decodeImage(
      execFileSync(ffmpegPath(), [
        ...['-loglevel', 'error', '-i', join(media, 'people.mp4'), '-frames:v', '1', '-vf', 'scale=640:-2'],
        ...['-f', 'image2pipe', '-c:v', 'png', '-'],
      ]),
    );
    expect((await faces.detectFaces(original)).length).toBeGreaterThanOrEqual(3);
    expect(await facesIn(jpeg)).toBe(0);
    const audit = ((await (await call('GET', '/audit')).json()) as any).entries;
    expect(audit[0]).toMatchObject({ action: 'camera.probe', by: 'admin-token', detail: { input: 'people.mp4' } });
  }, 60_000);

  it('refuses inputs the rules do not allow and says why a file is no video, before any picture', async () => {
    for (const input of ['http://127.0.0.1:9/x.mp4', '/etc/passwd', '../people.jpg', 'concat:people.mp4']) {
      const r = await call('POST', '/cameras/probe', { input });
      expect(r.status, input).toBe(400);
      expect(((await r.json()) as any).error.code, input).toBe('INPUT_NOT_ALLOWED');
    }
    const notVideo = await call('POST', '/cameras/probe', { input: 'notes.mp4' });
    expect(notVideo.status).toBe(400);
    expect(((await notVideo.json()) as any).error.code).toMatch(/^INPUT_NOT_VIDEO|SOURCE_FAILED$/);
    const bad = await call('POST', '/cameras/probe', { width: 640 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.code).toBe('BAD_REQUEST');
    expect((await call('GET', '/health')).status).toBe(200);
  }, 60_000);

  it('shows a running camera live: blurred picture, tracks, counts and health', async () => {
    expect((await call('GET', '/cameras/door1/live')).status).toBe(404);
    const put = await call('PUT', '/cameras', { cameras: [{ id: 'door1', input: 'people.mp4', fps: 2, line: LINE }] });
    expect(put.status).toBe(200);
    // Counting alone keeps no frame and shows no live view.
    expect(((await (await call('GET', '/health')).json()) as any).privacy.liveView).toEqual([]);
    const live = await until('a live frame', async () => {
      const r = (await (await call('GET', '/cameras/door1/live')).json()) as any;
      return r.frame ? r : undefined;
    });
    expect(live).toMatchObject({ ok: true, id: 'door1', line: LINE, totals: { in: 0, out: 0 } });
    expect(((await (await call('GET', '/health')).json()) as any).privacy.liveView).toEqual(['door1']);
    expect(live.frame.width).toBeGreaterThan(0);
    expect(Array.isArray(live.tracks)).toBe(true);
    expect(live.health).toMatchObject({ id: 'door1', source: { state: 'streaming' } });
    expect(typeof live.health.fps).toBe('number');
    expect(typeof live.health.inferenceMs).toBe('number');
    expect(typeof live.health.source.dropped).toBe('number');
    expect(Date.parse(live.health.lastFrameAt)).toBeGreaterThan(Date.now() - 10_000);
    // Two pages asking at once (sharing one blur pass when they overlap) each get a whole, blurred picture.
    const [snap, again] = await Promise.all([
      call('GET', '/cameras/door1/snapshot'),
      call('GET', '/cameras/door1/snapshot'),
    ]);
    expect([snap.status, again.status]).toEqual([200, 200]);
    expect(snap.headers.get('content-type')).toBe('image/jpeg');
    const [one, two] = [await snap.arrayBuffer(), await again.arrayBuffer()];
    expect(one.byteLength).toBeGreaterThan(5000);
    expect(two.byteLength).toBeGreaterThan(5000);
    expect(await facesIn(one)).toBe(0);
    expect(await facesIn(two)).toBe(0);
  }, 60_000);
});
