// The display key survives a restart (same data dir) and changes only when rotated.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDisplayKey, rotateDisplayKey } from './display-key';

const dirs: string[] = [];
const dir = () => {
  const d = mkdtempSync(join(tmpdir(), 'pos-display-key-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('display key', () => {
  it('is kept across loads, readable by the owner only, and replaced by a rotation', () => {
    const d = dir();
    const first = loadDisplayKey(d);
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(statSync(join(d, 'display-key')).mode & 0o777).toBe(0o600);
    expect(loadDisplayKey(d)).toBe(first);
    const second = rotateDisplayKey(d);
    expect(second).not.toBe(first);
    expect(loadDisplayKey(d)).toBe(second);
  });

  it('replaces a damaged key file with a new key', () => {
    const d = dir();
    writeFileSync(join(d, 'display-key'), 'not a key');
    expect(loadDisplayKey(d)).toMatch(/^[0-9a-f]{32}$/);
  });
});
