// Transports: byte and report movers behind one small interface (serial, HID, USB printer
// device file, TCP 9100) plus test bindings. Drivers never import serialport/node-hid directly.
export * from './device-uri';
export * from './transport';
export * from './tcp-transport';
export * from './serial-transport';
export * from './usb-printer-transport';
export * from './hid';
export * from './mock-transport';
export * from './open-transport';
