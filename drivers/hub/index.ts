// Device hub (what the core owns) and discovery.
export * from '../discovery';
export * from './device-hub';
