// SANDBOX STAND-IN for the WeChat Pay / Alipay gateways, for quick demos and core tests. It
// never moves money and speaks no wire protocol (the gateway emulators in
// drivers/emulators/payment-gateways do). It is deterministic so the outcome can be chosen
// from the code itself:
//   - a payment code ending in "0000" is DECLINED ("insufficient balance");
//   - any other valid code is APPROVED; the transaction id is derived from the order number;
//   - the same order number charged twice answers with the first result (as a gateway does);
//   - refunds are always approved, except a refund of a transaction id this provider did not
//     issue (it does not start with "SBX-").
// Orders live in memory: after a restart a query finds nothing ('not_paid').
import { createHash } from 'node:crypto';
import type {
  PaymentCodeChargeRequest,
  PaymentCodeChargeResult,
  PaymentCodeOrderRef,
  PaymentCodeProvider,
  PaymentCodeQueryResult,
  PaymentCodeRefundRequest,
  PaymentCodeResult,
  PaymentCodeReverseResult,
} from './payment-code-provider';

export class SandboxPaymentCodeProvider implements PaymentCodeProvider {
  readonly name = 'sandbox';
  readonly charges: PaymentCodeChargeRequest[] = [];
  readonly refunds: PaymentCodeRefundRequest[] = [];
  readonly reversals: PaymentCodeOrderRef[] = [];
  /** outTradeNo → order; 'paid' orders are the money actually taken. */
  readonly orders = new Map<
    string,
    { state: 'paid' | 'declined' | 'reversed'; transactionId: string; amount: number }
  >();

  async charge(req: PaymentCodeChargeRequest): Promise<PaymentCodeChargeResult> {
    this.charges.push(req);
    const known = this.orders.get(req.outTradeNo);
    if (known)
      return known.state === 'paid'
        ? { status: 'approved', transactionId: known.transactionId }
        : { status: 'declined', transactionId: known.transactionId, message: 'Order closed (sandbox)' };
    const transactionId = `SBX-${req.wallet === 'wechat' ? 'WX' : 'ALI'}-${createHash('sha256').update(`${req.outTradeNo}:${req.code}`).digest('hex').slice(0, 20)}`;
    if (req.code.endsWith('0000')) {
      this.orders.set(req.outTradeNo, { state: 'declined', transactionId, amount: req.amount });
      return {
        status: 'declined',
        transactionId,
        message: '余额不足（沙箱：付款码以 0000 结尾） / Insufficient balance (sandbox: code ends in 0000)',
      };
    }
    this.orders.set(req.outTradeNo, { state: 'paid', transactionId, amount: req.amount });
    return { status: 'approved', transactionId };
  }

  async query(req: PaymentCodeOrderRef): Promise<PaymentCodeQueryResult> {
    const o = this.orders.get(req.outTradeNo);
    if (!o || o.state !== 'paid') return { status: 'not_paid', transactionId: o?.transactionId ?? null };
    return { status: 'paid', transactionId: o.transactionId, amount: o.amount };
  }

  async reverse(req: PaymentCodeOrderRef): Promise<PaymentCodeReverseResult> {
    this.reversals.push(req);
    const o = this.orders.get(req.outTradeNo);
    if (o) o.state = 'reversed';
    return { status: 'reversed' };
  }

  async refund(req: PaymentCodeRefundRequest): Promise<PaymentCodeResult> {
    this.refunds.push(req);
    const transactionId = `SBX-R-${createHash('sha256').update(`${req.transactionId}:${req.refundId}`).digest('hex').slice(0, 20)}`;
    if (!req.transactionId.startsWith('SBX-'))
      return { status: 'declined', transactionId, message: 'Unknown transaction (sandbox)' };
    return { status: 'approved', transactionId };
  }

  /** Money the sandbox holds: paid orders not reversed. */
  paidOrders(): string[] {
    return [...this.orders].filter(([, o]) => o.state === 'paid').map(([k]) => k);
  }
}
