// Vitest reporter used by test/run-tests.mjs: appends one JSON line per test file as it starts
// and as it ends (with its test counts) to the file named by POS_TEST_PROGRESS. When the run is
// stopped by the wall-clock watchdog, run-tests.mjs still knows what passed, what failed and
// which files never finished. Every few minutes it also names the files that have been running
// for long, so a hang is visible in the log while it happens.
import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Reporter, TestModule, TestSpecification } from 'vitest/node';

const SLOW_MS = 4 * 60_000;

export default class ProgressReporter implements Reporter {
  private readonly file = process.env.POS_TEST_PROGRESS;
  private readonly running = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  onInit(): void {
    if (!this.file) return;
    this.timer = setInterval(() => this.reportSlow(), 60_000);
    this.timer.unref();
  }

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    this.write({ event: 'plan', files: specifications.map((s) => relative(process.cwd(), s.moduleId)) });
  }

  onTestModuleStart(module: TestModule): void {
    this.running.set(module.moduleId, Date.now());
    this.write({ event: 'start', file: module.relativeModuleId });
  }

  onTestModuleEnd(module: TestModule): void {
    this.running.delete(module.moduleId);
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') passed += 1;
      else if (state === 'failed') failed += 1;
      else skipped += 1;
    }
    // A file that failed to load (syntax error, failing hook) has no failed test but must count.
    if (module.state() === 'failed' && failed === 0) failed = 1;
    this.write({ event: 'end', file: module.relativeModuleId, passed, failed, skipped });
  }

  onTestRunEnd(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private reportSlow(): void {
    const now = Date.now();
    for (const [id, started] of this.running) {
      if (now - started > SLOW_MS)
        console.log(`[progress] still running after ${Math.round((now - started) / 60_000)} min: ${id}`);
    }
  }

  private write(line: Record<string, unknown>): void {
    if (this.file) appendFileSync(this.file, `${JSON.stringify({ at: Date.now(), ...line })}\n`);
  }
}
