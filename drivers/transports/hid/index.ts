// HID: the node-hid binding (and its test binding) and the HID transport. Its own module, free of
// zod and serialport, so that device discovery (`pos devices`) can list HID devices without
// loading the rest of the transports.
export * from './hid-binding';
export * from './hid-transport';
