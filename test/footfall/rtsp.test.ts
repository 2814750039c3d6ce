// RTSP on loopback. ffmpeg cannot serve RTSP to pulling clients, so the test runs the agent as
// the listening side (`--rtsp-listen`, i.e. ffmpeg `-rtsp_flags listen -i rtsp://…`) and a
// second ffmpeg publishes a generated door video into it (`-re -i clip -c copy -f rtsp`), the
// way a camera or NVR pushes a stream. Mid-way the publisher drops (the camera goes away) and a
// new one comes back: the agent reconnects and keeps its counts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lineArg, writeDoorSet } from '../../edge-agent/testing';

const root = join(import.meta.dirname, '../..');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Publishes a file until ffmpeg reports success; retries while the listener is not up yet. */
async function publish(file: string, url: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const code = await new Promise<number | null>((resolve) => {
      const p = spawn(
        'ffmpeg',
        [
          '-hide_banner',
          '-loglevel',
          'error',
          '-re',
          '-i',
          file,
          '-c',
          'copy',
          '-f',
          'rtsp',
          '-rtsp_transport',
          'tcp',
          url,
        ],
        { stdio: 'ignore' },
      );
      children.push(p);
      p.on('close', resolve);
    });
    if (code === 0) return;
    await new Promise((r) => setTimeout(r, 400));
  }
  throw new Error('publisher never connected');
}

describe('RTSP source', () => {
  it('counts a stream published over RTSP on 127.0.0.1, through a camera drop and reconnect', async () => {
    const [inClip, outClip] = await writeDoorSet(mkdtempSync(join(tmpdir(), 'door-rtsp-')), [
      'single-in',
      'single-out',
    ]);
    const port = await freePort();
    const url = `rtsp://127.0.0.1:${port}/door`;
    const agent = spawn(
      process.execPath,
      [
        join(root, 'bin/edge-agent.mjs'),
        'count',
        '--input',
        url,
        '--rtsp-listen',
        '--line',
        lineArg(),
        '--fps',
        '6',
        '--idle-exit',
        '8',
        '--json',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(agent);
    let stdout = '';
    let stderr = '';
    agent.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    agent.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((r) => agent.on('close', r));
    const deadline = Date.now() + 90_000;
    await publish(inClip!.path, url, deadline); // first camera session, then the camera drops
    await publish(outClip!.path, url, deadline); // it comes back
    const code = await exited;
    const json = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(code, stderr).toBe(0);
    expect(json, stderr).toMatchObject({ in: 1, out: 1 });
    expect(json.reconnects).toBeGreaterThanOrEqual(1);
    expect(json.frames).toBeGreaterThanOrEqual(30);
  }, 150_000);
});
