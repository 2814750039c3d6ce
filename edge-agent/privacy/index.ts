export { DebugSnapshots, blurFrame, blurRegions } from './debug-snapshot';
export type { DebugSnapshotOptions, SnapshotAuditEntry, BlurRegion } from './debug-snapshot';
