// A camera as an async stream of RGB frames: ffmpeg decodes, Node reads fixed-size frames from
// its stdout. Live sources (RTSP, USB) are restarted with exponential backoff when ffmpeg dies;
// files end at their end. Decoder complaints are logged (rate limited) and counted, never thrown:
// a corrupt stretch of video costs frames, not the process.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from 'pino';
import type { RgbFrame } from '../../models';
import { AgentError } from './agent-error';
import { checkCameraInput, type CameraInputRules } from './camera-input';
import { checkFfmpeg } from './ffmpeg-binary';
import { ffmpegArgs, parseOutputSize, sourceKind, type SourceSpec } from './ffmpeg-args';
import { redactCredentials } from './redact-credentials';

export interface VideoFrame extends RgbFrame {
  data: Uint8Array;
  width: number;
  height: number;
  /** Sequence number since the source started (across reconnects). */
  index: number;
  /** Frame time, ms since epoch (stream time for files, wall clock for live sources). */
  at: number;
  /** Which ffmpeg run produced it: changes after every reconnect (tracks do not survive a gap). */
  session: number;
}

export type SourceState = 'connecting' | 'streaming' | 'backoff' | 'ended' | 'failed' | 'stopped';

export interface SourceStatus {
  state: SourceState;
  frames: number;
  dropped: number;
  reconnects: number;
  decodeErrors: number;
  width: number | null;
  height: number | null;
  lastError: { code: string; message: string } | null;
}

export interface FrameSourceOptions extends SourceSpec {
  /** Which inputs may be opened; checked again before every ffmpeg launch. */
  rules: CameraInputRules;
  /** Restart ffmpeg when it exits (default: true for RTSP/USB, false for files). */
  reconnect?: boolean;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Live sources: give up after this long without a frame (0 = never). */
  idleExitMs?: number;
  /** Keep only the newest frame when the consumer is behind (live); files wait instead. */
  dropWhenBusy?: boolean;
  /** Time of frame 0 for files (ms since epoch). Default: now. */
  startAt?: number;
  log?: Logger;
}

const ERROR_LINE =
  /error|invalid|corrupt|partial file|truncat|moov atom|no such file|does not contain any stream|could not|failed|refused|timed out|i\/o/i;

export class FrameSource {
  private readonly o: FrameSourceOptions;
  private readonly live: boolean;
  private st: SourceStatus = {
    state: 'connecting',
    frames: 0,
    dropped: 0,
    reconnects: 0,
    decodeErrors: 0,
    width: null,
    height: null,
    lastError: null,
  };
  private child: ChildProcess | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;
  private errorLogBudget = 20;

  constructor(opts: FrameSourceOptions) {
    this.o = opts;
    this.live = sourceKind(opts.input) !== 'file';
  }

  status(): SourceStatus {
    return { ...this.st, lastError: this.st.lastError ? { ...this.st.lastError } : null };
  }

  stop(): void {
    this.stopped = true;
    this.st.state = 'stopped';
    this.child?.kill('SIGKILL');
    this.wake?.();
  }

  async *frames(): AsyncGenerator<VideoFrame> {
    checkFfmpeg();
    const reconnect = this.o.reconnect ?? this.live;
    const initial = this.o.initialBackoffMs ?? 500;
    const maxBackoff = this.o.maxBackoffMs ?? 30_000;
    const startAt = this.o.startAt ?? Date.now();
    let backoff = initial;
    let lastFrameWall = Date.now();
    let attempt = 0;
    while (!this.stopped) {
      if (attempt > 0) this.st.reconnects++;
      attempt++;
      this.st.state = 'connecting';
      const before = this.st.frames;
      let input: string;
      try {
        // again at launch: the config may predate the rules, or a symlink may have moved
        input = checkCameraInput(this.o.input, this.o.rules, { follow: true }).ffmpegInput;
      } catch (e) {
        const err = e instanceof AgentError ? e : new AgentError('INPUT_NOT_ALLOWED', (e as Error).message);
        this.st.state = 'failed';
        this.st.lastError = err.toJSON();
        throw err;
      }
      const result = yield* this.runOnce(input, startAt, attempt);
      if (this.st.frames > before) {
        backoff = initial;
        lastFrameWall = Date.now();
      }
      if (this.stopped) break;
      if (!reconnect) {
        this.st.state = result ? 'failed' : 'ended';
        if (result) this.st.lastError = result.toJSON();
        if (result && this.st.frames === 0) throw result;
        return;
      }
      if (result) this.st.lastError = result.toJSON();
      const idle = this.o.idleExitMs ?? 0;
      if (idle > 0 && Date.now() - lastFrameWall >= idle) {
        this.st.state = 'ended';
        return;
      }
      this.st.state = 'backoff';
      this.o.log?.warn(
        { input: redactCredentials(this.o.input), backoffMs: backoff, error: result?.message },
        'camera source stopped; reconnecting',
      );
      await this.sleep(backoff);
      backoff = Math.min(maxBackoff, backoff * 2);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
    });
  }

  /** Runs ffmpeg once; yields frames; returns the error it ended with (null = clean end). */
  private async *runOnce(
    input: string,
    startAt: number,
    session: number,
  ): AsyncGenerator<VideoFrame, AgentError | null> {
    const child = spawn(checkFfmpeg(), ffmpegArgs({ ...this.o, input }), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let stderr = '';
    let size: { width: number; height: number } | null = null;
    const errors: string[] = [];
    const chunks: Buffer[] = [];
    let buffered = 0;
    const queue: VideoFrame[] = [];
    let exited = false;
    let exitCode: number | null = null;
    let spawnError: Error | null = null;
    let notify: (() => void) | null = null;
    const poke = () => {
      const n = notify;
      notify = null;
      n?.();
    };
    const fps = this.o.fps;

    const cut = () => {
      if (!size) return;
      const frameBytes = size.width * size.height * 3;
      while (buffered >= frameBytes) {
        const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered);
        const data = new Uint8Array(all.buffer, all.byteOffset, frameBytes);
        const rest = all.subarray(frameBytes);
        chunks.length = 0;
        buffered = rest.length;
        if (rest.length) chunks.push(Buffer.from(rest)); // copy: the frame keeps the old buffer alive otherwise
        const index = this.st.frames++;
        const at = this.live || this.o.realtimeFile ? Date.now() : startAt + Math.round((index * 1000) / fps);
        if (this.o.dropWhenBusy && queue.length >= 1) {
          queue.shift();
          this.st.dropped++;
        }
        queue.push({ data, width: size.width, height: size.height, index, at, session });
        this.st.state = 'streaming';
      }
      if (!this.o.dropWhenBusy && queue.length >= 3) child.stdout?.pause();
      poke();
    };

    child.stdout!.on('data', (b: Buffer) => {
      chunks.push(b);
      buffered += b.length;
      cut();
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (s: string) => {
      if (stderr.length < 64_000) stderr += s;
      if (!size) {
        size = parseOutputSize(stderr);
        if (size) {
          this.st.width = size.width;
          this.st.height = size.height;
          cut();
        }
      }
      for (const line of s.split('\n')) {
        if (!ERROR_LINE.test(line) || /^\s*(Stream|Input|Output|Metadata|Duration)/.test(line)) continue;
        errors.push(line.trim());
        this.st.decodeErrors++;
        if (this.errorLogBudget-- > 0)
          this.o.log?.warn(
            { input: redactCredentials(this.o.input), ffmpeg: redactCredentials(line.trim()).slice(0, 200) },
            'camera stream error; frame skipped',
          );
      }
    });
    child.on('error', (e) => {
      spawnError = e;
      exited = true;
      poke();
    });
    child.on('close', (code) => {
      exitCode = code;
      exited = true;
      poke();
    });

    try {
      for (;;) {
        const f = queue.shift();
        if (f) {
          if (child.stdout?.isPaused() && queue.length < 2) child.stdout.resume();
          yield f;
          continue;
        }
        if (exited || this.stopped) break;
        await new Promise<void>((resolve) => {
          notify = resolve;
        });
      }
    } finally {
      if (!exited) child.kill('SIGKILL');
      this.child = null;
    }
    if (this.stopped) return null;
    return classify(this.o.input, spawnError, exitCode, errors, this.st.frames, stderr);
  }
}

function classify(
  input: string,
  spawnError: Error | null,
  code: number | null,
  errors: string[],
  frames: number,
  stderr: string,
): AgentError | null {
  const shown = redactCredentials(input);
  if (spawnError)
    return new AgentError(
      'FFMPEG_MISSING',
      `could not start ffmpeg: ${spawnError.message}. Install it: sudo apt-get install ffmpeg`,
    );
  // masked before it is cut, so a cut can never leave the front half of a password
  const first = redactCredentials(errors[0] ?? stderr.trim().split('\n').pop() ?? '').slice(0, 400);
  if (/no such file or directory/i.test(stderr) && frames === 0) {
    return new AgentError('INPUT_NOT_FOUND', `input not found: ${shown}`);
  }
  if (frames === 0 && sourceKind(input) === 'file') {
    return new AgentError('INPUT_NOT_VIDEO', `input is not a readable video: ${shown} (${first})`);
  }
  if (code !== 0 && code !== null) {
    return new AgentError('SOURCE_FAILED', `video source stopped with an error: ${first || `ffmpeg exit ${code}`}`);
  }
  if (errors.length && sourceKind(input) === 'file') {
    return new AgentError('INPUT_TRUNCATED', `video is truncated or corrupt; counted the readable part (${first})`);
  }
  return null;
}
