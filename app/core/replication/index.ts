// Replication hook of the terminal core: the writers report their immutable rows here.
export { attachReplicationSink, replicationFor } from './replication-sink';
export type { ReplicationSink, ReplicatedStockMovement, ReplicatedFactKind } from './replication-sink';
export { collectBackfill, backfillRowCounts, shiftCloseFactId } from './backfill';
export type { BackfillItem } from './backfill';
