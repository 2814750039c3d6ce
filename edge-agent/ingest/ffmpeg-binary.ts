// Finds the system ffmpeg. The agent never bundles or downloads one; a missing binary is a
// setup problem the technician fixes with the package manager.
import { spawnSync } from 'node:child_process';
import { AgentError } from './agent-error';

export function ffmpegPath(): string {
  return process.env['FFMPEG_PATH'] ?? 'ffmpeg';
}

let checked: string | null = null;

/** Throws FFMPEG_MISSING with the install command when ffmpeg cannot be run. */
export function checkFfmpeg(): string {
  const bin = ffmpegPath();
  if (checked === bin) return bin;
  const r = spawnSync(bin, ['-hide_banner', '-version'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error || r.status !== 0) {
    throw new AgentError(
      'FFMPEG_MISSING',
      `ffmpeg was not found or does not run (${bin}). Install it: sudo apt-get install ffmpeg`,
    );
  }
  checked = bin;
  return bin;
}
