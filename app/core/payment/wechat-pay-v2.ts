// WeChat Pay merchant API v2, payment-code family (付款码支付): pay/micropay, pay/orderquery,
// secapi/pay/reverse, secapi/pay/refund, pay/refundquery. Why v2: payment-code (micropay)
// payments exist only in the v2 API for ordinary mainland merchants; API v3 has no
// micropay endpoint. Bodies are flat XML (<xml><k><![CDATA[v]]></k>…</xml>); every request
// and every answer is signed with sign_type HMAC-SHA256: keys sorted by ASCII, empty values
// and `sign` left out, "k=v&…&key=API_KEY", HMAC-SHA256 keyed with the API key, upper-case
// hex. An answer whose signature does not verify is treated as no answer (outcome unknown).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
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

export const WECHATPAY_DEFAULT_BASE_URL = 'https://api.mch.weixin.qq.com';

export interface WechatPayV2Config {
  baseUrl: string;
  appId: string;
  mchId: string;
  /** The merchant API key (32 characters), read from keyFile. Never logged. */
  apiKey: string;
  tls?: { cert: string; key: string };
  timeoutMs?: number;
  connectTimeoutMs?: number;
}

export function wechatSign(params: Record<string, string>, apiKey: string): string {
  const base = Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== '' && params[k] !== undefined)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  return createHmac('sha256', apiKey).update(`${base}&key=${apiKey}`, 'utf8').digest('hex').toUpperCase();
}

export function wechatVerify(params: Record<string, string>, apiKey: string): boolean {
  const got = Buffer.from(params.sign ?? '', 'utf8');
  const want = Buffer.from(wechatSign(params, apiKey), 'utf8');
  return got.length === want.length && timingSafeEqual(got, want);
}

const esc = (v: string) => v.replace(/]]>/g, ']]]]><![CDATA[>');
export function toXml(params: Record<string, string>): string {
  return `<xml>${Object.entries(params)
    .map(([k, v]) => `<${k}><![CDATA[${esc(v)}]]></${k}>`)
    .join('')}</xml>`;
}

/**
 * Reads the flat <xml> document the v2 API uses. Deliberately not a general XML parser: a
 * DOCTYPE, entity or processing instruction is refused (the v2 SDKs' XXE history), and only
 * one level of elements with text or CDATA content is accepted.
 */
export function parseFlatXml(text: string): Record<string, string> {
  const body = text.trim();
  if (/<!DOCTYPE|<!ENTITY|<\?(?!xml\s)/i.test(body)) throw new Error('XML with declarations or entities is refused');
  const m = /^(?:<\?xml[^?]*\?>\s*)?<xml>([\s\S]*)<\/xml>$/.exec(body);
  if (!m) throw new Error('not a WeChat Pay XML document');
  const out: Record<string, string> = {};
  // Text, or one or more CDATA sections (a value containing "]]>" is split across two).
  const re = /<([A-Za-z_][A-Za-z0-9_]*)>(?:((?:<!\[CDATA\[[\s\S]*?\]\]>)+)|([^<]*))<\/\1>\s*/gy;
  const inner = m[1]!.trim();
  let last = 0;
  for (let e = re.exec(inner); e; e = re.exec(inner)) {
    out[e[1]!] = e[2] !== undefined ? e[2].replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1') : decodeText(e[3] ?? '');
    last = re.lastIndex;
  }
  if (last !== inner.length) throw new Error('unexpected XML structure');
  return out;
}
function decodeText(s: string): string {
  return s.replace(
    /&(lt|gt|amp|quot|apos);/g,
    (_, n: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[n]!,
  );
}

/** err_code values of micropay after which the merchant must query, not conclude. */
const QUERY_CODES = new Set(['SYSTEMERROR', 'USERPAYING', 'BANKERROR']);

export class WechatPayV2Provider implements PaymentCodeProvider {
  readonly name: string;
  constructor(
    private readonly cfg: WechatPayV2Config,
    name = 'wxpay-v2',
  ) {
    this.name = name;
  }

  private async call(path: string, params: Record<string, string>, secure = false): Promise<Record<string, string>> {
    const full: Record<string, string> = {
      appid: this.cfg.appId,
      mch_id: this.cfg.mchId,
      nonce_str: randomBytes(16).toString('hex'),
      sign_type: 'HMAC-SHA256',
      ...params,
    };
    full.sign = wechatSign(full, this.cfg.apiKey);
    const r = await gatewayPost(`${this.cfg.baseUrl.replace(/\/$/, '')}/${path}`, toXml(full), {
      contentType: 'text/xml; charset=utf-8',
      timeoutMs: this.cfg.timeoutMs ?? 10_000,
      connectTimeoutMs: this.cfg.connectTimeoutMs ?? 3_000,
      tls: secure ? this.cfg.tls : undefined,
    });
    if (r.status !== 200) throw new Error(`WeChat Pay ${path}: HTTP ${r.status}`);
    const x = parseFlatXml(r.text);
    if (x.return_code !== 'SUCCESS')
      throw new Error(`WeChat Pay ${path}: ${x.return_code ?? '?'} ${x.return_msg ?? ''}`.trim());
    // Answers with return_code SUCCESS are signed; an unsigned or forged one is no answer.
    if (!wechatVerify(x, this.cfg.apiKey)) throw new Error(`WeChat Pay ${path}: answer signature does not verify`);
    return x;
  }

  async charge(req: PaymentCodeChargeRequest): Promise<PaymentCodeChargeResult> {
    const x = await this.call('pay/micropay', {
      body: (req.description ?? 'POS').slice(0, 120),
      out_trade_no: req.outTradeNo,
      total_fee: String(req.amount),
      spbill_create_ip: '127.0.0.1',
      auth_code: req.code,
    });
    if (x.result_code === 'SUCCESS') {
      if (x.out_trade_no !== req.outTradeNo || Number(x.total_fee) !== req.amount)
        return { status: 'unknown', transactionId: null, message: 'answer does not match the order' };
      return { status: 'approved', transactionId: x.transaction_id ?? null };
    }
    const code = x.err_code ?? '';
    if (QUERY_CODES.has(code))
      return {
        status: code === 'USERPAYING' ? 'pending' : 'unknown',
        transactionId: null,
        message: `${code} ${x.err_code_des ?? ''}`.trim(),
      };
    // ORDERPAID: this very order number was paid before (our earlier answer was lost).
    if (code === 'ORDERPAID') return { status: 'unknown', transactionId: null, message: 'ORDERPAID' };
    return { status: 'declined', transactionId: null, message: x.err_code_des ?? code };
  }

  async query(req: PaymentCodeOrderRef): Promise<PaymentCodeQueryResult> {
    const x = await this.call('pay/orderquery', { out_trade_no: req.outTradeNo });
    if (x.result_code !== 'SUCCESS') {
      if (x.err_code === 'ORDERNOTEXIST') return { status: 'not_paid', transactionId: null, message: 'ORDERNOTEXIST' };
      throw new Error(`orderquery: ${x.err_code ?? 'FAIL'}`);
    }
    switch (x.trade_state) {
      case 'SUCCESS':
        return { status: 'paid', transactionId: x.transaction_id ?? null, amount: Number(x.total_fee) };
      case 'USERPAYING':
        return { status: 'paying', transactionId: null, message: x.trade_state_desc };
      // REFUND: paid, then (partly) refunded — the order was paid, the refund is separate.
      case 'REFUND':
        return { status: 'paid', transactionId: x.transaction_id ?? null, amount: Number(x.total_fee) };
      case 'NOTPAY':
      case 'CLOSED':
      case 'REVOKED':
      case 'PAYERROR':
        return { status: 'not_paid', transactionId: x.transaction_id ?? null, message: x.trade_state };
      default:
        throw new Error(`orderquery: unexpected trade_state ${x.trade_state ?? '(none)'}`);
    }
  }

  async reverse(req: PaymentCodeOrderRef): Promise<PaymentCodeReverseResult> {
    const x = await this.call('secapi/pay/reverse', { out_trade_no: req.outTradeNo }, true);
    if (x.result_code === 'SUCCESS')
      return x.recall === 'Y' ? { status: 'retry', message: 'recall=Y' } : { status: 'reversed' };
    if (x.err_code === 'ORDERNOTEXIST') return { status: 'reversed', message: 'ORDERNOTEXIST' };
    return {
      status: x.recall === 'Y' || x.err_code === 'SYSTEMERROR' ? 'retry' : 'failed',
      message: `${x.err_code ?? 'FAIL'} ${x.err_code_des ?? ''}`.trim(),
    };
  }

  async refund(req: PaymentCodeRefundRequest): Promise<PaymentCodeResult> {
    // The refund needs the order's total; the order query by transaction id gives it.
    const q = await this.call('pay/orderquery', { transaction_id: req.transactionId });
    if (q.result_code !== 'SUCCESS')
      return { status: 'declined', transactionId: '', message: q.err_code_des ?? q.err_code ?? 'order not found' };
    const outRefundNo = req.refundId.replace(/-/g, '').slice(0, 64);
    const x = await this.call(
      'secapi/pay/refund',
      {
        transaction_id: req.transactionId,
        out_refund_no: outRefundNo,
        total_fee: q.total_fee ?? '',
        refund_fee: String(req.amount),
      },
      true,
    );
    if (x.result_code !== 'SUCCESS')
      return { status: 'declined', transactionId: '', message: x.err_code_des ?? x.err_code ?? 'refund refused' };
    return { status: 'approved', transactionId: x.refund_id ?? outRefundNo };
  }

  /** Refund status: SUCCESS, PROCESSING, REFUNDCLOSE or CHANGE (the manager sees it). */
  async refundStatus(outRefundNo: string): Promise<string> {
    const x = await this.call('pay/refundquery', { out_refund_no: outRefundNo });
    if (x.result_code !== 'SUCCESS') return x.err_code ?? 'UNKNOWN';
    return x.refund_status_0 ?? 'UNKNOWN';
  }
}
