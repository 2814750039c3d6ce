// `npm run models`: converts the TFJS models shipped in @vladmandic/human into
// models/build/*.onnx and rewrites models/manifest.json (only if its content changed).
// Offline; deterministic — the same package version and converter always give the same bytes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG, buildModel, manifestOf, sourcePackage } from './convert/build-models';

const modelsDir = import.meta.dirname;
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const src = sourcePackage();
mkdirSync(join(modelsDir, 'build'), { recursive: true });

const manifestPath = join(modelsDir, 'manifest.json');
const previous = existsSync(manifestPath)
  ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as { models?: { name: string }[] })
  : {};
const entries = [];
for (const c of CATALOG) {
  if (only.length && !only.includes(c.name)) {
    const kept = previous.models?.find((m) => m.name === c.name);
    if (kept) entries.push(kept as ReturnType<typeof buildModel>['entry']);
    continue;
  }
  const t0 = performance.now();
  const { entry, bytes } = buildModel(c, src);
  writeFileSync(join(modelsDir, entry.file), bytes);
  entries.push(entry);
  console.log(
    `${entry.name}: ${entry.file} ${(entry.bytes / 1e6).toFixed(1)} MB sha256 ${entry.sha256.slice(0, 12)}… in ${Math.round(performance.now() - t0)} ms`,
  );
}
const text = `${JSON.stringify(manifestOf(entries), null, 2)}\n`;
if (!existsSync(manifestPath) || readFileSync(manifestPath, 'utf8') !== text) {
  writeFileSync(manifestPath, text);
  console.log('models/manifest.json updated');
}
