// Bundles the Electron main process and preload to CommonJS in dist/ (Electron cannot run
// TypeScript). Native modules stay external so electron-builder can rebuild them for Electron.
import { build } from 'esbuild';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');
const external = [
  'electron',
  'better-sqlite3',
  'serialport',
  '@serialport/*',
  'node-hid',
  'onnxruntime-node',
  'sharp',
  'pg-native',
  '@electric-sql/pglite',
  // Loaded from the app's node_modules as electron-builder packs it (it reads its own package files).
  'electron-updater',
];

await build({
  entryPoints: [join(root, 'app/main/main.ts')],
  outfile: join(root, 'dist/main/main.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external,
  sourcemap: true,
  logLevel: 'warning',
});
await build({
  entryPoints: [join(root, 'app/preload/preload.ts')],
  outfile: join(root, 'dist/preload/preload.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron'],
  logLevel: 'warning',
});
await build({
  entryPoints: [join(root, 'app/preload/display-preload.ts')],
  outfile: join(root, 'dist/preload/display-preload.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron'],
  logLevel: 'warning',
});
console.log('built dist/main/main.cjs, dist/preload/preload.cjs and dist/preload/display-preload.cjs');
