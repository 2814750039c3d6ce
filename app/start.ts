// `npm start`: runs the till. With the Electron binary present it launches the desktop app;
// otherwise (e.g. where Electron's download host is unreachable) it serves the same renderer
// over HTTP and prints the URL. Either way a demo store is seeded on first run.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureRendererBuilt } from './build';
import { electronBinary } from './electron-binary';

const root = join(import.meta.dirname, '..');
ensureRendererBuilt();
const electron = process.env.POS_WEB === '1' ? null : electronBinary();
if (electron) {
  const built = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'app/main/build.ts')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
  const child = spawn(electron, [join(root, 'dist/main/main.cjs')], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (process.env.POS_WEB !== '1') console.log('Electron binary not installed; starting the till in web mode instead.');
  await import('./host/main');
}
