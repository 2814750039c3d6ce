// sync/hub: the store hub (SQLite replica + relay to the cloud) as a library.
export * from './hub';
export * from './hub-authority';
