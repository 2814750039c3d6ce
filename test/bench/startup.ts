// Start-up benchmark (issue 19): `npm run bench -- startup`. Last line is one JSON object:
//   pos_cli_start_ms         median wall time of `node bin/pos.mjs devices --json` on no hardware, spawn to
//                            exit, running the production build (dist/node/pos-cli.mjs, `npm run build:node`)
//   pos_cli_tsx_start_ms     the same through tsx (POS_USE_BUILD=0: what development runs), for comparison
//   till_ready_ms            median time from `node dist/node/till.mjs` (web mode, a seeded store, renderer
//                            built) to the first `/health` that answers ok
//   agent_ready_ms           median time from `node bin/edge-agent.mjs serve` on the build (EDGE_DEMO=1, no
//                            cameras) to the first `/health` that answers ok
//   runs                     runs per figure; load1 is the load average when the suite started
// The suite runs `npm run build:node` first, so it always measures the current sources.
// Targets (issue 19): CLI ≤ 300, till ≤ 1,000, agent ≤ 1,500 ms.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const RUNS = Number(process.env['STARTUP_RUNS'] ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load1 = Math.round(loadavg()[0]! * 10) / 10;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Spawn to exit, in ms; the command must succeed. */
function timeToExit(args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: 'pipe' });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) =>
      code === 0 ? resolve(performance.now() - t) : reject(new Error(`${args.join(' ')} exited ${code}: ${err}`)),
    );
  });
}

/** Spawn to the first ok `/health` on the port, in ms; then stops the process. */
async function timeToHealthy(args: string[], port: number, env: Record<string, string>): Promise<number> {
  const t = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: 'pipe' });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited ${child.exitCode}: ${out.slice(-2000)}`);
      if (performance.now() - t > 300_000)
        throw new Error(`${args.join(' ')} not healthy in 300 s: ${out.slice(-2000)}`);
      const ok = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) })
        .then(async (r) => r.ok && ((await r.json()) as { ok?: boolean }).ok === true)
        .catch(() => false);
      if (ok) return performance.now() - t;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  }
}

// 0. The production build of every Node entry.
const built = spawnSync(process.execPath, ['--import', 'tsx', 'app/build/build-node.ts'], {
  cwd: root,
  encoding: 'utf8',
});
if (built.status !== 0) throw new Error(`npm run build:node failed: ${built.stderr}`);
const useBuild = { POS_USE_BUILD: '1' };

// 1. The technician's CLI, as shipped: bin/pos.mjs on the build.
const cli: number[] = [];
await timeToExit(['bin/pos.mjs', 'devices', '--json'], useBuild); // warm the disk cache
for (let i = 0; i < RUNS; i++) cli.push(await timeToExit(['bin/pos.mjs', 'devices', '--json'], useBuild));
console.log(`pos devices --json (build): ${cli.map((x) => x.toFixed(0)).join(', ')} ms`);

// 2. The same CLI through tsx (development), to show what the build buys.
const tsxCli: number[] = [];
const noBuild = { POS_USE_BUILD: '0' };
await timeToExit(['bin/pos.mjs', 'devices', '--json'], noBuild); // warm tsx's cache
for (let i = 0; i < RUNS; i++) tsxCli.push(await timeToExit(['bin/pos.mjs', 'devices', '--json'], noBuild));
console.log(`pos devices --json (tsx): ${tsxCli.map((x) => x.toFixed(0)).join(', ')} ms`);

// 3. The till in web mode on a seeded store (the first start seeds and builds the renderer if needed).
const tillDir = mkdtempSync(join(tmpdir(), 'bench-startup-till-'));
const tillEnv = (port: number) => ({
  POS_WEB: '1',
  POS_PORT: String(port),
  POS_DATA_DIR: tillDir,
  POS_DEVICES: 'none',
  POS_PAYMENTS: 'sandbox',
  LOG_LEVEL: 'warn',
});
{
  const port = await freePort();
  await timeToHealthy(['dist/node/till.mjs'], port, tillEnv(port));
}
const till: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const port = await freePort();
  till.push(await timeToHealthy(['dist/node/till.mjs'], port, tillEnv(port)));
}
console.log(`till to /health ok: ${till.map((x) => x.toFixed(0)).join(', ')} ms`);

// 4. The edge agent (demo store, no cameras; the cloud it would sync with is not running).
const agentDir = mkdtempSync(join(tmpdir(), 'bench-startup-agent-'));
const agent: number[] = [];
for (let i = 0; i < RUNS + 1; i++) {
  const edgePort = await freePort();
  let hubPort = await freePort();
  while (hubPort === edgePort) hubPort = await freePort();
  const ms = await timeToHealthy(['bin/edge-agent.mjs', 'serve'], edgePort, {
    EDGE_DEMO: '1',
    EDGE_PORT: String(edgePort),
    EDGE_HOST: '127.0.0.1',
    HUB_PORT: String(hubPort),
    EDGE_DATA_DIR: agentDir,
    CLOUD_URL: 'http://127.0.0.1:9',
    LOG_LEVEL: 'warn',
    ...useBuild,
  });
  if (i > 0) agent.push(ms); // the first start creates the data dir and converts models if needed
}
console.log(`edge agent to /health ok: ${agent.map((x) => x.toFixed(0)).join(', ')} ms`);

console.log(
  JSON.stringify({
    suite: 'startup',
    pos_cli_start_ms: Math.round(median(cli)),
    pos_cli_tsx_start_ms: Math.round(median(tsxCli)),
    till_ready_ms: Math.round(median(till)),
    agent_ready_ms: Math.round(median(agent)),
    runs: RUNS,
    load1,
    runtime: 'production build (dist/node, esbuild)',
  }),
);
