// A gzip bomb against a real cloud process: ~300 KiB of gzip that inflates to 300 MB. Before the
// cap the server inflated it whole (RSS 146 → 1,009 MB) and stalled other requests. Now it
// stops at MAX_BATCH_BYTES, answers 413 BATCH_TOO_LARGE, its peak RSS (VmHWM) stays bounded,
// and it keeps serving, both while the bombs land and after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { encodeBatch, HybridClock, OpFactory } from '../../sync';
import { startProcess, type Proc } from './processes';
import { postJson, postRaw, tempDir } from './helpers';

let cloud: Proc;
let url: string;
let token: string;

/** Resident set now and at its peak, in MB, from /proc. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

beforeAll(async () => {
  cloud = await startProcess('sync/cloud/main.ts', {
    DATABASE_URL: '',
    CLOUD_DATA_DIR: tempDir('bomb-cloud'),
    CLOUD_PORT: '0',
    CLOUD_DEMO: '1',
    DEMO_ENROLL_CODE: 'DEMO-BOMB',
    DEMO_STORE_ID: 'S1',
  });
  url = `http://127.0.0.1:${cloud.info.port}`;
  token = (await postJson(`${url}/sync/enroll`, { code: 'DEMO-BOMB', deviceId: 'TB' })).body.token;
  // Warm the push path once so the baseline includes what a normal push allocates.
  const ops = new OpFactory(new HybridClock({ nodeId: 'TB', now: Date.now }));
  expect((await postRaw(`${url}/sync/push`, encodeBatch([ops.move('S1', 'warm', 'sale', 1)]), token)).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
});

describe('gzip bomb', () => {
  it('a 300 MB bomb is refused with 413, memory stays bounded and the cloud keeps serving', async () => {
    const bomb = gzipSync(Buffer.alloc(300 * 1024 * 1024, 0x20), { level: 9 });
    expect(bomb.length).toBeLessThan(400 * 1024);
    const pid = cloud.child.pid!;
    const before = memory(pid);
    // Three at once, with a health check racing them.
    const [a, b, c, health] = await Promise.all([
      postRaw(`${url}/sync/push`, bomb, token),
      postRaw(`${url}/sync/push`, bomb, token),
      postRaw(`${url}/sync/push`, bomb, token),
      fetch(`${url}/health`).then((r) => r.status),
    ]);
    const after = memory(pid);
    console.log(
      JSON.stringify({
        bombBytes: bomb.length,
        rssBeforeMb: Math.round(before.rss),
        peakBeforeMb: Math.round(before.peak),
        peakAfterMb: Math.round(after.peak),
      }),
    );
    // Before the cap: +860 MB for one bomb. Three capped inflations at 32 MiB each, plus slack.
    expect(after.peak - before.peak).toBeLessThan(200);
    for (const r of [a, b, c]) {
      expect(r.status).toBe(413);
      expect(r.body.error.code).toBe('BATCH_TOO_LARGE');
    }
    expect(health).toBe(200);
    const ops = new OpFactory(new HybridClock({ nodeId: 'TB', now: Date.now }));
    const normal = await postRaw(`${url}/sync/push`, encodeBatch([ops.move('S1', 'after-bomb', 'sale', 1)]), token);
    expect(normal.status).toBe(200);
    expect(normal.body.applied).toBe(1);
  }, 120_000);
});
