// Alipay open platform, face-to-face payment (当面付) with a payment code: alipay.trade.pay
// (scene=bar_code), alipay.trade.query, alipay.trade.cancel, alipay.trade.refund. Requests
// are form posts to the gateway with the common parameters and a JSON biz_content, signed
// RSA2 (SHA256withRSA over the parameters sorted by name, "k=v&…", `sign` and empty values
// left out, base64). Answers are JSON {"<method>_response": {...}, "sign": "..."}; the sign
// covers the exact text of the response object and is checked with Alipay's public key — an
// answer that does not verify is treated as no answer (outcome unknown).
import { createSign, createVerify, type KeyObject } from 'node:crypto';
import { gatewayPost } from './gateway-http';
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

export const ALIPAY_DEFAULT_GATEWAY = 'https://openapi.alipay.com/gateway.do';

export interface AlipayConfig {
  gatewayUrl: string;
  appId: string;
  privateKey: KeyObject;
  alipayPublicKey: KeyObject;
  timeoutMs?: number;
  connectTimeoutMs?: number;
}

export function alipaySignContent(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== '' && params[k] !== undefined)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}
export function rsa2Sign(content: string, key: KeyObject): string {
  return createSign('RSA-SHA256').update(content, 'utf8').sign(key, 'base64');
}
export function rsa2Verify(content: string, signature: string, key: KeyObject): boolean {
  try {
    return createVerify('RSA-SHA256').update(content, 'utf8').verify(key, signature, 'base64');
  } catch {
    return false;
  }
}

/** The exact text of the JSON value under `key` in `text` (signatures cover the raw bytes, not a re-serialisation). */
export function rawJsonValue(text: string, key: string): string | null {
  const at = text.indexOf(`"${key}"`);
  if (at < 0) return null;
  let i = text.indexOf(':', at + key.length + 2) + 1;
  while (/\s/.test(text[i] ?? '')) i++;
  if (text[i] !== '{') return null;
  let depth = 0;
  let inStr = false;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (inStr) {
      if (c === '\\') j++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(i, j + 1);
  }
  return null;
}

const yuan = (fen: number) => (fen / 100).toFixed(2);
const fen = (y: string | undefined) => Math.round(Number(y ?? 'NaN') * 100);

function beijingTimestamp(d = new Date()): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
}

interface AlipayAnswer {
  code: string;
  msg?: string;
  sub_code?: string;
  sub_msg?: string;
  [k: string]: unknown;
}

export class AlipayF2FProvider implements PaymentCodeProvider {
  readonly name: string;
  constructor(
    private readonly cfg: AlipayConfig,
    name = 'alipay-openapi',
  ) {
    this.name = name;
  }

  private async call(method: string, biz: Record<string, unknown>): Promise<AlipayAnswer> {
    const params: Record<string, string> = {
      app_id: this.cfg.appId,
      method,
      format: 'JSON',
      charset: 'utf-8',
      sign_type: 'RSA2',
      timestamp: beijingTimestamp(),
      version: '1.0',
      biz_content: JSON.stringify(biz),
    };
    params.sign = rsa2Sign(alipaySignContent(params), this.cfg.privateKey);
    const r = await gatewayPost(this.cfg.gatewayUrl, new URLSearchParams(params).toString(), {
      contentType: 'application/x-www-form-urlencoded;charset=utf-8',
      timeoutMs: this.cfg.timeoutMs ?? 10_000,
      connectTimeoutMs: this.cfg.connectTimeoutMs ?? 3_000,
    });
    if (r.status !== 200) throw new Error(`Alipay ${method}: HTTP ${r.status}`);
    const key = `${method.replace(/\./g, '_')}_response`;
    const raw = rawJsonValue(r.text, key) ?? rawJsonValue(r.text, 'error_response');
    const parsed = JSON.parse(r.text) as { sign?: string };
    if (!raw || typeof parsed.sign !== 'string' || !rsa2Verify(raw, parsed.sign, this.cfg.alipayPublicKey)) {
      throw new Error(`Alipay ${method}: answer signature does not verify`);
    }
    return JSON.parse(raw) as AlipayAnswer;
  }

  async charge(req: PaymentCodeChargeRequest): Promise<PaymentCodeChargeResult> {
    const a = await this.call('alipay.trade.pay', {
      out_trade_no: req.outTradeNo,
      scene: 'bar_code',
      auth_code: req.code,
      subject: (req.description ?? 'POS').slice(0, 128),
      total_amount: yuan(req.amount),
    });
    if (a.code === '10000') {
      if (a.out_trade_no !== req.outTradeNo || fen(a.total_amount as string) !== req.amount)
        return { status: 'unknown', transactionId: null, message: 'answer does not match the order' };
      return { status: 'approved', transactionId: String(a.trade_no) };
    }
    // 10003: waiting for the customer to confirm; 20000: service problem — query.
    if (a.code === '10003') return { status: 'pending', transactionId: null, message: a.sub_msg ?? a.msg };
    if (a.code === '20000' || a.sub_code === 'ACQ.SYSTEM_ERROR')
      return { status: 'unknown', transactionId: null, message: a.sub_msg ?? a.msg };
    return { status: 'declined', transactionId: null, message: a.sub_msg ?? a.sub_code ?? a.msg };
  }

  async query(req: PaymentCodeOrderRef): Promise<PaymentCodeQueryResult> {
    const a = await this.call('alipay.trade.query', { out_trade_no: req.outTradeNo });
    if (a.code !== '10000') {
      if (a.sub_code === 'ACQ.TRADE_NOT_EXIST')
        return { status: 'not_paid', transactionId: null, message: 'ACQ.TRADE_NOT_EXIST' };
      throw new Error(`alipay.trade.query: ${a.code} ${a.sub_code ?? ''}`.trim());
    }
    switch (a.trade_status) {
      case 'TRADE_SUCCESS':
      case 'TRADE_FINISHED':
        return { status: 'paid', transactionId: String(a.trade_no), amount: fen(a.total_amount as string) };
      case 'WAIT_BUYER_PAY':
        return { status: 'paying', transactionId: null };
      case 'TRADE_CLOSED':
        return { status: 'not_paid', transactionId: a.trade_no ? String(a.trade_no) : null, message: 'TRADE_CLOSED' };
      default:
        throw new Error(`alipay.trade.query: unexpected trade_status ${String(a.trade_status)}`);
    }
  }

  async reverse(req: PaymentCodeOrderRef): Promise<PaymentCodeReverseResult> {
    const a = await this.call('alipay.trade.cancel', { out_trade_no: req.outTradeNo });
    if (a.code === '10000')
      return a.retry_flag === 'Y'
        ? { status: 'retry', message: 'retry_flag=Y' }
        : { status: 'reversed', message: String(a.action ?? '') };
    if (a.sub_code === 'ACQ.TRADE_NOT_EXIST') return { status: 'reversed', message: 'ACQ.TRADE_NOT_EXIST' };
    return { status: a.retry_flag === 'Y' || a.code === '20000' ? 'retry' : 'failed', message: a.sub_msg ?? a.msg };
  }

  async refund(req: PaymentCodeRefundRequest): Promise<PaymentCodeResult> {
    const outRequestNo = req.refundId.replace(/-/g, '').slice(0, 64);
    const a = await this.call('alipay.trade.refund', {
      trade_no: req.transactionId,
      refund_amount: yuan(req.amount),
      out_request_no: outRequestNo,
    });
    if (a.code !== '10000') return { status: 'declined', transactionId: '', message: a.sub_msg ?? a.sub_code ?? a.msg };
    return { status: 'approved', transactionId: outRequestNo };
  }
}
