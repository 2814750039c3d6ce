// Test runner config: every *.test.ts next to its code plus cross-process tests in test/.
// Two workers because CI machines have two cores; long timeouts because tests use real
// processes, sockets, SQLite files and browsers rather than mocks.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'app/**/*.test.ts',
      'drivers/**/*.test.ts',
      'sync/**/*.test.ts',
      'models/**/*.test.ts',
      'edge-agent/**/*.test.ts',
      'http-kit/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'dist/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    // On CI a failed test runs once more: the browser tests drive real key timing on a 2-core
    // machine shared by two workers, and a loaded moment can split a wedge burst. A test that
    // fails twice fails; one that passed on its retry is marked so in the output.
    retry: process.env['CI'] ? 1 : 0,
    hookTimeout: 120_000,
    globalSetup: ['test/global-setup.ts'],
  },
});
