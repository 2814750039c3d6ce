// Build steps shared by `npm start` and the test suite: each checks whether its output is
// current and rebuilds it when not, so a fresh clone needs nothing but `npm ci` first.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function run(cmd: string, args: string[]): void {
  // Build output goes to stderr, so a CLI's JSON last line on stdout stays clean.
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with ${r.status}`);
}

/** Renderer bundle (till screen and customer display page) for the web host, Electron and Playwright. */
export function ensureRendererBuilt(): void {
  const index = join(root, 'dist/renderer/index.html');
  const src = join(root, 'app/renderer');
  const contract = join(root, 'app/contract');
  if (!existsSync(src) || !existsSync(join(src, 'index.html'))) return;
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  // Both vite entries: the till screen and the customer display page (display/index.html).
  const displayBuilt = existsSync(join(root, 'dist/renderer/display/index.html'));
  if (displayBuilt && built > newestMtime(src) && built > newestMtime(contract)) return;
  run('npx', ['vite', 'build', '--config', 'app/renderer/vite.config.ts', '--logLevel', 'warn']);
}

/**
 * ONNX models converted from @vladmandic/human (models/build/*.onnx, gitignored). Rebuilt with
 * `npm run models` when a file is missing, older than the converter source, or does not hash to
 * models/manifest.json (hashing the ~35 MB takes well under a second).
 */
export function ensureModelsBuilt(): void {
  const manifestPath = join(root, 'models/manifest.json');
  if (!existsSync(manifestPath)) {
    run('npx', ['tsx', 'models/build.ts']);
    return;
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    models: { file: string; sha256: string; bytes: number }[];
  };
  // A package (packaging/deb) ships the converted models without the converter's sources.
  const convertDir = join(root, 'models/convert');
  if (!existsSync(convertDir)) return;
  const converted = Math.max(
    ...readdirSync(convertDir)
      .filter((f) => !f.endsWith('.test.ts'))
      .map((f) => statSync(join(convertDir, f)).mtimeMs),
  );
  const current = manifest.models.every((m) => {
    const p = join(root, 'models', m.file);
    if (!existsSync(p)) return false;
    const st = statSync(p);
    if (st.size !== m.bytes || st.mtimeMs < converted) return false;
    return createHash('sha256').update(readFileSync(p)).digest('hex') === m.sha256;
  });
  if (current) return;
  run('npx', ['tsx', 'models/build.ts']);
}
