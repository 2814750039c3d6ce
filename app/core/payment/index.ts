// Tenders: cash rounding, tender/change arithmetic, and the payment-code provider seam
// (with the SANDBOX stand-in for the WeChat/Alipay gateways).
export { paymentCodeWallet, requirePaymentCodeWallet, PaymentGatewayUnreachable } from './payment-code-provider';
export type {
  PaymentCodeProvider, PaymentCodeChargeRequest, PaymentCodeRefundRequest, PaymentCodeResult, PaymentWallet,
  PaymentCodeChargeResult, PaymentCodeQueryResult, PaymentCodeReverseResult, PaymentCodeOrderRef, PaymentTiming,
} from './payment-code-provider';
export { SandboxPaymentCodeProvider } from './sandbox-payment-code-provider';
export { roundCash } from './cash-rounding';
export { planTenders, maxTendered } from './tender-plan';
export type { TenderPlan, PlannedTender } from './tender-plan';
