// What every domain service receives from the composition root (database, clock, logger,
// terminal identity, events, payment provider).
export type { CoreContext } from './core-context';
