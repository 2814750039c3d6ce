// Starts sync processes (cloud, hub, replica) as real child processes and waits for their
// one-line `{"ready":true,...}` banner.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

export interface Proc {
  child: ChildProcess;
  info: { port: number; url?: string };
  stop(): Promise<void>;
  output(): string;
}

export async function startProcess(
  file: string,
  env: Record<string, string>,
  timeoutMs = 90_000,
  /** Extra Node flags (e.g. `--cpu-prof`, which NODE_OPTIONS does not allow). */
  nodeArgs: string[] = [],
): Promise<Proc> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(root, file)], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: process.env['SYNC_TEST_LOG'] ?? 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // If this process dies (a failed test or bench), take the child with it rather than orphan it.
  const reap = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', reap);
  child.once('exit', () => process.removeListener('exit', reap));
  let out = '';
  child.stderr!.on('data', (d) => {
    out += d.toString();
  });
  const info = await new Promise<{ port: number; url?: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start in time:\n${out.slice(-2000)}`)), timeoutMs);
    child.stdout!.on('data', (d) => {
      out += d.toString();
      for (const line of out.split('\n')) {
        if (line.startsWith('{"ready":true')) {
          clearTimeout(timer);
          resolve(JSON.parse(line));
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${code}:\n${out.slice(-2000)}`));
    });
  });
  return {
    child,
    info,
    output: () => out,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
