// Label printers: the shelf-label layout, TSPL and ZPL encoders/decoders, the printer on any
// transport, and the emulator that renders labels to PNG. See docs/devices.md "Label printer".
export * from './label-job';
export * from './shelf-label';
export { encodeTspl, TsplDecoder, LabelLanguageError } from './tspl';
export { encodeZpl, ZplDecoder } from './zpl';
export * from './label-printer';
export * from './label-printer-emulator';
export { labelSvg, labelPng, barcodeModules } from './label-render';
