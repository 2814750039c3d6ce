// Payment gateway emulators: WeChat Pay merchant API v2 (payment-code family, flat XML,
// HMAC-SHA256 signatures) and the Alipay open-platform gateway (alipay.trade.*, RSA2) over
// HTTP on 127.0.0.1, with fault switches. Written from the protocol documentation, apart
// from the till's clients (this layer does not import app/core), so a mistake in one side's
// signing or field names shows up as a failure instead of cancelling out.
//
// Fault switches (per wallet, or '*' for both), applied to the NEXT charges:
//   success                 paid at once
//   userpaying_then_success USERPAYING / 10003; the customer confirms after `afterMs`
//   userpaying_then_cancel  USERPAYING / 10003; the customer cancels after `afterMs`
//   late_success            like userpaying_then_success with a long wait: the customer confirms
//                           after the till gave up — unless the till reversed the order first
//   systemerror             the money is taken but the answer says SYSTEMERROR / 20000
//   timeout_charged         the money is taken, no answer ever comes
//   timeout_not_charged     nothing is taken, no answer ever comes
//   decline                 NOTENOUGH / ACQ.PAYMENT_AUTH_CODE_INVALID
//   refund_failure          refunds are refused
//   refund_hang             the next refunds are made but their answer never comes (a timeout
//                           after the money moved; setRefundHang)
// Refunds are idempotent by refund number (out_refund_no / out_request_no), as on the real
// gateways: a repeat of a made refund answers it again and moves no money.
//   reverse_failure         reversals answer SYSTEMERROR (recall=Y) / 20000 retry_flag=Y
// goOffline() closes the port (connections refused); goOnline() opens it again.
import { createHmac, createSign, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type GatewayWallet = 'wechat' | 'alipay';
export type GatewayFaultMode =
  | 'success'
  | 'userpaying_then_success'
  | 'userpaying_then_cancel'
  | 'late_success'
  | 'systemerror'
  | 'timeout_charged'
  | 'timeout_not_charged'
  | 'decline';
export interface GatewayFault {
  mode: GatewayFaultMode;
  afterMs?: number;
}

export interface EmulatedOrder {
  wallet: GatewayWallet;
  outTradeNo: string;
  amount: number;
  state: 'USERPAYING' | 'SUCCESS' | 'PAYERROR' | 'REVOKED' | 'CLOSED';
  transactionId: string;
  refunded: number;
  changeAt: number | null;
  changeTo: 'SUCCESS' | 'PAYERROR' | null;
  createdAt: number;
}

export interface PaymentGatewayEmulatorOptions {
  /** WeChat merchant API key (what the till's keyFile holds). */
  wechatApiKey?: string;
  wechatAppId?: string;
  wechatMchId?: string;
  alipayAppId?: string;
  /** The app's public key (the till signs with the matching private key). Generated when absent. */
  alipayAppPublicKey?: KeyObject;
  port?: number;
}

const now = () => Date.now();

function wxSign(p: Record<string, string>, key: string): string {
  const base = Object.keys(p)
    .filter((k) => k !== 'sign' && p[k] !== '')
    .sort()
    .map((k) => `${k}=${p[k]}`)
    .join('&');
  return createHmac('sha256', key).update(`${base}&key=${key}`, 'utf8').digest('hex').toUpperCase();
}
function wxXml(p: Record<string, string>): string {
  return `<xml>${Object.entries(p)
    .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
    .join('')}</xml>`;
}
function wxParse(text: string): Record<string, string> | null {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return null;
  const m = /<xml>([\s\S]*)<\/xml>/.exec(text);
  if (!m) return null;
  const out: Record<string, string> = {};
  for (const e of m[1]!.matchAll(/<([A-Za-z_][A-Za-z0-9_]*)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g))
    out[e[1]!] = e[2] ?? e[3] ?? '';
  return out;
}

export class PaymentGatewayEmulator {
  readonly wechatApiKey: string;
  readonly wechatAppId: string;
  readonly wechatMchId: string;
  readonly alipayAppId: string;
  /** The till signs Alipay requests with this (normally the merchant's own key). */
  readonly alipayAppPrivateKey: KeyObject | null;
  private readonly alipayAppPublicKey: KeyObject;
  /** The gateway's own key: answers are signed with it; the till verifies with alipayPublicKey. */
  private readonly alipayPrivateKey: KeyObject;
  readonly alipayPublicKey: KeyObject;
  readonly orders = new Map<string, EmulatedOrder>();
  readonly refunds: {
    wallet: GatewayWallet;
    outRefundNo: string;
    transactionId: string;
    amount: number;
    ok: boolean;
    refundId?: string;
  }[] = [];
  readonly requests: { wallet: GatewayWallet; api: string; outTradeNo?: string }[] = [];
  private faults = new Map<string, GatewayFault>();
  private refundFails = new Set<GatewayWallet>();
  private refundHangs = new Set<GatewayWallet>();
  private reverseFails = new Set<GatewayWallet>();
  private server: http.Server | null = null;
  private sockets = new Set<Socket>();
  private seq = 0;
  port = 0;

  constructor(opts: PaymentGatewayEmulatorOptions = {}) {
    this.wechatApiKey = opts.wechatApiKey ?? randomBytes(16).toString('hex');
    this.wechatAppId = opts.wechatAppId ?? 'wx0000000000000000';
    this.wechatMchId = opts.wechatMchId ?? '1900000109';
    this.alipayAppId = opts.alipayAppId ?? '2021000000000000';
    const gw = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.alipayPrivateKey = gw.privateKey;
    this.alipayPublicKey = gw.publicKey;
    if (opts.alipayAppPublicKey) {
      this.alipayAppPublicKey = opts.alipayAppPublicKey;
      this.alipayAppPrivateKey = null;
    } else {
      const app = generateKeyPairSync('rsa', { modulusLength: 2048 });
      this.alipayAppPublicKey = app.publicKey;
      this.alipayAppPrivateKey = app.privateKey;
    }
    this.port = opts.port ?? 0;
  }

  get wechatBaseUrl(): string {
    return `http://127.0.0.1:${this.port}/wxpay`;
  }
  get alipayGatewayUrl(): string {
    return `http://127.0.0.1:${this.port}/alipay/gateway.do`;
  }

  setFault(wallet: GatewayWallet | '*', fault: GatewayFault): void {
    if (wallet === '*') {
      this.faults.set('wechat', fault);
      this.faults.set('alipay', fault);
    } else this.faults.set(wallet, fault);
  }
  setRefundFailure(wallet: GatewayWallet | '*', on: boolean): void {
    for (const w of wallet === '*' ? (['wechat', 'alipay'] as const) : [wallet]) {
      if (on) this.refundFails.add(w);
      else this.refundFails.delete(w);
    }
  }
  /** Refunds are made (money back to the customer) but the answer never comes. */
  setRefundHang(wallet: GatewayWallet | '*', on: boolean): void {
    for (const w of wallet === '*' ? (['wechat', 'alipay'] as const) : [wallet]) {
      if (on) this.refundHangs.add(w);
      else this.refundHangs.delete(w);
    }
  }
  /**
   * A payment taken outside the tills (the mall's mini-program, JSAPI): the order is paid and
   * the merchant holds the money. Returns the gateway's transaction id (the mall's paymentRef).
   */
  recordPaidOrder(wallet: GatewayWallet, outTradeNo: string, amount: number): string {
    const transactionId = `${wallet === 'wechat' ? '4200' : '2026'}${String(++this.seq).padStart(8, '0')}${randomBytes(4).toString('hex')}`;
    this.orders.set(`${wallet}:${outTradeNo}`, {
      wallet,
      outTradeNo,
      amount,
      state: 'SUCCESS',
      transactionId,
      refunded: 0,
      changeAt: null,
      changeTo: null,
      createdAt: now(),
    });
    return transactionId;
  }
  /** Money refunded on an order (a made refund counted once). */
  refundedOn(transactionId: string): number {
    return [...this.orders.values()].find((o) => o.transactionId === transactionId)?.refunded ?? 0;
  }
  setReverseFailure(wallet: GatewayWallet | '*', on: boolean): void {
    for (const w of wallet === '*' ? (['wechat', 'alipay'] as const) : [wallet]) {
      if (on) this.reverseFails.add(w);
      else this.reverseFails.delete(w);
    }
  }
  private fault(wallet: GatewayWallet): GatewayFault {
    return this.faults.get(wallet) ?? { mode: 'success' };
  }

  /** Money the merchant holds: paid orders, not reversed, minus refunds. */
  held(): EmulatedOrder[] {
    for (const o of this.orders.values()) this.advance(o);
    return [...this.orders.values()].filter((o) => o.state === 'SUCCESS' && o.refunded < o.amount);
  }

  async listen(): Promise<void> {
    const server = http.createServer((req, res) => {
      void this.handle(req, res);
    });
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }
  /** Connections are refused until goOnline(). */
  async goOffline(): Promise<void> {
    await this.close();
  }
  async goOnline(): Promise<void> {
    if (!this.server) await this.listen();
  }
  async close(): Promise<void> {
    const s = this.server;
    this.server = null;
    for (const sock of this.sockets) sock.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private advance(o: EmulatedOrder): void {
    if (o.state === 'USERPAYING' && o.changeAt !== null && now() >= o.changeAt) {
      o.state = o.changeTo ?? 'SUCCESS';
      o.changeAt = null;
    }
  }

  private newOrder(
    wallet: GatewayWallet,
    outTradeNo: string,
    amount: number,
  ): { order: EmulatedOrder; answer: 'ok' | 'paying' | 'systemerror' | 'hang' | 'decline' } {
    const f = this.fault(wallet);
    const o: EmulatedOrder = {
      wallet,
      outTradeNo,
      amount,
      state: 'SUCCESS',
      refunded: 0,
      changeAt: null,
      changeTo: null,
      createdAt: now(),
      transactionId: `${wallet === 'wechat' ? '4200' : '2026'}${String(++this.seq).padStart(8, '0')}${randomBytes(4).toString('hex')}`,
    };
    let answer: 'ok' | 'paying' | 'systemerror' | 'hang' | 'decline' = 'ok';
    switch (f.mode) {
      case 'userpaying_then_success':
      case 'late_success':
        o.state = 'USERPAYING';
        o.changeAt = now() + (f.afterMs ?? (f.mode === 'late_success' ? 60_000 : 3_000));
        o.changeTo = 'SUCCESS';
        answer = 'paying';
        break;
      case 'userpaying_then_cancel':
        o.state = 'USERPAYING';
        o.changeAt = now() + (f.afterMs ?? 3_000);
        o.changeTo = 'PAYERROR';
        answer = 'paying';
        break;
      case 'systemerror':
        answer = 'systemerror';
        break;
      case 'timeout_charged':
        answer = 'hang';
        break;
      case 'timeout_not_charged':
        return { order: o, answer: 'hang' };
      case 'decline':
        o.state = 'PAYERROR';
        answer = 'decline';
        break;
      default:
        break;
    }
    this.orders.set(`${wallet}:${outTradeNo}`, o);
    return { order: o, answer };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > 100_000) {
        res.writeHead(413).end();
        return;
      }
      chunks.push(c as Buffer);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    try {
      if (req.method === 'POST' && url.pathname.startsWith('/wxpay/'))
        return this.wechat(url.pathname.slice('/wxpay/'.length), body, res);
      if (req.method === 'POST' && url.pathname === '/alipay/gateway.do') return this.alipay(body, res);
      if (req.method === 'POST' && url.pathname === '/_control/fault') {
        const c = JSON.parse(body) as {
          wallet?: GatewayWallet | '*';
          fault?: GatewayFault;
          refundFailure?: boolean;
          reverseFailure?: boolean;
        };
        if (c.fault) this.setFault(c.wallet ?? '*', c.fault);
        if (c.refundFailure !== undefined) this.setRefundFailure(c.wallet ?? '*', c.refundFailure);
        if (c.reverseFailure !== undefined) this.setReverseFailure(c.wallet ?? '*', c.reverseFailure);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        return;
      }
      if (req.method === 'GET' && url.pathname === '/_control/held') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.held()));
        return;
      }
      res.writeHead(404).end();
    } catch {
      res.writeHead(400).end();
    }
  }

  // --- WeChat Pay v2 -------------------------------------------------------------------
  private wechat(api: string, body: string, res: http.ServerResponse): void {
    const p = wxParse(body);
    const reply = (fields: Record<string, string>) => {
      const out: Record<string, string> = {
        return_code: 'SUCCESS',
        return_msg: 'OK',
        appid: this.wechatAppId,
        mch_id: this.wechatMchId,
        nonce_str: randomBytes(8).toString('hex'),
        ...fields,
      };
      out.sign = wxSign(out, this.wechatApiKey);
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(wxXml(out));
    };
    const fail = (msg: string): void => {
      res
        .writeHead(200, { 'content-type': 'text/xml; charset=utf-8' })
        .end(wxXml({ return_code: 'FAIL', return_msg: msg }));
    };
    if (!p) return fail('XML格式错误');
    if (p.sign_type !== 'HMAC-SHA256' || p.sign !== wxSign(p, this.wechatApiKey)) return fail('签名错误');
    if (p.appid !== this.wechatAppId || p.mch_id !== this.wechatMchId) return fail('appid和mch_id不匹配');
    const err = (code: string, des: string, extra: Record<string, string> = {}) =>
      reply({ result_code: 'FAIL', err_code: code, err_code_des: des, ...extra });
    this.requests.push({ wallet: 'wechat', api, outTradeNo: p.out_trade_no });
    const key = `wechat:${p.out_trade_no ?? ''}`;
    const byTx = p.transaction_id
      ? [...this.orders.values()].find((o) => o.wallet === 'wechat' && o.transactionId === p.transaction_id)
      : undefined;
    const order = this.orders.get(key) ?? byTx;
    if (order) this.advance(order);
    const paidFields = (o: EmulatedOrder) => ({
      result_code: 'SUCCESS',
      openid: 'oEmu0000',
      trade_type: 'MICROPAY',
      bank_type: 'OTHERS',
      total_fee: String(o.amount),
      cash_fee: String(o.amount),
      transaction_id: o.transactionId,
      out_trade_no: o.outTradeNo,
      time_end: '20261205120000',
    });
    switch (api) {
      case 'pay/micropay': {
        if (!/^\d+$/.test(p.total_fee ?? '') || !p.out_trade_no || !/^1[0-5]\d{16}$/.test(p.auth_code ?? ''))
          return err('PARAM_ERROR', '参数错误');
        if (order) {
          if (order.state === 'SUCCESS') return err('ORDERPAID', '订单已支付');
          if (order.state === 'REVOKED') return err('ORDERREVERSED', '订单已撤销');
          if (order.state === 'USERPAYING') return err('USERPAYING', '需要用户输入支付密码');
          return err('ORDERCLOSED', '订单已关闭');
        }
        const { order: o, answer } = this.newOrder('wechat', p.out_trade_no, Number(p.total_fee));
        if (answer === 'hang') return; // the socket stays open until the till gives up
        if (answer === 'paying') return err('USERPAYING', '需要用户输入支付密码');
        if (answer === 'systemerror') return err('SYSTEMERROR', '接口返回错误');
        if (answer === 'decline') return err('NOTENOUGH', '余额不足');
        return reply(paidFields(o));
      }
      case 'pay/orderquery': {
        if (!order) return err('ORDERNOTEXIST', '此交易订单号不存在');
        const state = order.state === 'SUCCESS' && order.refunded > 0 ? 'REFUND' : order.state;
        return reply({ ...paidFields(order), trade_state: state, trade_state_desc: state });
      }
      case 'secapi/pay/reverse': {
        if (this.reverseFails.has('wechat')) return err('SYSTEMERROR', '接口返回错误', { recall: 'Y' });
        if (!order) return err('ORDERNOTEXIST', '此交易订单号不存在', { recall: 'N' });
        order.state = 'REVOKED';
        order.changeAt = null;
        return reply({ result_code: 'SUCCESS', recall: 'N' });
      }
      case 'secapi/pay/refund': {
        if (!order || order.state !== 'SUCCESS') return err('ORDERNOTEXIST', '订单不存在或未支付');
        const made = this.refunds.find(
          (r) =>
            r.ok &&
            r.wallet === 'wechat' &&
            r.outRefundNo === (p.out_refund_no ?? '') &&
            r.transactionId === order.transactionId,
        );
        if (made)
          return reply({
            result_code: 'SUCCESS',
            transaction_id: order.transactionId,
            out_trade_no: order.outTradeNo,
            out_refund_no: made.outRefundNo,
            refund_id: made.refundId ?? '',
            refund_fee: String(made.amount),
            total_fee: String(order.amount),
          });
        const amount = Number(p.refund_fee);
        const ok =
          !this.refundFails.has('wechat') &&
          Number(p.total_fee) === order.amount &&
          amount > 0 &&
          order.refunded + amount <= order.amount;
        const refundId = `5030${randomBytes(8).toString('hex')}`;
        this.refunds.push({
          wallet: 'wechat',
          outRefundNo: p.out_refund_no ?? '',
          transactionId: order.transactionId,
          amount,
          ok,
          refundId,
        });
        if (!ok) return err('NOTENOUGH', '商户可用退款余额不足');
        order.refunded += amount;
        if (this.refundHangs.has('wechat')) return; // made; the answer is lost
        return reply({
          result_code: 'SUCCESS',
          transaction_id: order.transactionId,
          out_trade_no: order.outTradeNo,
          out_refund_no: p.out_refund_no ?? '',
          refund_id: refundId,
          refund_fee: String(amount),
          total_fee: String(order.amount),
        });
      }
      case 'pay/refundquery': {
        const r = this.refunds.find((x) => x.wallet === 'wechat' && x.outRefundNo === p.out_refund_no && x.ok);
        if (!r) return err('REFUNDNOTEXIST', '退款订单查询失败');
        return reply({
          result_code: 'SUCCESS',
          refund_count: '1',
          out_refund_no_0: r.outRefundNo,
          refund_fee_0: String(r.amount),
          refund_status_0: 'SUCCESS',
        });
      }
      default:
        fail('接口不存在');
    }
  }

  // --- Alipay open platform -------------------------------------------------------------
  private alipay(body: string, res: http.ServerResponse): void {
    const form = Object.fromEntries(new URLSearchParams(body)) as Record<string, string>;
    const method = form.method ?? '';
    const key = `${method.replace(/\./g, '_')}_response`;
    const send = (obj: Record<string, unknown>, k = key) => {
      const raw = JSON.stringify(obj);
      const sign = createSign('RSA-SHA256').update(raw, 'utf8').sign(this.alipayPrivateKey, 'base64');
      res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' }).end(`{"${k}":${raw},"sign":"${sign}"}`);
    };
    const content = Object.keys(form)
      .filter((k) => k !== 'sign' && form[k] !== '')
      .sort()
      .map((k) => `${k}=${form[k]}`)
      .join('&');
    let verified = false;
    try {
      verified =
        form.sign_type === 'RSA2' &&
        createVerify('RSA-SHA256')
          .update(content, 'utf8')
          .verify(this.alipayAppPublicKey, form.sign ?? '', 'base64');
    } catch {
      verified = false;
    }
    if (!verified)
      return send(
        { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature', sub_msg: '验签出错' },
        'error_response',
      );
    if (form.app_id !== this.alipayAppId)
      return send(
        { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-app-id', sub_msg: '无效的AppID参数' },
        'error_response',
      );
    let biz: Record<string, string>;
    try {
      biz = JSON.parse(form.biz_content ?? '{}') as Record<string, string>;
    } catch {
      return send({ code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-biz-content' });
    }
    this.requests.push({ wallet: 'alipay', api: method, outTradeNo: biz.out_trade_no });
    const biz40004 = (sub: string, msg: string, extra: Record<string, unknown> = {}) =>
      send({ code: '40004', msg: 'Business Failed', sub_code: sub, sub_msg: msg, ...extra });
    const order =
      this.orders.get(`alipay:${biz.out_trade_no ?? ''}`) ??
      (biz.trade_no
        ? [...this.orders.values()].find((o) => o.wallet === 'alipay' && o.transactionId === biz.trade_no)
        : undefined);
    if (order) this.advance(order);
    const yuan = (f: number) => (f / 100).toFixed(2);
    const paid = (o: EmulatedOrder) => ({
      code: '10000',
      msg: 'Success',
      trade_no: o.transactionId,
      out_trade_no: o.outTradeNo,
      buyer_logon_id: '159****5620',
      total_amount: yuan(o.amount),
      receipt_amount: yuan(o.amount),
      gmt_payment: '2026-12-05 12:00:00',
    });
    switch (method) {
      case 'alipay.trade.pay': {
        const fen = Math.round(Number(biz.total_amount) * 100);
        if (
          biz.scene !== 'bar_code' ||
          !biz.out_trade_no ||
          !(fen > 0) ||
          !/^(2[5-9]|30)\d{14,22}$/.test(biz.auth_code ?? '')
        )
          return biz40004('ACQ.INVALID_PARAMETER', '参数无效');
        if (order) {
          if (order.state === 'SUCCESS') return send(paid(order));
          if (order.state === 'USERPAYING')
            return send({ code: '10003', msg: ' order success pay inprocess', out_trade_no: order.outTradeNo });
          return biz40004('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
        }
        const { order: o, answer } = this.newOrder('alipay', biz.out_trade_no, fen);
        if (answer === 'hang') return;
        if (answer === 'paying')
          return send({ code: '10003', msg: ' order success pay inprocess', out_trade_no: o.outTradeNo });
        if (answer === 'systemerror')
          return send({
            code: '20000',
            msg: 'Service Currently Unavailable',
            sub_code: 'ACQ.SYSTEM_ERROR',
            sub_msg: '系统错误',
          });
        if (answer === 'decline') return biz40004('ACQ.PAYMENT_AUTH_CODE_INVALID', '支付失败，获取顾客账户信息失败');
        return send(paid(o));
      }
      case 'alipay.trade.query': {
        if (!order) return biz40004('ACQ.TRADE_NOT_EXIST', '交易不存在');
        const status =
          order.state === 'SUCCESS'
            ? 'TRADE_SUCCESS'
            : order.state === 'USERPAYING'
              ? 'WAIT_BUYER_PAY'
              : 'TRADE_CLOSED';
        return send({ ...paid(order), trade_status: status });
      }
      case 'alipay.trade.cancel': {
        if (this.reverseFails.has('alipay'))
          return send({
            code: '20000',
            msg: 'Service Currently Unavailable',
            sub_code: 'ACQ.SYSTEM_ERROR',
            retry_flag: 'Y',
          });
        if (!order) return biz40004('ACQ.TRADE_NOT_EXIST', '交易不存在', { retry_flag: 'N' });
        const action = order.state === 'SUCCESS' ? 'refund' : 'close';
        order.state = 'REVOKED';
        order.changeAt = null;
        return send({
          code: '10000',
          msg: 'Success',
          trade_no: order.transactionId,
          out_trade_no: order.outTradeNo,
          retry_flag: 'N',
          action,
        });
      }
      case 'alipay.trade.refund': {
        if (!order || order.state !== 'SUCCESS') return biz40004('ACQ.TRADE_NOT_EXIST', '交易不存在');
        const made = this.refunds.find(
          (r) =>
            r.ok &&
            r.wallet === 'alipay' &&
            r.outRefundNo === (biz.out_request_no ?? '') &&
            r.transactionId === order.transactionId,
        );
        if (made)
          return send({
            code: '10000',
            msg: 'Success',
            trade_no: order.transactionId,
            out_trade_no: order.outTradeNo,
            refund_fee: yuan(order.refunded),
            fund_change: 'N',
          });
        const amount = Math.round(Number(biz.refund_amount) * 100);
        const ok = !this.refundFails.has('alipay') && amount > 0 && order.refunded + amount <= order.amount;
        this.refunds.push({
          wallet: 'alipay',
          outRefundNo: biz.out_request_no ?? '',
          transactionId: order.transactionId,
          amount,
          ok,
        });
        if (!ok) return biz40004('ACQ.SELLER_BALANCE_NOT_ENOUGH', '卖家余额不足');
        order.refunded += amount;
        if (this.refundHangs.has('alipay')) return; // made; the answer is lost
        return send({
          code: '10000',
          msg: 'Success',
          trade_no: order.transactionId,
          out_trade_no: order.outTradeNo,
          refund_fee: yuan(order.refunded),
          fund_change: 'Y',
        });
      }
      default:
        return send({ code: '40004', msg: 'Business Failed', sub_code: 'isv.invalid-method' }, 'error_response');
    }
  }

  // --- Daily statements (for reconciliation) ----------------------------------------------
  /** WeChat trade bill (pay/downloadbill, bill_type=ALL) for the orders held now. */
  wechatBill(): string {
    const y = (f: number) => `\`${(f / 100).toFixed(2)}`;
    const head =
      '交易时间,公众账号ID,商户号,子商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,总金额,企业红包金额,微信退款单号,商户退款单号,退款金额,企业红包退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率';
    const rows: string[] = [];
    for (const o of this.orders.values()) {
      if (o.wallet !== 'wechat') continue;
      this.advance(o);
      if (o.state !== 'SUCCESS' && o.state !== 'REVOKED') continue;
      const base = [
        '`2026-12-05 12:00:00',
        `\`${this.wechatAppId}`,
        `\`${this.wechatMchId}`,
        '`0',
        '`',
        `\`${o.transactionId}`,
        `\`${o.outTradeNo}`,
        '`oEmu0000',
        '`MICROPAY',
      ];
      rows.push(
        [
          ...base,
          o.state === 'REVOKED' ? '`REVOKED' : '`SUCCESS',
          '`OTHERS',
          '`CNY',
          y(o.amount),
          '`0.00',
          '`0',
          '`0',
          '`0.00',
          '`0.00',
          '`',
          '`',
          '`POS',
          '`',
          '`0.00',
          '`0.60%',
        ].join(','),
      );
      for (const r of this.refunds.filter((x) => x.ok && x.transactionId === o.transactionId)) {
        rows.push(
          [
            ...base,
            '`REFUND',
            '`OTHERS',
            '`CNY',
            y(o.amount),
            '`0.00',
            '`5030',
            `\`${r.outRefundNo}`,
            y(r.amount),
            '`0.00',
            '`ORIGINAL',
            '`SUCCESS',
            '`POS',
            '`',
            '`0.00',
            '`0.60%',
          ].join(','),
        );
      }
    }
    return [
      head,
      ...rows,
      '总交易单数,总交易额,总退款金额,总企业红包退款金额,手续费总金额',
      `\`${rows.length},\`0.00,\`0.00,\`0.00,\`0.00`,
    ].join('\r\n');
  }

  /** Alipay account statement (业务明细) for the orders held now. */
  alipayStatement(): string {
    const head =
      '支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注';
    const rows: string[] = [];
    for (const o of this.orders.values()) {
      if (o.wallet !== 'alipay') continue;
      this.advance(o);
      if (o.state !== 'SUCCESS') continue;
      const y = (f: number) => (f / 100).toFixed(2);
      rows.push(
        [
          o.transactionId,
          o.outTradeNo,
          '交易',
          'POS',
          '2026-12-05 12:00:00',
          '2026-12-05 12:00:01',
          '',
          '',
          '',
          '',
          '159****5620',
          y(o.amount),
          y(o.amount),
          '0.00',
          '0.00',
          '0.00',
          '0.00',
          '0.00',
          '',
          '0.00',
          '0.00',
          '',
          '-0.11',
          '0.00',
          '',
        ].join(','),
      );
      for (const r of this.refunds.filter((x) => x.ok && x.transactionId === o.transactionId)) {
        rows.push(
          [
            o.transactionId,
            o.outTradeNo,
            '退款',
            'POS',
            '2026-12-05 12:00:00',
            '2026-12-05 13:00:00',
            '',
            '',
            '',
            '',
            '159****5620',
            `-${y(r.amount)}`,
            `-${y(r.amount)}`,
            '0.00',
            '0.00',
            '0.00',
            '0.00',
            '0.00',
            '',
            '0.00',
            '0.00',
            r.outRefundNo,
            '0.00',
            '0.00',
            '',
          ].join(','),
        );
      }
    }
    return [
      '#支付宝业务明细查询',
      `#账号：[2088000000000000]`,
      '#起始日期：[2026年12月05日 00:00:00]   终止日期：[2026年12月06日 00:00:00]',
      '#-----------------------------------------业务明细列表----------------------------------------',
      head,
      ...rows,
      '#-----------------------------------------业务明细列表结束------------------------------------',
      `#交易合计：${rows.length}笔`,
    ].join('\r\n');
  }
}
