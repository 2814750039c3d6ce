// Picks the production build of a Node entry (dist/node/<name>.mjs, `npm run build:node`) when it
// is current, else null and the launcher runs the TypeScript through tsx (development, fresh clone).
// Current = no source file the bundle was built from (dist/node/<name>.inputs.json) is newer than
// the bundle. Sources that are absent (a package ships no TypeScript) do not count.
// POS_USE_BUILD=0 forces tsx; POS_USE_BUILD=1 uses the build even if sources are newer;
// POS_BUILD_DIR reads the build from another folder (tests build into a temp dir).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

/** Absolute path of the built entry to import, or null to run the sources through tsx. */
export function builtEntry(name, env = process.env) {
  if (env.POS_USE_BUILD === '0') return null;
  const dir = env.POS_BUILD_DIR || join(root, 'dist/node');
  const bundle = join(dir, `${name}.mjs`);
  let builtAt;
  let inputs;
  try {
    builtAt = statSync(bundle).mtimeMs;
    inputs = JSON.parse(readFileSync(join(dir, `${name}.inputs.json`), 'utf8')).inputs;
  } catch {
    return null;
  }
  if (env.POS_USE_BUILD === '1') return bundle;
  for (const input of inputs) {
    const st = statSync(join(root, input), { throwIfNoEntry: false });
    if (st && st.mtimeMs > builtAt) return null;
  }
  return bundle;
}
