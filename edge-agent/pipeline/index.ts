// edge-agent/pipeline: camera configuration and the per-camera counting pipeline.
export { CameraPipeline } from './camera-pipeline';
export { DetectorScheduler, SchedulerLane } from './detector-scheduler';
export type { LaneStatus } from './detector-scheduler';
export type { PipelineStats, FrameResult } from './camera-pipeline';
export { cameraConfigSchema, detectorConfigSchema, agentConfigSchema, storeIdSchema } from './camera-config';
export type { CameraConfig, CameraConfigInput, DetectorConfig, AgentConfig, AgentConfigFile } from './camera-config';
