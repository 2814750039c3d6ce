// edge-agent/ingest: cameras through the system ffmpeg (RTSP, V4L2, files) as RGB frames,
// with reconnect/backoff, the camera input allow-list, credential redaction, and the motion
// gate in front of the detector.
export { FrameSource } from './frame-source';
export type { FrameSourceOptions, SourceStatus, SourceState, VideoFrame } from './frame-source';
export { ffmpegArgs, parseOutputSize, sourceKind } from './ffmpeg-args';
export type { SourceSpec, SourceKind } from './ffmpeg-args';
export { checkCameraInput } from './camera-input';
export type { CameraInputRules, CameraInputKind, CheckedInput } from './camera-input';
export { redactCredentials, redactDeep, redactingLogHooks, rememberCredential } from './redact-credentials';
export { checkFfmpeg, ffmpegPath } from './ffmpeg-binary';
export { MotionGate } from './motion-gate';
export type { MotionGateOptions } from './motion-gate';
export { AgentError, agentErrorText, agentHttpStatus } from './agent-error';
export type { AgentErrorCode } from './agent-error';
