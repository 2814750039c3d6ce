// The Electron main process is one CommonJS bundle (app/main/build.ts), where esbuild leaves
// `import.meta` empty. Modules that require() native packages lazily must still find them there:
// a `createRequire(import.meta.url)` alone throws in that bundle, and the HID binding then
// reported node-hid as missing on every Electron till (no HID scanners discovered or opened).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

async function cjsBundle(entry: string): Promise<Record<string, unknown>> {
  const out = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['node-hid', 'serialport'],
    write: false,
    logLevel: 'silent',
  });
  // Beside the project's node_modules, so the bundle's require() resolves packages as Electron's would.
  const dir = mkdtempSync(join(root, 'node_modules', '.cjs-bundle-'));
  made.push(dir);
  const file = join(dir, 'bundle.cjs');
  writeFileSync(file, out.outputFiles[0]!.text);
  return createRequire(file)(file) as Record<string, unknown>;
}

describe('lazy native requires in the CommonJS (Electron) bundle', () => {
  it('the HID binding loads node-hid there: opening an absent device fails as absent, not as "node-hid missing"', async () => {
    const mod = await cjsBundle('drivers/transports/hid/hid-binding.ts');
    const binding = mod['nodeHidBinding'] as { open(v: number, p: number): unknown };
    let message = '';
    try {
      binding.open(0xfffe, 0xfffe);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toBe('');
    expect(message).not.toMatch(/node-hid is not available/);
  });
});
