// Barcode scanners: HID POS (usage page 0x8C), HID keyboard emulation via node-hid and serial
// scanners, all producing the same ScanEvent.
export * from './aim';
export * from './hid-pos-report';
export * from './hid-keyboard';
export * from './line-assembler';
export * from './barcode-scanner';
