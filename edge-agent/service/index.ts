// edge-agent/service: the running agent (cameras, footfall store, HTTP API, sync hub).
export { startAgentService } from './agent-service';
export type { AgentService, AgentServiceOptions } from './agent-service';
export { runService, loadAgentConfig } from './run-service';
export { CameraRunner } from './camera-runner';
export type { CameraStatus } from './camera-runner';
export { renderMetrics } from './metrics';
export { hubFootfallPublisher, hubSaleTimes } from './sync-bridge';
export { agentFleetReport, startFleetReporter } from './fleet-report';
