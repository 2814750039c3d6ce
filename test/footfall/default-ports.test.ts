// README's demo: `npm run cloud` and `npm run edge-agent` with their documented defaults start
// together, and the box's hub pairs with the cloud using the demo code. Before issue #10 item
// 20a the agent's API took the cloud's port 8790 (EADDRINUSE) and its store "S1" did not match
// the demo code's store S001. The processes run in a private network namespace so the real
// default ports are used without colliding with anything else on the machine.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const canUnshare = spawnSync('unshare', ['-rn', 'true']).status === 0;

describe('documented defaults', () => {
  it.skipIf(!canUnshare)(
    'the cloud and the edge agent start together on 8790 / 8791 / 8792 and the hub pairs with the demo code',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'default-ports-'));
      try {
        const { stdout } = await run(
          'unshare',
          ['-rn', join(root, 'node_modules/.bin/tsx'), join(root, 'test/footfall/default-ports-run.ts'), dir],
          { cwd: dir, timeout: 180_000 },
        );
        const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, any>;
        expect(report['error']).toBeUndefined();
        expect(report['cloud']).toMatchObject({ ready: true, port: 8790 });
        expect(report['agent']).toEqual({ url: 'http://127.0.0.1:8792', hub: 'http://127.0.0.1:8791' });
        expect(report['hub']).toMatchObject({ role: 'hub', storeId: 'S001', sync: { state: 'ok' } });
        expect(report['agentHealth']).toMatchObject({ role: 'edge-agent', storeId: 'S001' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    200_000,
  );
});
