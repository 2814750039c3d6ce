#!/usr/bin/env node
// `pos`: the technician's CLI (devices, test print/scan, drawer, emulators). A thin launcher:
// runs the production build (dist/node/pos-cli.mjs) when it is current, else registers tsx
// in-process and runs the TypeScript entry (development; no build step needed).
import { builtEntry } from './built-entry.mjs';

const built = builtEntry('pos-cli');
let main;
if (built) ({ main } = await import(built));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('./pos-cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));
