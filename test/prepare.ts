// Build steps the test suite relies on. Each area registers its own step here so that
// `npm test` on a fresh clone needs nothing but `npm ci` first.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
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

export async function prepareForTests(): Promise<void> {
  ensureRendererBuilt();
}
