// Which camera inputs the agent opens. ffmpeg reads almost anything it is given — http://,
// ftp://, concat:, a playlist that fetches more — so a camera `input` was a way to make the box
// fetch any URL or read any file (security issue #10, item 14). Allowed: rtsp:// and rtsps://
// cameras, V4L2 devices (/dev/videoN, or their /dev/v4l/by-id|by-path links), and video files
// inside one configured folder (the service's EDGE_MEDIA_DIR; the technician's `count` CLI
// reads local files anywhere). Checked when cameras are configured and again before every
// ffmpeg launch (the second check follows symlinks, which can change after configuration).
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { AgentError } from './agent-error';
import { rememberCredential } from './redact-credentials';

export type CameraInputKind = 'rtsp' | 'v4l2' | 'file';

export interface CameraInputRules {
  /** Video files: only inside this folder (the service), or anywhere on this machine (`count`). */
  files: { under: string } | 'anywhere';
}

export interface CheckedInput {
  kind: CameraInputKind;
  /** What ffmpeg is given: the URL, the device, or the absolute file path. */
  ffmpegInput: string;
}

const V4L2_DEVICE = /^\/dev\/video\d{1,3}$/;
const V4L2_LINK = /^\/dev\/v4l\/by-(?:id|path)\/[A-Za-z0-9._:-]{1,200}$/;
// Anything with a ":" before its first "/" is read as "protocol:" — ffmpeg's own rule, plus its
// "subfile,,…:" form — so "concat:a|b", "file:/etc/x", "http://…" are URLs, never file names.
// (A local file with a colon in its name is given as ./name.)
const SCHEME = /^([^/]*):/;
// Control characters would end up in ffmpeg's log lines and our own; a camera never needs them.
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

function refuse(input: string, why: string): AgentError {
  return new AgentError(
    'INPUT_NOT_ALLOWED',
    `camera input not allowed: ${input} (${why}). Allowed: rtsp:// or rtsps:// URLs, /dev/videoN, or a video file in the media folder`,
  );
}

/**
 * The kind of an input and what to hand ffmpeg, or INPUT_NOT_ALLOWED. Pure apart from
 * `follow`: with it, files and device links are resolved on disk (at launch); without it the
 * path is checked as written (at configuration, when a file may not be copied in yet).
 */
export function checkCameraInput(
  input: string,
  rules: CameraInputRules,
  opts: { follow?: boolean } = {},
): CheckedInput {
  if (input.length === 0 || input.length > 2048)
    throw refuse(input.slice(0, 80), 'empty or longer than 2048 characters');
  if (CONTROL.test(input)) throw refuse(JSON.stringify(input), 'control characters');
  const scheme = SCHEME.exec(input)?.[1]?.toLowerCase();
  if (scheme !== undefined) return checkUrl(input, scheme);
  if (input.startsWith('/dev/')) return checkDevice(input, opts.follow === true);
  return checkFile(input, rules, opts.follow === true);
}

function checkUrl(input: string, scheme: string): CheckedInput {
  if (scheme !== 'rtsp' && scheme !== 'rtsps') throw refuse(input, `${scheme.slice(0, 40)}: is not a camera protocol`);
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw refuse(input, 'not a valid URL');
  }
  if (!url.hostname) throw refuse(input, 'no camera host');
  // remembered so the password is masked even where ffmpeg prints it in a shape we did not foresee
  if (url.password) rememberCredential(url.password);
  return { kind: 'rtsp', ffmpegInput: input };
}

function checkDevice(input: string, follow: boolean): CheckedInput {
  if (!V4L2_DEVICE.test(input) && !V4L2_LINK.test(input)) throw refuse(input, 'only /dev/videoN camera devices');
  if (follow && V4L2_LINK.test(input)) {
    const real = realOrNull(input);
    if (real !== null && !V4L2_DEVICE.test(real)) throw refuse(input, `links to ${real}, not a /dev/videoN device`);
  }
  return { kind: 'v4l2', ffmpegInput: input };
}

function checkFile(input: string, rules: CameraInputRules, follow: boolean): CheckedInput {
  if (rules.files === 'anywhere') return { kind: 'file', ffmpegInput: resolve(input) };
  const dir = resolve(rules.files.under);
  // relative names are taken inside the media folder, so a config can say "door.mp4"
  const path = isAbsolute(input) ? resolve(input) : resolve(dir, input);
  if (!inside(dir, path)) throw refuse(input, `files must be inside the media folder ${dir} (EDGE_MEDIA_DIR)`);
  if (follow) {
    const real = realOrNull(path);
    if (real === null) throw new AgentError('INPUT_NOT_FOUND', `input not found: ${input}`);
    const realDir = realOrNull(dir) ?? dir;
    if (!inside(realDir, real)) throw refuse(input, `links outside the media folder ${dir}`);
    return { kind: 'file', ffmpegInput: real };
  }
  return { kind: 'file', ffmpegInput: path };
}

function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

function realOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}
