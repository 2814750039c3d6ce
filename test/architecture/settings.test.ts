// One way to read settings: only process entries and their settings modules read
// `process.env`; every library below them takes options. A new `process.env` read elsewhere
// fails here with the file and what to do (read it in the entry's settings module and pass it
// down as an option). Tests and test scaffolding may set and read the environment freely.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const SOURCE_DIRS = ['app', 'drivers', 'sync', 'edge-agent', 'models', 'bin'];

/** Entries and settings modules: the only places that read the environment (docs/architecture.md "Settings"). */
const READERS = new Set([
  'app/start.ts', // POS_WEB: Electron or the web host, before either starts
  'app/host/settings.ts',
  'app/till/till-settings.ts', // the till (web host and Electron)
  'sync/hub/main.ts',
  'sync/cloud/settings.ts',
  'sync/cli.ts',
  'edge-agent/main.ts',
  'edge-agent/cli.ts',
  'bin/pos-cli.ts', // POS_LANG / LANG for the CLI's words
  'bin/built-entry.mjs', // POS_USE_BUILD / POS_BUILD_DIR: the launchers choose the build or tsx before anything loads
  // FFMPEG_PATH: where the system ffmpeg is; not yet passed down from agent-settings.ts.
  'edge-agent/ingest/ffmpeg-binary.ts',
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mjs)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .filter((f) => !f.includes('node_modules') && !f.startsWith('models/build/') && !f.includes('/testing/'));
}

describe('settings', () => {
  it('only process entries and their settings modules read process.env', () => {
    const readers = SOURCE_DIRS.flatMap(sourceFiles).filter((f) =>
      /process\.env\b/.test(readFileSync(join(ROOT, f), 'utf8')),
    );
    const stray = readers.filter((f) => !READERS.has(f));
    expect(
      stray,
      stray
        .map(
          (f) =>
            `  ${f} reads process.env: read the variable in its process's settings module and pass it as an option`,
        )
        .join('\n'),
    ).toEqual([]);
  });
});
