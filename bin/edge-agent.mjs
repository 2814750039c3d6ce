#!/usr/bin/env node
// `edge-agent`: door people counter CLI (`count`) and service (`serve`). A thin launcher:
// registers tsx in-process (no build step for Node code) and runs the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../edge-agent/cli.ts');
process.exitCode = await main(process.argv.slice(2));
