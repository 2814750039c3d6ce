// Pure receipt layout (receiptline document) and its text/SVG renderings. The devices layer
// encodes the same document to ESC/POS.
export {
  buildReceiptDocument,
  receiptCpl,
  escapeReceiptText,
  formatFen,
  formatKg,
  formatLocalTime,
} from './receipt-document';
export type { ReceiptInput } from './receipt-document';
export { renderReceipt, renderReceiptText, renderReceiptSvg, receiptEncoding } from './receipt-render';
export type { ReceiptLabels } from './receipt-labels';
export { buildRefundSlipDocument } from './refund-slip';
export { buildReceivingNoteDocument } from './receiving-note';
