// Real ffmpeg on small generated inputs: frame cutting, and the faults a technician meets.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentError } from './agent-error';
import { FrameSource } from './frame-source';

let dir: string;
let clip: string;
const rules = { files: 'anywhere' } as const;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ingest-'));
  clip = join(dir, 'test.mp4');
  execFileSync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=320x180:rate=10:duration=3',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    '+faststart',
    clip,
  ]);
});
afterEach(() => {
  delete process.env['FFMPEG_PATH'];
});

async function drain(src: FrameSource) {
  const frames: Array<{ w: number; h: number; n: number; index: number; at: number }> = [];
  let error: unknown = null;
  try {
    for await (const f of src.frames())
      frames.push({ w: f.width, h: f.height, n: f.data.length, index: f.index, at: f.at });
  } catch (e) {
    error = e;
  }
  return { frames, error };
}

describe('FrameSource', () => {
  it('cuts whole RGB frames at the sampling rate, with stream timestamps', async () => {
    const { frames, error } = await drain(new FrameSource({ rules, input: clip, fps: 5, startAt: 1_000_000 }));
    expect(error).toBeNull();
    expect(frames.length).toBe(15);
    expect(frames[0]).toMatchObject({ w: 320, h: 180, n: 320 * 180 * 3, index: 0, at: 1_000_000 });
    expect(frames[5]!.at).toBe(1_001_000);
  });

  it('scales to the configured width', async () => {
    const { frames } = await drain(new FrameSource({ rules, input: clip, fps: 2, width: 160 }));
    expect(frames[0]).toMatchObject({ w: 160, h: 90 });
  });

  it('a non-video file is a clear INPUT_NOT_VIDEO error', async () => {
    const bad = join(dir, 'notes.mp4');
    writeFileSync(bad, 'this is not a video\n'.repeat(50));
    const src = new FrameSource({ rules, input: bad, fps: 5 });
    const { frames, error } = await drain(src);
    expect(frames).toHaveLength(0);
    expect(error).toBeInstanceOf(AgentError);
    expect((error as AgentError).code).toBe('INPUT_NOT_VIDEO');
    expect(src.status().state).toBe('failed');
  });

  it('a missing file is INPUT_NOT_FOUND', async () => {
    const { error } = await drain(new FrameSource({ rules, input: join(dir, 'nope.mp4'), fps: 5 }));
    expect((error as AgentError).code).toBe('INPUT_NOT_FOUND');
  });

  it('a truncated file yields its readable frames and reports INPUT_TRUNCATED', async () => {
    const cut = join(dir, 'cut.mp4');
    writeFileSync(cut, readFileSync(clip).subarray(0, Math.floor(statSync(clip).size * 0.5)));
    const src = new FrameSource({ rules, input: cut, fps: 5 });
    const { frames, error } = await drain(src);
    expect(error).toBeNull();
    expect(frames.length).toBeGreaterThan(2);
    expect(frames.length).toBeLessThan(15);
    expect(src.status().lastError?.code).toBe('INPUT_TRUNCATED');
    expect(src.status().decodeErrors).toBeGreaterThan(0);
  });

  it('without ffmpeg it says how to install it', async () => {
    process.env['FFMPEG_PATH'] = '/nonexistent/ffmpeg';
    const { error } = await drain(new FrameSource({ rules, input: clip, fps: 5 }));
    expect((error as AgentError).code).toBe('FFMPEG_MISSING');
    expect((error as Error).message).toContain('apt-get install ffmpeg');
  });

  it('a live source that keeps failing backs off, counts reconnects and gives up when idle', async () => {
    const src = new FrameSource({
      rules,
      input: 'rtsp://127.0.0.1:1/none',
      fps: 5,
      initialBackoffMs: 50,
      maxBackoffMs: 100,
      idleExitMs: 4000,
    });
    const { frames, error } = await drain(src);
    expect(error).toBeNull();
    expect(frames).toHaveLength(0);
    const st = src.status();
    expect(st.reconnects).toBeGreaterThan(0);
    expect(st.state).toBe('ended');
    expect(st.lastError?.code).toBe('SOURCE_FAILED');
  });

  it('checks the input again at launch: a URL or file the rules refuse never reaches ffmpeg', async () => {
    let hits = 0;
    const web = createServer((_req, res) => {
      hits++;
      res.end('not a camera');
    });
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    try {
      const media = { files: { under: join(dir, 'media') } };
      for (const input of [`http://127.0.0.1:${(web.address() as AddressInfo).port}/door.mp4`, clip]) {
        const src = new FrameSource({
          rules: media,
          input,
          fps: 5,
          reconnect: true,
          initialBackoffMs: 50,
          idleExitMs: 3000,
        });
        const { frames, error } = await drain(src);
        expect(frames).toHaveLength(0);
        expect((error as AgentError).code).toBe('INPUT_NOT_ALLOWED');
        expect(src.status()).toMatchObject({
          state: 'failed',
          reconnects: 0,
          lastError: { code: 'INPUT_NOT_ALLOWED' },
        });
      }
      expect(hits).toBe(0);
    } finally {
      await new Promise<void>((r) => web.close(() => r()));
    }
  });
});
