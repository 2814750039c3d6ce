// ESC/POS: command builders, receipt encoding (receiptline -> bytes), status parsing and a
// stream decoder. Pure: no I/O.
export * from './commands';
export * from './status';
export * from './encode-receipt';
export * from './decoder';
export * from './sample-receipt';
