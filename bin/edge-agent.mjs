#!/usr/bin/env node
// `edge-agent`: door people counter CLI (`count`) and service (`serve`). A thin launcher:
// runs the production build (dist/node/edge-agent-cli.mjs) when it is current, else registers
// tsx in-process and runs the TypeScript entry (development; no build step needed).
import { builtEntry } from './built-entry.mjs';

const built = builtEntry('edge-agent-cli');
let main;
if (built) ({ main } = await import(built));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../edge-agent/cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));
