// Completed sales: payment and completion, reading, receipts, returns, sale numbers and the
// guard that stops selling when acknowledged sales went missing.
export { payCart } from './complete-sale';
export { readSale, listSales } from './sale-store';
export { receiptForSale } from './sale-receipt';
export { lookupReturnable, createReturn } from './returns';
export type { ReturnLineInput, ReturnInput } from './returns';
export { SaleRecordsGuard, JOURNAL_COMPACT_AFTER } from './sale-records-guard';
export {
  pendingIntents,
  recoverIntents,
  timingOf,
  paymentQueue,
  intentView,
  openCartPayments,
  cancelOpenCartPayment,
  storeOrdersForReconcile,
} from './payment-intents';
export type { IntentStatus } from './payment-intents';
