// Completed sales: payment and completion, reading, receipts, returns.
export { payCart } from './complete-sale';
export { readSale, listSales } from './sale-store';
export { receiptForSale } from './sale-receipt';
export { lookupReturnable, createReturn } from './returns';
export type { ReturnLineInput, ReturnInput } from './returns';
export { pendingIntents, recoverIntents } from './payment-intents';
export type { IntentStatus } from './payment-intents';
