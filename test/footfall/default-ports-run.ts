// Starts `npm run cloud` and `npm run edge-agent` exactly as README documents them for the demo
// (no port, store or code variables) and reports what each answered, as one JSON line. Run by
// default-ports.test.ts inside a private network namespace (`unshare -rn`), so the real default
// ports 8790/8791/8792 are free whatever else runs on the machine; argv[2] is a scratch folder
// used as the working directory (the default data folders are relative to it).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');
const cwd = process.argv[2]!;
const tsx = join(root, 'node_modules/.bin/tsx');
// Only what a newcomer's shell has, plus the demo flags README puts in front of the commands.
// CLOUD_DEMO=1 is the cloud's demo switch (security issue #10, item 6); older clouds ignore it.
const base = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? cwd, LANG: 'C.UTF-8' };
const deadline = Date.now() + 150_000;

spawnSync('ip', ['link', 'set', 'lo', 'up']);

const children: ChildProcess[] = [];
function killChildren(): void {
  for (const c of children) {
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
// The test's timeout ends this script with SIGTERM: take the cloud and the agent down with it.
process.on('SIGTERM', () => {
  killChildren();
  process.exit(1);
});
function start(name: string, script: string, env: Record<string, string>) {
  // Its own process group: tsx runs the script in a child node process, so killing tsx alone would
  // leave the cloud or agent running after the test (it did, until the CI run ran out of time).
  const child = spawn(tsx, [join(root, script)], {
    cwd,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  const p = { out: '', exit: null as number | null };
  child.stdout!.on('data', (d: Buffer) => {
    p.out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    p.out += d.toString();
  });
  child.on('exit', (code) => {
    p.exit = code ?? -1;
  });
  return Object.assign(p, { name });
}

async function until<T>(what: string, f: () => Promise<T | undefined>): Promise<T> {
  while (Date.now() < deadline) {
    const v = await f().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const report: Record<string, unknown> = {};
const t0 = Date.now();
const took: Record<string, number> = {};
report['seconds'] = took;
try {
  const cloud = start('cloud', 'sync/cloud/main.ts', { CLOUD_DEMO: '1' });
  report['cloud'] = JSON.parse(
    await until('the cloud', async () => {
      if (cloud.exit !== null)
        throw Object.assign(new Error('exited'), { fatal: `cloud exited ${cloud.exit}: ${cloud.out.slice(-1500)}` });
      return /^(\{"ready":true.*)$/m.exec(cloud.out)?.[1];
    }).catch((e: { fatal?: string }) => {
      throw new Error(e.fatal ?? `cloud: ${cloud.out.slice(-1500)}`);
    }),
  );
  took['cloud'] = (Date.now() - t0) / 1000;
  const agent = start('edge-agent', 'edge-agent/main.ts', { EDGE_DEMO: '1', LOG_LEVEL: 'warn' });
  const ready = await new Promise<string>((resolve, reject) => {
    const t = setInterval(() => {
      const m = /EDGE_AGENT_READY (.*)/.exec(agent.out);
      if (m) {
        clearInterval(t);
        resolve(m[1]!);
      } else if (agent.exit !== null || Date.now() > deadline) {
        clearInterval(t);
        reject(new Error(`edge agent did not start (exit ${agent.exit}): ${agent.out.slice(-2000)}`));
      }
    }, 200);
  });
  report['agent'] = JSON.parse(ready);
  took['agent'] = (Date.now() - t0) / 1000;
  const { url, hub } = report['agent'] as { url: string; hub: string };
  // Enrolled with the demo code and synced once: the hub's sync status says so.
  report['hub'] = await until('the hub to sync with the cloud', async () => {
    const h = (await (await fetch(`${hub}/health`)).json()) as { sync: { state: string; lastSyncAt: string | null } };
    return h.sync.state === 'ok' && h.sync.lastSyncAt ? h : undefined;
  }).catch(() => {
    throw new Error(`hub never synced: ${agent.out.slice(-2000)}`);
  });
  took['hub'] = (Date.now() - t0) / 1000;
  report['agentHealth'] = await (await fetch(`${url}/health`)).json();
} catch (e) {
  report['error'] = (e as Error).message;
} finally {
  killChildren();
}
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);
