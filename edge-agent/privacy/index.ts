export { DebugSnapshots } from './debug-snapshot';
export type { DebugSnapshotOptions, SnapshotAuditEntry, BlurRegion } from './debug-snapshot';
