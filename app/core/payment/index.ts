// Tenders: cash rounding, tender/change arithmetic, and the payment-code provider seam
// (with the SANDBOX stand-in for the WeChat/Alipay gateways).
export { paymentCodeWallet, requirePaymentCodeWallet, PaymentGatewayUnreachable } from './payment-code-provider';
export type {
  PaymentCodeProvider,
  PaymentCodeChargeRequest,
  PaymentCodeRefundRequest,
  PaymentCodeResult,
  PaymentWallet,
  PaymentCodeChargeResult,
  PaymentCodeQueryResult,
  PaymentCodeReverseResult,
  PaymentCodeOrderRef,
  PaymentTiming,
} from './payment-code-provider';
export { SandboxPaymentCodeProvider } from './sandbox-payment-code-provider';
export { roundCash } from './cash-rounding';
export { planTenders } from './tender-plan';
export type { TenderPlan, PlannedTender } from './tender-plan';
export { WechatPayV2Provider, wechatSign, wechatVerify, parseFlatXml, toXml } from './wechat-pay-v2';
export type { WechatPayV2Config } from './wechat-pay-v2';
export { AlipayF2FProvider, alipaySignContent, rsa2Sign, rsa2Verify } from './alipay-f2f';
export type { AlipayConfig } from './alipay-f2f';
export { WalletRouter, paymentProviderFromFiles } from './gateway-config';
export type { PaymentGatewayFiles } from './gateway-config';
export { parseWechatBill, parseAlipayStatement, reconcile, reconcileCsv } from './statements';
export type { StatementRow, ReconcileOrder, ReconcileLine } from './statements';
