// edge-agent: the in-store box's door camera people counter (footfall, occupancy, conversion)
// and the service that runs it next to the sync hub. See docs/footfall.md.
export * from './tracking';
export * from './counting';
export * from './ingest';
export * from './pipeline';
export * from './footfall';
export * from './service';
export { createDetectorFromConfig } from './detector-from-config';
export { main as edgeAgentCli } from './cli';
