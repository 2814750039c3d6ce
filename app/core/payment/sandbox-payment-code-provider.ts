// SANDBOX STAND-IN for the WeChat Pay / Alipay gateways, which are unreachable from this
// network. It never moves money. It is deterministic so demos and tests can choose the
// outcome from the code itself:
//   - a payment code ending in "0000" is DECLINED ("insufficient balance");
//   - any other valid code is APPROVED; the transaction id is derived from sale id + code;
//   - refunds are always approved, except a refund of a transaction id this provider did not
//     issue (it does not start with "SBX-").
import { createHash } from 'node:crypto';
import type { PaymentCodeChargeRequest, PaymentCodeProvider, PaymentCodeRefundRequest, PaymentCodeResult } from './payment-code-provider';

export class SandboxPaymentCodeProvider implements PaymentCodeProvider {
  readonly name = 'sandbox';
  readonly charges: PaymentCodeChargeRequest[] = [];
  readonly refunds: PaymentCodeRefundRequest[] = [];

  async charge(req: PaymentCodeChargeRequest): Promise<PaymentCodeResult> {
    this.charges.push(req);
    const transactionId = `SBX-${req.wallet === 'wechat' ? 'WX' : 'ALI'}-${createHash('sha256').update(`${req.saleId}:${req.code}`).digest('hex').slice(0, 20)}`;
    if (req.code.endsWith('0000')) {
      return { status: 'declined', transactionId, message: '余额不足（沙箱：付款码以 0000 结尾） / Insufficient balance (sandbox: code ends in 0000)' };
    }
    return { status: 'approved', transactionId };
  }

  async refund(req: PaymentCodeRefundRequest): Promise<PaymentCodeResult> {
    this.refunds.push(req);
    const transactionId = `SBX-R-${createHash('sha256').update(`${req.transactionId}:${req.refundId}`).digest('hex').slice(0, 20)}`;
    if (!req.transactionId.startsWith('SBX-')) return { status: 'declined', transactionId, message: 'Unknown transaction (sandbox)' };
    return { status: 'approved', transactionId };
  }
}
