// Hub discovery on the LAN with real processes and real multicast DNS: a store hub process
// (sync/hub/main.ts, HUB_MDNS=1) announces `_edgepos-hub._tcp`, and a real till host's wizard
// search (GET /api/setup/hubs, sync/discovery over bonjour-service) finds it. Everything runs in a
// private network namespace (hub-discovery-child.ts) whose only interface is loopback, so no
// multicast packet reaches the machine's real network. Where namespaces are not allowed the test
// is skipped and says why.
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const probe = spawnSync('unshare', ['-rn', 'ip', 'link', 'set', 'lo', 'multicast', 'on'], { encoding: 'utf8' });
const noNamespace =
  probe.status === 0 ? null : `no private network namespace here (unshare -rn: ${probe.stderr?.trim() || probe.error})`;

describe('store hub discovery on the LAN (mDNS)', () => {
  it.skipIf(noNamespace !== null)(
    `the till's wizard lists a hub that announces itself, and nobody crashes when mDNS cannot start${noNamespace ? ` — skipped: ${noNamespace}` : ''}`,
    async () => {
      const { stdout } = await run(
        'unshare',
        ['-rn', process.execPath, '--import', 'tsx', join(root, 'test/sync/hub-discovery-child.ts')],
        { cwd: root, timeout: 150_000 },
      );
      const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, any>;
      expect(report['error']).toBeUndefined();
      expect(report['skip']).toBeUndefined();

      // 5353 held by another program: the hub serves anyway, the till says it cannot search.
      expect(report['busy'].hubAlive).toBe(true);
      expect(report['busy'].hubHealth).toMatchObject({ role: 'hub', storeId: 'S002' });
      expect(report['busy'].tillSearch).toMatchObject({
        status: 503,
        body: { ok: false, error: { code: 'DISCOVERY_UNAVAILABLE' } },
      });
      expect(report['busy'].browse).toEqual({ error: 'DISCOVERY_UNAVAILABLE' });
      expect(report['busy'].hubExit).toBe(0); // and it stops cleanly (its goodbye cannot be sent)

      // The announcing hub is listed with its store and an address that reaches it.
      const port = report['found'].hubPort as number;
      expect(report['found'].tillSearch).toEqual({
        status: 200,
        body: {
          ok: true,
          hubs: [{ name: 'EdgePOS hub S001 HS001', storeId: 'S001', hubId: 'HS001', url: `http://127.0.0.1:${port}` }],
        },
      });
      expect(report['found'].listedHealth).toMatchObject({ role: 'hub', storeId: 'S001' });

      // Switched off: gone from the next search.
      expect(report['afterStop']).toEqual({ hubExit: 0, hubs: [] });
    },
    180_000,
  );
});
