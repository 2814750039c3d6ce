// The till's face key: 32 random bytes in `<dataDir>/face.key`, created on first use with mode
// 0600 (owner read/write only). A key file that is readable by others or the wrong size is
// refused rather than used, so a copied or loosened key is noticed. Electron's OS keystore
// (safeStorage) would wrap this file; web mode and the tests use the file as is.
import { chmodSync, existsSync, openSync, closeSync, readFileSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { PosError } from '../../contract';

export const FACE_KEY_FILE = 'face.key';

export function loadFaceKey(dataDir: string): Buffer {
  const path = join(dataDir, FACE_KEY_FILE);
  if (!existsSync(path)) {
    const key = randomBytes(32);
    // 'wx': never overwrite a key another process created meanwhile.
    try {
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, key);
      } finally {
        closeSync(fd);
      }
      chmodSync(path, 0o600);
      return key;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const mode = statSync(path).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw new PosError('FACE_UNAVAILABLE', { reason: 'key-permissions', mode: mode.toString(8) });
  const key = readFileSync(path);
  if (key.length !== 32) throw new PosError('FACE_UNAVAILABLE', { reason: 'key-invalid' });
  return key;
}
