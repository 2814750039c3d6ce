// Issue 19, packaging: the production build of the Node entries (app/build/build-node.ts) runs
// without tsx — the pos CLI answers `devices --json`, the edge agent and the cloud answer /health —
// and the launchers pick a build only while it is current.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNode, NODE_ENTRIES } from '../../app/build/build-node';
// @ts-expect-error plain ES module launcher helper (bin/), no type declarations
import { builtEntry } from '../../bin/built-entry.mjs';

const root = join(import.meta.dirname, '../..');
// A temp dir inside the repository (.scratch is gitignored): the bundles keep packages external,
// and Node resolves those from the bundle's folder upwards, to this repository's node_modules.
mkdirSync(join(root, '.scratch'), { recursive: true });
const out = mkdtempSync(join(root, '.scratch', 'node-build-'));

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

/** Runs `node file` (no tsx anywhere) until /health on the port answers ok; returns the body. */
async function healthOf(file: string, port: number, env: Record<string, string>): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, [file], { cwd: root, env: { ...process.env, ...env }, stdio: 'pipe' });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    const t = Date.now();
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${file} exited ${child.exitCode}: ${log.slice(-1500)}`);
      if (Date.now() - t > 45_000) throw new Error(`${file} not healthy in 45 s: ${log.slice(-1500)}`);
      const body = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) })
        .then((r) => (r.ok ? (r.json() as Promise<Record<string, unknown>>) : null))
        .catch(() => null);
      if (body) return body;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  }
}

/**
 * The npm packages a built entry loads while it starts: those reachable from it through static
 * imports; import() is not followed, except (awaited) a statement that only awaits an import, as
 * app/start.ts does for the web host.
 */
function startupPackages(entry: string, opts: { awaited?: boolean } = {}): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const js = readFileSync(join(out, file), 'utf8');
    for (const m of js.matchAll(/^import\s+(?:[^;]*?\sfrom\s+)?"([^"]+)";?$/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('./')) walk(spec.slice(2));
      else if (!spec.startsWith('node:')) packages.add(spec);
    }
    if (opts.awaited) for (const m of js.matchAll(/^\s*await import\("\.\/([^"]+)"\);$/gm)) walk(m[1]!);
  };
  walk(entry);
  expect(seen.size).toBeGreaterThan(1);
  return packages;
}

beforeAll(async () => {
  await buildNode(out);
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run build:node', () => {
  it('writes one ES module with a source map and its input list per entry', () => {
    for (const name of Object.keys(NODE_ENTRIES)) {
      const js = readFileSync(join(out, `${name}.mjs`), 'utf8');
      expect(js).toContain(`//# sourceMappingURL=${name}.mjs.map`);
      expect(JSON.parse(readFileSync(join(out, `${name}.mjs.map`), 'utf8')).sources.length).toBeGreaterThan(0);
      const { entry, inputs } = JSON.parse(readFileSync(join(out, `${name}.inputs.json`), 'utf8')) as {
        entry: string;
        inputs: string[];
      };
      expect(inputs).toContain(entry);
      // Packages stay external: nothing from node_modules is inside a bundle.
      expect(inputs.some((p) => p.includes('node_modules'))).toBe(false);
    }
  });

  it("the pos CLI's start-up loads no receipt, barcode, image, SQLite, zod or serialport library (`pos devices` is what technicians run most)", () => {
    // The packages reachable through static imports from pos-cli.mjs; import() is not followed.
    const packages = startupPackages('pos-cli.mjs');
    // zod (the barcode parser, device URIs) and serialport each take tens of ms to load: serialport
    // is imported when the serial ports are listed, the URI parser only for network printers.
    for (const heavy of ['receiptline', 'bwip-js', 'qrcode', 'pngjs', 'better-sqlite3', 'zod', 'serialport']) {
      expect(packages).not.toContain(heavy);
    }
  });

  it("the till's start-up loads no spreadsheet, Postgres, image, ONNX, pinyin, matrix or serial library (issue 19: till_ready_ms)", () => {
    // app/start.ts awaits the web host's import before it serves; that import is followed too.
    const packages = startupPackages('till.mjs', { awaited: true });
    for (const needed of ['better-sqlite3', 'hono', '@hono/node-server']) expect(packages).toContain(needed);
    // XLSX export, the cloud's Postgres pool, face lookup, pinyin keys of a saved product, the
    // replenishment's ridge fit and the first serial port (device discovery or a serial device)
    // load on first use.
    const heavy = [
      'exceljs',
      'pg',
      '@electric-sql/pglite',
      'sharp',
      'onnxruntime-node',
      'pinyin-pro',
      'ml-matrix',
      'serialport',
    ];
    for (const name of heavy) {
      expect(packages).not.toContain(name);
    }
  });

  it('the built pos CLI prints the device list as JSON, run by plain node', () => {
    const runner = join(out, 'run-pos.mjs');
    writeFileSync(
      runner,
      `const { main } = await import(${JSON.stringify(join(out, 'pos-cli.mjs'))});\nprocess.exitCode = await main(process.argv.slice(2));\n`,
    );
    const r = spawnSync(process.execPath, [runner, 'devices', '--json'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, POS_DEVICES: 'none' },
      timeout: 30_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { ok: boolean; devices: unknown[] };
    expect(last.ok).toBe(true);
    expect(Array.isArray(last.devices)).toBe(true);
  });

  it('bin/pos.mjs uses the build while it is current and falls back to the sources when not', () => {
    expect(builtEntry('pos-cli', { POS_BUILD_DIR: out })).toBe(join(out, 'pos-cli.mjs'));
    expect(builtEntry('pos-cli', { POS_BUILD_DIR: out, POS_USE_BUILD: '0' })).toBeNull();
    expect(builtEntry('no-such-entry', { POS_BUILD_DIR: out })).toBeNull();
    // A bundle older than one of its sources is stale; a source a package does not ship is ignored.
    const stale = join(out, 'stale');
    mkdirSync(stale);
    cpSync(join(out, 'pos-cli.mjs'), join(stale, 'pos-cli.mjs'));
    writeFileSync(join(stale, 'pos-cli.inputs.json'), JSON.stringify({ inputs: ['bin/pos-cli.ts', 'gone/x.ts'] }));
    utimesSync(join(stale, 'pos-cli.mjs'), new Date(0), new Date(0));
    expect(builtEntry('pos-cli', { POS_BUILD_DIR: stale })).toBeNull();
    expect(builtEntry('pos-cli', { POS_BUILD_DIR: stale, POS_USE_BUILD: '1' })).toBe(join(stale, 'pos-cli.mjs'));
    writeFileSync(join(stale, 'pos-cli.inputs.json'), JSON.stringify({ inputs: ['gone/x.ts'] }));
    expect(builtEntry('pos-cli', { POS_BUILD_DIR: stale })).toBe(join(stale, 'pos-cli.mjs'));
    // And the launcher runs it end to end.
    const r = spawnSync(process.execPath, ['bin/pos.mjs', 'devices', '--json'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, POS_BUILD_DIR: out, POS_DEVICES: 'none' },
      timeout: 30_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toMatchObject({ ok: true });
  });

  it('the built edge agent and cloud answer /health', async () => {
    const [edgePort, hubPort, cloudPort] = [await freePort(), await freePort(), await freePort()];
    const [agent, cloud] = await Promise.all([
      healthOf(join(out, 'edge-agent.mjs'), edgePort, {
        EDGE_DEMO: '1',
        EDGE_PORT: String(edgePort),
        EDGE_HOST: '127.0.0.1',
        HUB_PORT: String(hubPort),
        EDGE_DATA_DIR: mkdtempSync(join(tmpdir(), 'node-build-agent-')),
        CLOUD_URL: 'http://127.0.0.1:9',
        LOG_LEVEL: 'warn',
      }),
      healthOf(join(out, 'cloud.mjs'), cloudPort, {
        CLOUD_DEMO: '1',
        CLOUD_PORT: String(cloudPort),
        CLOUD_DATA_DIR: mkdtempSync(join(tmpdir(), 'node-build-cloud-')),
        DATABASE_URL: '',
        LOG_LEVEL: 'warn',
      }),
    ]);
    expect(agent).toMatchObject({ ok: true, role: 'edge-agent', storeId: 'S001' });
    expect(cloud).toMatchObject({ ok: true });
  }, 60_000);
});
