// Dead-export check (knip), run by test/run-tests.mjs after the type check. Entry files are the
// processes, CLIs, benchmarks and child scripts the tests spawn, plus each area's index.ts and
// listed module entries from the layer table (test/architecture/layers.ts): those are the areas'
// public API. Everything behind them must be used somewhere, or it is reported.
import type { KnipConfig } from 'knip';
import { AREAS } from './test/architecture/layers';

const publicEntries = AREAS.filter((a) => !a.root && !a.path.endsWith('.ts'))
  .flatMap((a) => [a.path, ...(a.entries ?? [])])
  .map((p) => `${p}/index.ts`);

const config: KnipConfig = {
  entry: [
    ...publicEntries,
    'app/start.ts',
    'app/main/main.ts',
    'app/main/build.ts',
    'app/build/build-node.ts',
    'packaging/deb/build-deb.ts',
    'app/preload/*.ts',
    'app/contract/api-doc.ts',
    'bin/*.{ts,mjs}',
    'sync/cli.ts',
    'sync/hub/main.ts',
    'sync/cloud/main.ts',
    'edge-agent/main.ts',
    'edge-agent/cli.ts',
    'edge-agent/testing/gen-cli.ts',
    'edge-agent/testing/check-sprites.ts',
    'edge-agent/testing/matte-sheet.ts',
    'edge-agent/testing/eval-tune.ts',
    'edge-agent/testing/eval-study.ts',
    'models/build.ts',
    'models/detect-image.ts',
    'test/bench/*.ts',
    '{app,test}/**/*-child.ts',
    'test/sync/till-process.ts',
    'test/architecture/layer-rules.ts',
    'test/footfall/default-ports-run.ts',
    'test/progress-reporter.ts',
  ],
  project: ['{app,drivers,sync,models,edge-agent,http-kit,test,packaging}/**/*.{ts,tsx}', 'bin/**/*.{ts,mjs}', '*.ts'],
  ignore: ['models/build/**', 'dist/**'],
  ignoreExportsUsedInFile: true,
  // System tools the tests call (installed by `npm run setup`), not npm packages.
  ignoreBinaries: ['socat', 'ffmpeg', 'unshare', 'ip', 'dpkg-deb'],
  // electron: its binary is optional (npm start falls back to the web host); the @vladmandic
  // packages ship the TFJS weights that `npm run models` converts (read as files, not imported).
  ignoreDependencies: ['electron', '@vladmandic/human', '@vladmandic/face-api'],
  // Types and class members stay out of scope for now: exported values are what rots.
  rules: { types: 'off', enumMembers: 'off', duplicates: 'off' },
};

export default config;
