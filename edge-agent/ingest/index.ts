// edge-agent/ingest: cameras through the system ffmpeg (RTSP, V4L2, files) as RGB frames,
// with reconnect/backoff, and the motion gate in front of the detector.
export { FrameSource, redact } from './frame-source';
export type { FrameSourceOptions, SourceStatus, SourceState, VideoFrame } from './frame-source';
export { ffmpegArgs, parseOutputSize, sourceKind } from './ffmpeg-args';
export type { SourceSpec, SourceKind } from './ffmpeg-args';
export { checkFfmpeg, ffmpegPath } from './ffmpeg-binary';
export { MotionGate } from './motion-gate';
export type { MotionGateOptions } from './motion-gate';
export { AgentError } from './agent-error';
export type { AgentErrorCode } from './agent-error';
