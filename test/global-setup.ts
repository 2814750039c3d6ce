// Vitest global setup: builds what cross-process tests need once per run (renderer bundle,
// converted models), so each test file can assume them. Each step is idempotent and skips
// work whose outputs are newer than their inputs.
import { prepareForTests } from './prepare';

export default async function setup(): Promise<void> {
  await prepareForTests();
}
