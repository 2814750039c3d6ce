#!/usr/bin/env node
// `npm test`: runs the whole suite with vitest, then the TypeScript type check, and ends with the
// plain summary line "N passed, N failed, N skipped" that CI reads. Extra args go to vitest
// (e.g. a path filter) and skip the type check.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// System packages first (chromium, ffmpeg, socat, ...): installed when root, else named.
const deps = spawnSync('bash', [join(import.meta.dirname, '../scripts/system-deps.sh')], { stdio: 'inherit' });
if (deps.status !== 0) console.error('Some system packages are missing; tests that need them will fail (see above).');

const out = join(mkdtempSync(join(tmpdir(), 'pos-test-')), 'vitest.json');
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)];
const run = spawnSync('npx', args, { stdio: 'inherit', env: process.env });

let passed = 0, failed = 0, skipped = 0;
if (existsSync(out)) {
  const report = JSON.parse(readFileSync(out, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = report.numFailedTests ?? 0;
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A suite that failed to load (syntax error, failed hook) has no failed test but must count.
  for (const file of report.testResults ?? []) {
    if (file.status === 'failed' && (file.assertionResults ?? []).every((a) => a.status !== 'failed')) failed += 1;
  }
} else {
  failed = 1;
}
if (run.status !== 0 && failed === 0) failed = 1;

// The type check counts as one test: the suite runs TypeScript through tsx/esbuild, which strip
// types without checking them, so a type error would otherwise reach main unnoticed.
// Skipped only for a path-filtered run (`npm test -- <filter>`).
if (process.argv.length <= 2) {
  console.log('\ntype check: tsc --noEmit -p tsconfig.json');
  const tsc = spawnSync('npx', ['tsc', '--noEmit', '-p', join(import.meta.dirname, '../tsconfig.json')], { stdio: 'inherit', env: process.env });
  if (tsc.status === 0) { passed += 1; console.log('type check passed'); } else { failed += 1; console.log('type check FAILED'); }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
