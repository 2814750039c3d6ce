// `npx edge-agent count` as the acceptance check runs it, on generated videos, plus the faults:
// a truncated file (counts so far kept, clear error) and a file that is not a video.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { lineArg, writeDoorSet, type DoorClip } from '../../edge-agent/testing';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');

async function count(args: string[], viaNpx = false): Promise<{ code: number; json: Record<string, unknown> }> {
  const cmd = viaNpx ? 'npx' : process.execPath;
  const argv = viaNpx
    ? ['edge-agent', 'count', ...args, '--json']
    : [join(root, 'bin/edge-agent.mjs'), 'count', ...args, '--json'];
  try {
    const { stdout } = await run(cmd, argv, { cwd: root, timeout: 120_000 });
    return { code: 0, json: JSON.parse(stdout.trim().split('\n').at(-1)!) };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    if (!err.stdout) throw new Error(`edge-agent failed without output: ${err.stderr}`);
    return { code: err.code, json: JSON.parse(err.stdout.trim().split('\n').at(-1)!) };
  }
}

let dir: string;
let clips: DoorClip[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'door-cli-'));
  clips = await writeDoorSet(dir, ['single-in', 'in-then-out']);
});

describe('edge-agent count', () => {
  it('`npx edge-agent count --input file --line … --json` prints the totals as the last line', async () => {
    const clip = clips.find((c) => c.name === 'single-in')!;
    const { code, json } = await count(['--input', clip.path, '--line', lineArg(), '--fps', '6'], true);
    expect(code).toBe(0);
    expect(json).toMatchObject({ in: 1, out: 0, frames: 20 });
    expect(json['seconds']).toBeGreaterThan(0);
    expect(json['fps']).toBeGreaterThan(0);
    expect(json['error']).toBeUndefined();
  });

  it('a truncated file keeps the counts so far and says it was truncated', async () => {
    const clip = clips.find((c) => c.name === 'in-then-out')!;
    const cut = join(dir, 'cut.mp4');
    // the walker going in crosses in the first half; the one going out only in the second
    writeFileSync(cut, readFileSync(clip.path).subarray(0, Math.floor(statSync(clip.path).size * 0.55)));
    const { code, json } = await count(['--input', cut, '--line', lineArg()]);
    expect(code).toBe(2);
    expect(json).toMatchObject({ in: 1, out: 0, error: { code: 'INPUT_TRUNCATED' } });
    expect(json['frames']).toBeLessThan(30);
  });

  it('a file that is not a video is a clear error, not a crash', async () => {
    const bad = join(dir, 'receipt.mp4');
    writeFileSync(bad, 'not a video\n'.repeat(100));
    const { code, json } = await count(['--input', bad, '--line', lineArg()]);
    expect(code).toBe(2);
    expect(json).toMatchObject({ in: 0, out: 0, frames: 0, error: { code: 'INPUT_NOT_VIDEO' } });
  });

  it('bad arguments are refused with a message', async () => {
    const { code, json } = await count(['--input', 'x.mp4', '--line', '1,2,3']);
    expect(code).toBe(1);
    expect(json).toMatchObject({ error: { code: 'BAD_ARGS' } });
    expect(String((json['error'] as { message: string }).message)).toContain('x1,y1,x2,y2');
  });

  it('URLs follow the service rules: an http:// input is refused and nothing is fetched', async () => {
    let hits = 0;
    const web = createServer((_req, res) => {
      hits++;
      res.end('<html>intranet</html>');
    });
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    try {
      const { code, json } = await count([
        '--input',
        `http://127.0.0.1:${(web.address() as AddressInfo).port}/page.mp4`,
        '--line',
        lineArg(),
      ]);
      expect(code).toBe(1);
      expect(json).toMatchObject({ error: { code: 'INPUT_NOT_ALLOWED' } });
      expect(hits).toBe(0);
    } finally {
      await new Promise<void>((r) => web.close(() => r()));
    }
  });

  it('a camera password never reaches the output or the logs', async () => {
    const password = 'Zx81#spectrum!';
    // a camera that hangs up at once: ffmpeg's error line repeats the URL with the password
    const cam = createTcpServer((sock) => sock.destroy());
    await new Promise<void>((r) => cam.listen(0, '127.0.0.1', r));
    try {
      const input = `rtsp://admin:${encodeURIComponent(password)}@127.0.0.1:${(cam.address() as AddressInfo).port}/live?password=${encodeURIComponent(password)}`;
      const r = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [
            join(root, 'bin/edge-agent.mjs'),
            'count',
            '--input',
            input,
            '--line',
            lineArg(),
            '--idle-exit',
            '2',
            '--json',
          ],
          { cwd: root, timeout: 120_000, env: { ...process.env, LOG_LEVEL: 'debug' } },
          (_e, stdout, stderr) => resolve({ stdout, stderr }),
        );
      });
      expect(r.stderr).toContain('camera source stopped');
      for (const s of [password, encodeURIComponent(password)]) {
        expect(r.stdout).not.toContain(s);
        expect(r.stderr).not.toContain(s);
      }
    } finally {
      await new Promise<void>((r) => cam.close(() => r()));
    }
  });
});
