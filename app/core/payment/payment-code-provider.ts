// The seam to WeChat Pay / Alipay "micropay" (customer shows a payment code, the till scans
// it). Real gateways are reached over the internet; the terminal talks to them only through
// this interface so that a gateway client can be dropped in without touching the sale flow.
import { PosError } from '../../contract';

export type PaymentWallet = 'wechat' | 'alipay';

export interface PaymentCodeChargeRequest { code: string; amount: number; saleId: string; wallet: PaymentWallet }
export interface PaymentCodeRefundRequest { transactionId: string; amount: number; refundId: string; saleId: string; wallet: PaymentWallet }
export interface PaymentCodeResult { status: 'approved' | 'declined'; transactionId: string; message?: string }

export interface PaymentCodeProvider {
  /** Short name recorded with each tender, e.g. 'sandbox' -> provider 'wechat-sandbox'. */
  readonly name: string;
  charge(req: PaymentCodeChargeRequest): Promise<PaymentCodeResult>;
  refund(req: PaymentCodeRefundRequest): Promise<PaymentCodeResult>;
}

/**
 * Which wallet a payment code belongs to: 18 digits, WeChat prefixes 10–15, Alipay 25–30.
 * Returns null for anything else.
 */
export function paymentCodeWallet(code: string): PaymentWallet | null {
  if (!/^\d{18}$/.test(code)) return null;
  const prefix = Number(code.slice(0, 2));
  if (prefix >= 10 && prefix <= 15) return 'wechat';
  if (prefix >= 25 && prefix <= 30) return 'alipay';
  return null;
}

export function requirePaymentCodeWallet(code: string): PaymentWallet {
  const w = paymentCodeWallet(code);
  if (!w) throw new PosError('TENDER_INVALID', '不是有效的微信或支付宝付款码，请让顾客刷新后重扫 / Not a WeChat or Alipay payment code. Ask the customer to refresh it and scan again.');
  return w;
}
