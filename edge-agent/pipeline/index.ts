// edge-agent/pipeline: camera configuration and the per-camera counting pipeline.
export { CameraPipeline, MAX_STATIC_SKIPS } from './camera-pipeline';
export { DetectorScheduler, SchedulerLane } from './detector-scheduler';
export type { Scheduled, LaneStatus, SchedulerStatus } from './detector-scheduler';
export type { PipelineStats, FrameResult } from './camera-pipeline';
export { cameraConfigSchema, detectorConfigSchema, agentConfigSchema, storeIdSchema } from './camera-config';
export type { CameraConfig, CameraConfigInput, DetectorConfig, AgentConfig, AgentConfigFile } from './camera-config';
