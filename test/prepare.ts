// Build steps the test suite relies on. Each area registers its own step here so that
// `npm test` on a fresh clone needs nothing but `npm ci` first.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

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
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with ${r.status}`);
}

/** Renderer bundle for the web host and Playwright tests. */
export function ensureRendererBuilt(): void {
  const index = join(root, 'dist/renderer/index.html');
  const src = join(root, 'app/renderer');
  const contract = join(root, 'app/contract');
  if (!existsSync(src) || !existsSync(join(src, 'index.html'))) return;
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (built > newestMtime(src) && built > newestMtime(contract)) return;
  run('npx', ['vite', 'build', '--config', 'app/renderer/vite.config.ts', '--logLevel', 'warn']);
}

/**
 * ONNX models converted from @vladmandic/human (models/build/*.onnx, gitignored). Rebuilt when a
 * file is missing, older than the converter source, or no longer matches models/manifest.json.
 */
export function ensureModelsBuilt(): void {
  const manifestPath = join(root, 'models/manifest.json');
  if (!existsSync(manifestPath)) {
    run('npx', ['tsx', 'models/build.ts']);
    return;
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { models: { file: string; sha256: string; bytes: number }[] };
  const convertDir = join(root, 'models/convert');
  const converted = Math.max(
    ...readdirSync(convertDir).filter((f) => !f.endsWith('.test.ts')).map((f) => statSync(join(convertDir, f)).mtimeMs),
  );
  const current = manifest.models.every((m) => {
    const p = join(root, 'models', m.file);
    if (!existsSync(p)) return false;
    const st = statSync(p);
    // Size + mtime is enough to stay fast; the runtime verifies sha256 on every load anyway.
    return st.size === m.bytes && st.mtimeMs > converted;
  });
  if (current) return;
  run('npx', ['tsx', 'models/build.ts']);
}

export async function prepareForTests(): Promise<void> {
  ensureRendererBuilt();
  ensureModelsBuilt();
}
