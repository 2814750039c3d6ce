// Run by hub-discovery.test.ts inside a private network namespace (`unshare -rn`): only a
// loopback interface exists there, so the multicast DNS traffic of the real hub processes and the
// real till host never leaves this sandbox. Prints one JSON line with what each step saw.
// Steps: (1) UDP 5353 held by another program without sharing: a hub asked to announce keeps
// serving, and the till's search answers DISCOVERY_UNAVAILABLE; (2) 5353 free: a second hub
// announces itself and the till's wizard search (GET /api/setup/hubs) lists it with its store and
// an address that answers; (3) that hub stops: a new search no longer finds it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTillHost } from '../../app/host';
import { browseHubs, DiscoveryError } from '../../sync/discovery';

const root = join(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'hub-discovery-'));
const report: Record<string, unknown> = {};
const children: ChildProcess[] = [];
const deadline = Date.now() + 120_000;

for (const args of [
  ['link', 'set', 'lo', 'up'],
  ['link', 'set', 'lo', 'multicast', 'on'],
]) {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(JSON.stringify({ skip: `ip ${args.join(' ')}: ${r.stderr.trim()}` }));
    process.exit(0);
  }
}

process.on('SIGTERM', () => {
  for (const c of children) c.kill('SIGKILL');
  process.exit(1);
});

function startHub(storeId: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'sync/hub/main.ts')], {
    cwd: root,
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HUB_PORT: '0',
      HUB_HOST: '127.0.0.1',
      HUB_DATA_DIR: join(scratch, storeId),
      STORE_ID: storeId,
      // No cloud in this namespace: the hub keeps trying in the background, which is fine here.
      CLOUD_URL: 'http://127.0.0.1:9',
      HUB_SYNC_INTERVAL_MS: '60000',
      HUB_MDNS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const p = { out: '', exit: null as number | null, child };
  child.stdout.on('data', (d: Buffer) => (p.out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (p.out += d.toString()));
  child.on('exit', (code) => (p.exit = code ?? -1));
  return p;
}

async function until<T>(what: string, f: () => Promise<T | undefined> | T | undefined): Promise<T> {
  while (Date.now() < deadline) {
    const v = await f(); // a throw (a process exited) ends the wait at once
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function hubReady(h: ReturnType<typeof startHub>): Promise<{ url: string; port: number }> {
  const line = await until('the hub', () => {
    if (h.exit !== null) throw new Error(`hub exited ${h.exit}: ${h.out.slice(-1500)}`);
    return /^(\{"ready":true.*)$/m.exec(h.out)?.[1];
  });
  return JSON.parse(line) as { url: string; port: number };
}

const health = async (url: string) => {
  const r = await fetch(`${url}/health`, { signal: AbortSignal.timeout(3000) });
  return (await r.json()) as { storeId?: string };
};

try {
  const till = await runTillHost({ dataDir: join(scratch, 'till'), port: 0, seedDemo: true });
  const hubsFromTill = async () => {
    const r = await fetch(`${till.url}/api/setup/hubs`);
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  try {
    // (1) Another responder holds 5353 exclusively (no SO_REUSEADDR): binding it fails.
    const holder = createSocket({ type: 'udp4', reuseAddr: false });
    await new Promise<void>((resolve, reject) => {
      holder.once('error', reject);
      holder.bind(5353, '0.0.0.0', () => resolve());
    });
    const busyHub = startHub('S002');
    const busy = await hubReady(busyHub);
    await until('the hub to say it is not announced', () => {
      if (busyHub.exit !== null) throw new Error(`the hub exited ${busyHub.exit}: ${busyHub.out.slice(-800)}`);
      return /hub not announced on the LAN/.test(busyHub.out) ? true : undefined;
    });
    report['busy'] = {
      hubAlive: busyHub.exit === null,
      hubHealth: await health(busy.url),
      tillSearch: await hubsFromTill(),
      browse: await browseHubs({ timeoutMs: 1500 }).then(
        (hubs) => ({ hubs }),
        (err: unknown) => ({ error: err instanceof DiscoveryError ? err.code : String(err) }),
      ),
    };
    // Stopped before the port frees: otherwise it may announce itself later (its responder binds
    // again at its next announcement), and step 2 would list it too, depending on timing.
    busyHub.child.kill('SIGTERM');
    await until('the first hub to stop', () => (busyHub.exit !== null ? true : undefined));
    report['busy'] = { ...(report['busy'] as object), hubExit: busyHub.exit };
    await new Promise<void>((r) => holder.close(() => r()));

    // (2) 5353 shared as usual: a hub announces itself and the till's search lists it.
    const hub = startHub('S001');
    const ready = await hubReady(hub);
    await new Promise((r) => setTimeout(r, 3500)); // probing (~750 ms) and the announcement; the till's last answer expires
    const found = await hubsFromTill();
    const listed = (found.body['hubs'] as { url: string; storeId: string }[] | undefined) ?? [];
    report['found'] = {
      hubPort: ready.port,
      tillSearch: found,
      // The listed address reaches the hub itself.
      listedHealth: listed[0] ? await health(listed[0].url) : null,
    };

    // (3) The hub stops (goodbye packets): a new search does not list it.
    hub.child.kill('SIGTERM');
    await until('the hub to stop', () => (hub.exit !== null ? true : undefined));
    report['afterStop'] = { hubExit: hub.exit, hubs: await browseHubs({ timeoutMs: 1500 }) };
  } finally {
    await till.close();
  }
} catch (err) {
  report['error'] = String((err as Error).stack ?? err);
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
}
console.log(JSON.stringify(report));
process.exit(0);
