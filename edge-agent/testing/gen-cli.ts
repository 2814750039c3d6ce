// Writes the generated door set to a directory (by hand: `npx tsx edge-agent/testing/gen-cli.ts DIR`).
import { writeDoorSet } from './door-set';

const dir = process.argv[2] ?? '.';
void writeDoorSet(dir).then((clips) => {
  for (const c of clips) console.log(c.name, JSON.stringify(c.expected));
});
