// Finding devices: serial ports, HID scanners and network printers. Its own module so that
// `pos devices` loads it without the device hub (printers, receipt rendering).
export * from './discovery';
