// The seam to WeChat Pay / Alipay payment codes (付款码: the customer shows a code, the till
// scans it). Gateways are reached over the network; the sale flow talks to them only through
// this interface, so the real protocol clients, the gateway emulators and the sandbox are
// interchangeable. Every call names the order by the till's merchant order number
// (`outTradeNo`), which is chosen once per charge attempt and reused for every retry, query
// and reversal of it — the gateway therefore never sees a second order for one attempt.
import { PosError } from '../../contract';

export type PaymentWallet = 'wechat' | 'alipay';
export interface PaymentCodeChargeRequest {
  code: string;
  amount: number;
  saleId: string;
  wallet: PaymentWallet;
  /** Merchant order number: ≤ 32 characters of [0-9a-f]; the same for every retry of this charge. */
  outTradeNo: string;
  /** Shown on the customer's bill, e.g. the store name. */
  description?: string;
}
export interface PaymentCodeRefundRequest {
  transactionId: string;
  amount: number;
  refundId: string;
  saleId: string;
  wallet: PaymentWallet;
}
export interface PaymentCodeResult {
  status: 'approved' | 'declined';
  transactionId: string;
  message?: string;
}

/**
 * What a charge call settled. 'pending': the gateway said the customer is confirming
 * (USERPAYING) or asked the merchant to query (SYSTEMERROR, BANKERROR); 'unknown': the answer
 * was lost or unreadable (timeout, dropped connection, bad signature). Both mean: query the
 * same order, never charge again.
 */
export interface PaymentCodeChargeResult {
  status: 'approved' | 'declined' | 'pending' | 'unknown';
  transactionId: string | null;
  message?: string;
}
/** 'paid': money taken; 'paying': customer still confirming; 'not_paid': closed, reversed, failed or never created. */
export interface PaymentCodeQueryResult {
  status: 'paid' | 'paying' | 'not_paid';
  transactionId: string | null;
  amount?: number;
  message?: string;
}
/** 'reversed': the order is closed and any money returned; 'retry': the gateway asked to call again. */
export interface PaymentCodeReverseResult {
  status: 'reversed' | 'retry' | 'failed';
  message?: string;
}
export interface PaymentCodeOrderRef {
  outTradeNo: string;
  wallet: PaymentWallet;
}

export interface PaymentCodeProvider {
  /** Short name recorded with each tender, e.g. 'sandbox' -> provider 'wechat-sandbox'. */
  readonly name: string;
  /**
   * Charges a code. Throws PaymentGatewayUnreachable when the request certainly did not reach
   * the gateway (connection refused, no route): nothing was charged. Any other throw means the
   * outcome is unknown.
   */
  charge(req: PaymentCodeChargeRequest): Promise<PaymentCodeChargeResult>;
  /** Asks the gateway about an order; throws when it cannot be reached or answers nonsense. */
  query(req: PaymentCodeOrderRef): Promise<PaymentCodeQueryResult>;
  /** Reverses (撤销) an order: closes it if unpaid, returns the money if paid. Idempotent. */
  reverse(req: PaymentCodeOrderRef): Promise<PaymentCodeReverseResult>;
  refund(req: PaymentCodeRefundRequest): Promise<PaymentCodeResult>;
}

/** Timings of the pending flow (query schedule, deadline, offline refusal, background sweep); tests shorten them. */
export interface PaymentTiming {
  /** Between two order queries while the customer confirms (WeChat suggests 5 s). */
  pollMs: number;
  /** Give up waiting and reverse after this long (WeChat suggests 30–45 s). */
  deadlineMs: number;
  /** After a connection failure, payment codes are refused at once for this long. */
  offlineMs: number;
  /** Background retry of owed reversals and unsettled charges. */
  sweepMs: number;
}

/** The request never left the till (connection refused, no route, DNS): nothing was charged. */
export class PaymentGatewayUnreachable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PaymentGatewayUnreachable';
  }
}

/**
 * Which wallet a payment code belongs to: WeChat 18 digits starting 10–15, Alipay 16–24
 * digits starting 25–30. Returns null for anything else.
 */
export function paymentCodeWallet(code: string): PaymentWallet | null {
  if (!/^\d{16,24}$/.test(code)) return null;
  const prefix = Number(code.slice(0, 2));
  if (code.length === 18 && prefix >= 10 && prefix <= 15) return 'wechat';
  if (prefix >= 25 && prefix <= 30) return 'alipay';
  return null;
}

export function requirePaymentCodeWallet(code: string): PaymentWallet {
  const w = paymentCodeWallet(code);
  if (!w)
    throw new PosError(
      'TENDER_INVALID',
      '不是有效的微信或支付宝付款码，请让顾客刷新后重扫 / Not a WeChat or Alipay payment code. Ask the customer to refresh it and scan again.',
    );
  return w;
}
