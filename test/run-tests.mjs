#!/usr/bin/env node
// `npm test`: runs the whole suite with vitest, then the TypeScript type check, the dead-export
// check (knip), the lint (eslint) and the format check (prettier), and ends with the plain
// summary line "N passed, N failed, N skipped" that CI reads. Extra args go to vitest (e.g. a
// path filter) and skip those four checks.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// System packages (chromium, ffmpeg, socat, ...) are only checked and named here; installing
// them is `npm run setup` (or .ci/run), so a test run never calls apt-get.
const deps = spawnSync('bash', [join(import.meta.dirname, '../scripts/system-deps.sh'), '--check'], {
  stdio: 'inherit',
});
if (deps.status !== 0)
  console.error(
    'Some system packages are missing; tests that need them will fail (see above; `npm run setup` installs them).',
  );

const work = mkdtempSync(join(tmpdir(), 'pos-test-'));
const out = join(work, 'vitest.json');
const progress = join(work, 'progress.jsonl');
const args = [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--reporter=${join(import.meta.dirname, 'progress-reporter.ts')}`,
  `--outputFile.json=${out}`,
  ...process.argv.slice(2),
];
// The suite runs in its own process group under a wall-clock watchdog: a test that blocks its
// worker (a native call, a sync spawn) cannot hold CI past its limit, and whatever a test left
// running (a till, a hub, socat) is killed with the group when vitest ends.
const wallMinutes = Number(process.env.POS_TEST_WALL_MINUTES ?? 55);
const vitest = spawn('npx', args, {
  stdio: 'inherit',
  env: { ...process.env, POS_TEST_PROGRESS: progress },
  detached: true,
});
const killGroup = (signal) => {
  try {
    process.kill(-vitest.pid, signal);
  } catch {
    // the group is already gone
  }
};
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => (killGroup(signal), process.exit(130)));
let timedOut = false;
const watchdog = setTimeout(() => {
  timedOut = true;
  console.log(`\n[run-tests] the suite ran past ${wallMinutes} min; stopping it`);
  killGroup('SIGTERM');
  setTimeout(() => killGroup('SIGKILL'), 10_000).unref();
}, wallMinutes * 60_000);
// Every file has ended but vitest has not exited (a worker that will not close): after a grace
// period the results in the progress file are the run's results, and the group is stopped.
let hungAtExit = false;
const progressState = () => {
  if (!existsSync(progress)) return { planned: -1, ended: 0 };
  let planned = -1;
  let ended = 0;
  for (const line of readFileSync(progress, 'utf8').split('\n').filter(Boolean)) {
    const e = JSON.parse(line);
    if (e.event === 'plan') planned = e.files;
    else if (e.event === 'end') ended += 1;
  }
  return { planned, ended };
};
let allEndedAt = 0;
const exitWatch = setInterval(() => {
  const { planned, ended } = progressState();
  if (planned < 0 || ended < planned) return;
  allEndedAt ||= Date.now();
  if (Date.now() - allEndedAt > 3 * 60_000) {
    hungAtExit = true;
    console.log('\n[run-tests] every test file ended 3 min ago but vitest has not exited; stopping it');
    killGroup('SIGKILL');
  }
}, 10_000);
const status = await new Promise((resolve) => vitest.on('exit', (code) => resolve(code ?? 1)));
clearTimeout(watchdog);
clearInterval(exitWatch);
killGroup('SIGKILL');

let passed = 0,
  failed = 0,
  skipped = 0;
if (!timedOut && !hungAtExit && existsSync(out)) {
  const report = JSON.parse(readFileSync(out, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = report.numFailedTests ?? 0;
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A suite that failed to load (syntax error, failed hook) has no failed test but must count.
  for (const file of report.testResults ?? []) {
    if (file.status === 'failed' && (file.assertionResults ?? []).every((a) => a.status !== 'failed')) failed += 1;
  }
} else if (existsSync(progress)) {
  // No final report (stopped by the watchdog, or vitest died): count the files that ended, and
  // one failure for each file that started and never ended.
  const open = new Map();
  for (const line of readFileSync(progress, 'utf8').split('\n').filter(Boolean)) {
    const e = JSON.parse(line);
    if (e.event === 'start') open.set(e.file, e.at);
    else if (e.event === 'end') {
      open.delete(e.file);
      passed += e.passed;
      failed += e.failed;
      skipped += e.skipped;
    }
  }
  for (const [file, at] of open) {
    failed += 1;
    console.log(
      `[run-tests] never finished (started ${Math.round((Date.now() - at) / 60_000)} min before the stop): ${file}`,
    );
  }
  if (open.size === 0 && !hungAtExit) failed += 1;
} else {
  failed = 1;
}
if (status !== 0 && failed === 0 && !hungAtExit) failed = 1;

// The type check counts as one test: the suite runs TypeScript through tsx/esbuild, which strip
// types without checking them, so a type error would otherwise reach main unnoticed.
// Skipped (with the dead-export check) only for a path-filtered run (`npm test -- <filter>`).
if (process.argv.length <= 2) {
  // Each check gets a bound too; one that runs past it fails instead of holding CI.
  const CHECK_TIMEOUT_MS = 15 * 60_000;
  const root = join(import.meta.dirname, '..');
  console.log('\ntype check: tsc --noEmit -p tsconfig.json');
  const tsc = spawnSync('npx', ['tsc', '--noEmit', '-p', join(import.meta.dirname, '../tsconfig.json')], {
    stdio: 'inherit',
    env: process.env,
    timeout: CHECK_TIMEOUT_MS,
  });
  if (tsc.status === 0) {
    passed += 1;
    console.log('type check passed');
  } else {
    failed += 1;
    console.log('type check FAILED');
  }

  // Dead code stays out: every file and exported value must be used (knip.config.ts says which
  // files are entry points and public API). Counts as one test.
  console.log('\ndead-export check: knip');
  const knip = spawnSync('npx', ['knip', '--no-progress', '--no-config-hints'], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
    timeout: CHECK_TIMEOUT_MS,
  });
  if (knip.status === 0) {
    passed += 1;
    console.log('dead-export check passed');
  } else {
    failed += 1;
    console.log(
      'dead-export check FAILED: the files/exports listed above are used nowhere. Delete them; if one is meant as an',
    );
    console.log(
      "area's public API, export it from the area's index.ts (see test/architecture/layers.ts); a new process or",
    );
    console.log('script entry point goes in the entry list of knip.config.ts. Re-run with: npx knip');
  }

  // Lint (eslint.config.js: ESLint + typescript-eslint recommended). Counts as one test.
  console.log('\nlint: eslint .');
  const lint = spawnSync('npx', ['eslint', '.'], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
    timeout: CHECK_TIMEOUT_MS,
  });
  if (lint.status === 0) {
    passed += 1;
    console.log('lint passed');
  } else {
    failed += 1;
    console.log(
      'lint FAILED: fix the problems listed above (`npx eslint --fix .` fixes some by itself). Disable a rule only',
    );
    console.log(
      'on the one line that needs it, with the reason: // eslint-disable-next-line <rule> -- <why>. Re-run with: npx eslint .',
    );
  }

  // Formatting (.prettierrc.json; .prettierignore lists generated files). Counts as one test.
  console.log('\nformat check: prettier --check .');
  const fmt = spawnSync('npx', ['prettier', '--check', '--log-level', 'warn', '.'], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
    timeout: CHECK_TIMEOUT_MS,
  });
  if (fmt.status === 0) {
    passed += 1;
    console.log('format check passed');
  } else {
    failed += 1;
    console.log(
      'format check FAILED: the files listed above are not formatted as Prettier would. Run `npm run format`',
    );
    console.log(
      "(prettier --write .) and commit the result; set your editor to format on save with the repo's Prettier.",
    );
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
