// Where the Electron binary is, or null when its install never downloaded it (as on machines
// that cannot reach Electron's download host). Shared by `npm start` and the launch test.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export function electronBinary(): string | null {
  try {
    // electron's index.js returns the binary path, or throws when the download never happened.
    const p = createRequire(import.meta.url)('electron') as unknown;
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}
