// The camera page's connection test and live picture: grab one frame from an input the rules
// allow, and turn a frame into a JPEG with every face blurred (the same blur as the debug
// snapshots: BlazeFace faces plus the head of every person box). Nothing here writes to disk;
// the picture goes to the technician's browser and is forgotten.
import sharp from 'sharp';
import type { Logger } from 'pino';
import type { Box, FaceAnalyzer, PersonDetector } from '../../models';
import { AgentError, FrameSource, type AgentErrorCode, type CameraInputRules, type VideoFrame } from '../ingest';
import { blurFrame, blurRegions } from '../privacy';

export interface ProbeRequest {
  input: string;
  width?: number;
  rtspListen?: boolean;
}

/**
 * Opens the input once (no reconnect) and returns its first frame; an input that gives no
 * picture within `timeoutMs` is a SOURCE_FAILED with what ffmpeg said last.
 */
export async function grabFrame(
  req: ProbeRequest,
  rules: CameraInputRules,
  o: { timeoutMs?: number; log?: Logger } = {},
): Promise<VideoFrame> {
  const source = new FrameSource({
    input: req.input,
    rules,
    fps: 2,
    width: req.width,
    rtspListen: req.rtspListen,
    reconnect: false,
    log: o.log,
  });
  const timeoutMs = o.timeoutMs ?? 10_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    source.stop();
  }, timeoutMs);
  try {
    for await (const frame of source.frames()) {
      source.stop();
      return frame;
    }
  } finally {
    clearTimeout(timer);
  }
  const last = source.status().lastError;
  if (timedOut)
    throw new AgentError('SOURCE_FAILED', `no picture from the camera within ${Math.round(timeoutMs / 1000)} s`, {
      ...(last ? { ffmpeg: last.message } : {}),
    });
  throw new AgentError(
    (last?.code as AgentErrorCode | undefined) ?? 'INPUT_NOT_VIDEO',
    last?.message ?? 'the input gave no picture',
  );
}

/** The frame as a JPEG with faces blurred; `people` adds the head-of-person fail-safe. */
export async function blurredJpeg(
  frame: VideoFrame,
  faces: Pick<FaceAnalyzer, 'detectFaces'>,
  people: Box[],
): Promise<Buffer> {
  const found = await faces.detectFaces(frame);
  const blurred = await blurFrame(
    frame,
    blurRegions(
      frame,
      found.map((f) => f.box),
      people,
    ),
  );
  return sharp(blurred.data, { raw: { width: blurred.width, height: blurred.height, channels: 3 } })
    .jpeg({ quality: 75 })
    .toBuffer();
}

/** People in a probed frame, for the head blur; a detector failure only loses the fail-safe, not the picture. */
export async function peopleIn(frame: VideoFrame, detector: PersonDetector, log?: Logger): Promise<Box[]> {
  try {
    return (await detector.detect(frame)).map((d) => d.box);
  } catch (e) {
    log?.warn({ err: (e as Error).message }, 'camera page: person detector failed on the probe frame');
    return [];
  }
}
