// Completed sales: payment and completion, reading, receipts, returns.
export { payCart } from './complete-sale';
export { readSale, listSales, findSaleRow, saleTenders } from './sale-store';
export { receiptForSale } from './sale-receipt';
export { lookupReturnable, createReturn } from './returns';
export type { ReturnLineInput, ReturnInput } from './returns';
export { nextSaleSeq, saleNumber, receiptCode } from './sale-numbers';
export { pendingIntents, recoverIntents, timingOf, cancelPending, paymentQueue, intentView, openCartPayments, cancelOpenCartPayment, storeOrdersForReconcile } from './payment-intents';
export type { IntentStatus } from './payment-intents';
