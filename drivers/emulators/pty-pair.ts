// A pair of connected pseudo-terminals made by socat: a real tty on each side, so serial
// drivers are tested through the kernel's tty layer exactly as with a USB-serial adapter.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  a: string;
  b: string;
  close(): Promise<void>;
}

export async function createPtyPair(dir = mkdtempSync(join(tmpdir(), 'pos-pty-'))): Promise<PtyPair> {
  const a = join(dir, 'a'),
    b = join(dir, 'b');
  const proc: ChildProcess = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: 'ignore',
  });
  let exited = false;
  proc.on('exit', () => {
    exited = true;
  });
  proc.on('error', () => {
    exited = true;
  });
  const deadline = Date.now() + 5000;
  while (!(existsSync(a) && existsSync(b))) {
    if (exited) throw new Error('socat is not installed or failed to start (apt-get install socat)');
    if (Date.now() > deadline) {
      proc.kill();
      throw new Error('socat did not create the PTY pair in time');
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    a,
    b,
    close: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
