// Emulators shipped with the product: ESC/POS printer (TCP + serial), serial scanner and
// scale over PTY pairs, HID scanner at the binding level, WeCom's add-contact callback; plus PTY
// pair creation via socat.
export * from './receipt-render';
export * from './printer-emulator';
export * from './pty-pair';
export * from './serial-scanner-emulator';
export * from './scale-emulator';
export * from './hid-scanner-emulator';
export * from './payment-gateway-emulator';
export * from './wecom-emulator';
