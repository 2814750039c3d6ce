// Customer pole display (2 x 20 VFD, ESC/POS display commands).
export * from './pole-display';
export * from './pole-display-emulator';
