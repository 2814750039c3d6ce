// Assembles the edge agent's Debian package with dpkg-deb (docs/packaging.md):
//   npx tsx packaging/deb/build-deb.ts [--out DIR] [--version X.Y.Z] [--lean]
// Layout: /opt/edge-agent (the production build from `npm run build:node`, the asset folders the
// build reads at run time, the converted models, production node_modules), the systemd unit in
// /lib/systemd/system, and /usr/bin/edge-agent. Production node_modules are the lockfile's
// non-dev packages copied from ./node_modules (no download), so build on the target's CPU
// architecture and Node major. --lean leaves out node_modules and models (a package to inspect,
// not to install: the tests use it).
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '../..');
const here = import.meta.dirname;

const DEB_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'armhf' };

/** Files and folders under the root that the built agent reads at run time (besides dist/node). */
const RUNTIME_ASSETS = [
  'package.json',
  'bin/edge-agent.mjs',
  'bin/built-entry.mjs',
  'edge-agent/service/camera-page',
  'models/manifest.json',
  'models/runtime/inference-worker.mjs',
];

/** The lockfile's production packages (not dev-only), as node_modules/… paths. */
export function productionPackages(): string[] {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean; link?: boolean }>;
  };
  return (
    Object.entries(lock.packages)
      .filter(([p, meta]) => p.startsWith('node_modules/') && !meta.dev && !meta.devOptional && !meta.link)
      .map(([p]) => p)
      // Nested packages come along with their parent folder.
      .filter((p) => !p.slice('node_modules/'.length).includes('/node_modules/'))
  );
}

export interface DebOptions {
  outDir: string;
  version?: string;
  lean?: boolean;
}

/** Builds the .deb into outDir; returns its path. */
export async function buildDeb(opts: DebOptions): Promise<string> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const version = opts.version ?? pkg.version;
  const arch = DEB_ARCH[process.arch];
  if (!arch) throw new Error(`no Debian architecture for ${process.arch}`);
  const stage = mkdtempSync(join(tmpdir(), 'edge-agent-deb-'));
  chmodSync(stage, 0o755); // the package's ./ (mkdtemp makes it 0700)
  try {
    const app = join(stage, 'opt/edge-agent');
    // `npm run build:node`, with the bundles' asset paths pointing into the install folder.
    const built = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'app/build/build-node.ts', '--outdir', join(app, 'dist/node'), '--app-root', app],
      { cwd: root, encoding: 'utf8' },
    );
    if (built.status !== 0) throw new Error(`build:node failed: ${built.stderr}`);
    // Only the agent's bundles ship (the CLI and the service); drop the till's and the cloud's.
    for (const name of ['pos-cli', 'cloud', 'till'])
      for (const ext of ['.mjs', '.mjs.map', '.inputs.json'])
        rmSync(join(app, 'dist/node', name + ext), { force: true });
    for (const asset of RUNTIME_ASSETS) cpSync(join(root, asset), join(app, asset), { recursive: true });
    if (!opts.lean) {
      const manifest = JSON.parse(readFileSync(join(root, 'models/manifest.json'), 'utf8')) as {
        models: { file: string }[];
      };
      for (const m of manifest.models) {
        const src = join(root, 'models', m.file);
        if (!existsSync(src)) throw new Error(`model ${m.file} missing: run \`npm run models\` first`);
        cpSync(src, join(app, 'models', m.file));
      }
      for (const p of productionPackages()) {
        if (existsSync(join(root, p))) cpSync(join(root, p), join(app, p), { recursive: true, dereference: true });
      }
    }
    mkdirSync(join(stage, 'lib/systemd/system'), { recursive: true });
    cpSync(join(here, 'edge-agent.service'), join(stage, 'lib/systemd/system/edge-agent.service'));
    mkdirSync(join(stage, 'usr/bin'), { recursive: true });
    symlinkSync('../../opt/edge-agent/bin/edge-agent.mjs', join(stage, 'usr/bin/edge-agent'));
    chmodSync(join(app, 'bin/edge-agent.mjs'), 0o755);

    const debian = join(stage, 'DEBIAN');
    mkdirSync(debian);
    const control = readFileSync(join(here, 'control'), 'utf8').replace('@VERSION@', version).replace('@ARCH@', arch);
    writeFileSync(join(debian, 'control'), control);
    for (const script of ['postinst', 'prerm']) {
      cpSync(join(here, script), join(debian, script));
      chmodSync(join(debian, script), 0o755);
    }
    mkdirSync(opts.outDir, { recursive: true });
    const out = join(resolve(opts.outDir), `edge-agent_${version}_${arch}.deb`);
    mkdirSync(dirname(out), { recursive: true });
    // --root-owner-group: files owned by root in the package whoever builds it.
    const r = spawnSync('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', stage, out], { encoding: 'utf8' });
    if (r.error) throw new Error(`dpkg-deb not runnable (${r.error.message}); install the dpkg package`);
    if (r.status !== 0) throw new Error(`dpkg-deb failed: ${r.stderr}`);
    return out;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, version: { type: 'string' }, lean: { type: 'boolean' } },
  });
  const out = await buildDeb({
    outDir: values.out ?? join(root, 'release'),
    version: values.version,
    lean: values.lean,
  });
  console.log(out);
}
