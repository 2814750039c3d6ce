// Keyboard input for the till: wedge barcode detection and the key/scan scope stack.
export * from './wedge';
export * from './key-scopes';
export * from './wedge-listener';
