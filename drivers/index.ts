// Device layer public entry: the hub the core owns, device classes, transports, ESC/POS,
// storage schema and the emulators that ship with the product.
export * from './hub';
export * from './device';
export * from './transports';
export * from './escpos';
export * from './printer';
export * from './scanner';
export * from './scale';
export * from './display';
export * from './storage';
export * from './emulators';
export * from './label';
