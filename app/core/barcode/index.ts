// Barcode parsing for the till: retail GTINs, GS1 element strings and Digital Links, and
// in-store variable-measure scale labels (presets per scale brand, the amount-vs-weight check,
// the PLU file for the scale's software). Pure (no I/O); see docs/barcodes.md.
export { parseBarcode } from './parse-barcode';
export type { ParsedBarcode, ParseBarcodeOptions, Gs1Source } from './parse-barcode';
export { toGtin14, expandUpcE, compressUpcA } from './gtin';
export type { GtinSymbology } from './gtin';
export { gs1CheckDigit, hasValidGs1CheckDigit, priceCheckDigit } from './check-digit';
export {
  DEFAULT_VARIABLE_MEASURE_RULES,
  SCALE_LABEL_PRESETS,
  SCALE_LABEL_PRESET_NAMES,
  variableMeasureItemKey,
  variableMeasureRuleSchema,
} from './variable-measure';
export type { VariableMeasureRule, ScaleLabelPreset } from './variable-measure';
export { checkLabelAmount } from './label-amount-check';
export type { LabelAmountCheck } from './label-amount-check';
export { pluExportCsv, parsePluExportCsv } from './plu-export';
export type { PluRecord } from './plu-export';
export type { BarcodeInvalid, BarcodeInvalidReason } from './invalid';
export { gs1DateToIso } from './gs1-date';
