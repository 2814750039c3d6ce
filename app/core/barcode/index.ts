// Barcode parsing for the till: retail GTINs, GS1 element strings and Digital Links, and
// in-store variable-measure scale labels. Pure (no I/O); see docs/barcodes.md.
export { parseBarcode } from './parse-barcode';
export type { ParsedBarcode, ParseBarcodeOptions, Gs1Source } from './parse-barcode';
export { toGtin14, expandUpcE, compressUpcA } from './gtin';
export type { GtinSymbology } from './gtin';
export { gs1CheckDigit, hasValidGs1CheckDigit, priceCheckDigit } from './check-digit';
export { DEFAULT_VARIABLE_MEASURE_RULES, variableMeasureItemKey, variableMeasureRuleSchema } from './variable-measure';
export type { VariableMeasureRule } from './variable-measure';
export type { BarcodeInvalid, BarcodeInvalidReason } from './invalid';
export { gs1DateToIso } from './gs1-date';
