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

const root = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'pos-test-'));
// The suite runs in its own process group, watched: a test that blocks its worker (a native call,
// a sync spawn) cannot hold CI past its limit, and whatever a test left running (a till, a hub,
// socat) is killed with the group when vitest ends.
const wallMinutes = Number(process.env.POS_TEST_WALL_MINUTES ?? 55);
const stallMinutes = Number(process.env.POS_TEST_STALL_MINUTES ?? 12);
const deadline = Date.now() + wallMinutes * 60_000;
let current;
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    current?.kill(signal);
    process.exit(130);
  });

/** Reads a progress file: the planned files, the ended files with their counts, the open ones. */
function readProgress(file) {
  const state = { planned: null, ended: new Map(), open: new Map() };
  if (!existsSync(file)) return state;
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const e = JSON.parse(line);
    if (e.event === 'plan') state.planned = e.files;
    else if (e.event === 'start') state.open.set(e.file, e.at);
    else if (e.event === 'end') {
      state.open.delete(e.file);
      state.ended.set(e.file, e);
    }
  }
  return state;
}

/**
 * One vitest run. It is stopped when a file runs past the stall limit (no file needs minutes; a
 * stalled one is stuck), when every file has ended but vitest does not exit within 3 min, or at
 * the wall-clock deadline. Resolves with how it ended and its progress file.
 */
async function runVitest(name, extra) {
  const progress = join(work, `${name}.jsonl`);
  const json = join(work, `${name}.json`);
  const args = ['vitest', 'run', '--reporter=default', '--reporter=json'];
  args.push(`--reporter=${join(import.meta.dirname, 'progress-reporter.ts')}`, `--outputFile.json=${json}`, ...extra);
  const child = spawn('npx', args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, POS_TEST_PROGRESS: progress },
    detached: true,
  });
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // the group is already gone
    }
  };
  current = { kill: killGroup };
  let stopped = null;
  const stop = (why) => {
    if (stopped) return;
    stopped = why;
    console.log(`\n[run-tests] ${why}; stopping vitest`);
    killGroup('SIGTERM');
    setTimeout(() => killGroup('SIGKILL'), 10_000).unref();
  };
  let allEndedAt = 0;
  const watch = setInterval(() => {
    const now = Date.now();
    if (now > deadline) return stop(`the suite ran past ${wallMinutes} min`);
    const state = readProgress(progress);
    for (const [file, at] of state.open)
      if (now - at > stallMinutes * 60_000) return stop(`${file} has run for ${stallMinutes} min`);
    if (state.planned && state.ended.size >= state.planned.length) {
      allEndedAt ||= now;
      if (now - allEndedAt > 3 * 60_000) stop('every test file ended 3 min ago but vitest has not exited');
    }
  }, 5_000);
  const status = await new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  clearInterval(watch);
  killGroup('SIGKILL');
  return { status, stopped, progress, json };
}

let passed = 0,
  failed = 0,
  skipped = 0;
const first = await runVitest('run', process.argv.slice(2));
if (!first.stopped && existsSync(first.json)) {
  const report = JSON.parse(readFileSync(first.json, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = report.numFailedTests ?? 0;
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A suite that failed to load (syntax error, failed hook) has no failed test but must count.
  for (const file of report.testResults ?? []) {
    if (file.status === 'failed' && (file.assertionResults ?? []).every((a) => a.status !== 'failed')) failed += 1;
  }
  if (first.status !== 0 && failed === 0) failed = 1;
} else {
  // Stopped (or vitest died without its report): the files that ended count as they ended; the
  // ones that did not are run once more on their own, and any of those that stalls again fails.
  const tally = (state) => {
    for (const e of state.ended.values()) {
      passed += e.passed;
      failed += e.failed;
      skipped += e.skipped;
    }
  };
  const state = readProgress(first.progress);
  tally(state);
  const rest = (state.planned ?? []).filter((f) => !state.ended.has(f));
  if (!state.planned) failed += 1;
  if (rest.length > 0 && Date.now() < deadline) {
    console.log(`\n[run-tests] running again on their own: ${rest.join(', ')}`);
    const again = await runVitest('rerun', rest);
    const second = readProgress(again.progress);
    tally(second);
    for (const f of rest.filter((f) => !second.ended.has(f))) {
      failed += 1;
      console.log(`[run-tests] never finished: ${f}`);
    }
  } else {
    for (const f of rest) {
      failed += 1;
      console.log(`[run-tests] never finished: ${f}`);
    }
  }
}

// The type check counts as one test: the suite runs TypeScript through tsx/esbuild, which strip
// types without checking them, so a type error would otherwise reach main unnoticed.
// Skipped (with the dead-export check) only for a path-filtered run (`npm test -- <filter>`).
if (process.argv.length <= 2) {
  // Each check gets a bound too; one that runs past it fails instead of holding CI.
  const CHECK_TIMEOUT_MS = 15 * 60_000;
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
