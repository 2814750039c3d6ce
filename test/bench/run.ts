// `npm run bench -- <suite>`: runs one benchmark suite. Each suite lives in test/bench/<suite>.ts,
// prints what it likes, and must print its figures as one JSON object on its last line.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const suite = process.argv[2];
const dir = import.meta.dirname;
const suites = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.replace(/\.ts$/, ''));
if (!suite || !existsSync(join(dir, `${suite}.ts`))) {
  console.error(`usage: npm run bench -- <suite>   (suites: ${suites.join(', ') || 'none yet'})`);
  process.exit(2);
}
await import(join(dir, `${suite}.ts`));
