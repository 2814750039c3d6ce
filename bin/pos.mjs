#!/usr/bin/env node
// `pos`: the technician's CLI (devices, test print/scan, drawer, emulators). A thin launcher:
// registers tsx in-process (no build step for Node code) and runs the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./pos-cli.ts');
process.exitCode = await main(process.argv.slice(2));
