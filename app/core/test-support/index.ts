// Helpers for the core's tests (seeded temp-file core, PINs). Never imported by production code.
export { openTestCore, makeTempDir, PINS } from './test-core';
export { writesSecret } from './secrets';
export type { TestCore } from './test-core';
