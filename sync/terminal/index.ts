// sync/terminal: the terminal core's entry into sync (outbox + client against hub/cloud).
export * from './terminal-sync';
export * from './core-mapping';
