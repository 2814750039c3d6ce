// sync: CRDT replication between terminals, the store hub and the cloud. Public entry.
export * from './core';
export * from './storage';
export * from './protocol';
export * from './terminal';
export * from './hub';
export * from './cloud';
