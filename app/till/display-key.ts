// The customer display's read-only key, kept in the data dir (file `display-key`, mode 0600) so a
// paired display (a bookmarked /display/#key=… link on a second screen or tablet) keeps working
// across till restarts. A technician rotates it deliberately (display.rotateKey on Setup) when a
// link has leaked; the old link then stops working at once.
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE = 'display-key';
const KEY = /^[0-9a-f]{32}$/;

function writeKey(dataDir: string): string {
  const key = randomBytes(16).toString('hex');
  const path = join(dataDir, FILE);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${key}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  return key;
}

/** The stored key, or a new one written when there is none (or it is unreadable or malformed). */
export function loadDisplayKey(dataDir: string): string {
  try {
    const key = readFileSync(join(dataDir, FILE), 'utf8').trim();
    if (KEY.test(key)) return key;
  } catch {
    // No key yet: the first start pairs a new one.
  }
  return writeKey(dataDir);
}

/** Replaces the stored key with a new random one and returns it. */
export function rotateDisplayKey(dataDir: string): string {
  return writeKey(dataDir);
}
