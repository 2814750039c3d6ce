// Gateway settings: POS_WECHATPAY and POS_ALIPAY name JSON files; keys and certificates are
// read from files that only the till's user may read (mode 0600 or stricter — anything
// group/world-readable is refused) and never logged. Which wallet a code belongs to is
// decided by its prefix (paymentCodeWallet); the router sends each call to that wallet's client.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { AlipayF2FProvider, ALIPAY_DEFAULT_GATEWAY } from './alipay-f2f';
import { PaymentGatewayUnreachable } from './payment-code-provider';
import type {
  PaymentCodeChargeRequest,
  PaymentCodeOrderRef,
  PaymentCodeProvider,
  PaymentCodeRefundRequest,
  PaymentWallet,
} from './payment-code-provider';
import { WechatPayV2Provider, WECHATPAY_DEFAULT_BASE_URL } from './wechat-pay-v2';

/** Reads a key file; refuses one that group or others can read. The content is never logged. */
export function readSecretFile(path: string): string {
  const st = statSync(path);
  if ((st.mode & 0o077) !== 0) {
    throw new Error(
      `${path}: key files must be readable by the till's user only (chmod 600); mode is ${(st.mode & 0o777).toString(8)}`,
    );
  }
  return readFileSync(path, 'utf8');
}

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'http(s) URL');
const wechatFile = z
  .object({
    baseUrl: httpUrl.default(WECHATPAY_DEFAULT_BASE_URL),
    appId: z.string().min(1).max(32),
    mchId: z.string().regex(/^\d{1,32}$/),
    keyFile: z.string().min(1),
    certFile: z.string().min(1).optional(),
    timeoutMs: z.number().int().min(100).max(60_000).optional(),
  })
  .strict();
const alipayFile = z
  .object({
    gatewayUrl: httpUrl.default(ALIPAY_DEFAULT_GATEWAY),
    appId: z.string().min(1).max(32),
    privateKeyFile: z.string().min(1),
    alipayPublicKeyFile: z.string().min(1),
    timeoutMs: z.number().int().min(100).max(60_000).optional(),
  })
  .strict();

function settingsFile<T>(path: string, schema: z.ZodType<T>, what: string): T {
  const parsed = schema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success)
    throw new Error(
      `${what} settings ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

export function wechatPayFromFile(path: string): WechatPayV2Provider {
  const s = settingsFile(path, wechatFile, 'POS_WECHATPAY');
  const rel = (p: string) => resolve(dirname(path), p);
  const apiKey = readSecretFile(rel(s.keyFile)).trim();
  if (!/^[A-Za-z0-9]{32}$/.test(apiKey))
    throw new Error(`${s.keyFile}: the WeChat Pay API key is 32 letters and digits`);
  let tls: { cert: string; key: string } | undefined;
  if (s.certFile) {
    // apiclient_cert.pem + apiclient_key.pem concatenated into one PEM file.
    const pem = readSecretFile(rel(s.certFile));
    tls = { cert: pem, key: pem };
  }
  return new WechatPayV2Provider({
    baseUrl: s.baseUrl,
    appId: s.appId,
    mchId: s.mchId,
    apiKey,
    tls,
    timeoutMs: s.timeoutMs,
  });
}

export function alipayFromFile(path: string): AlipayF2FProvider {
  const s = settingsFile(path, alipayFile, 'POS_ALIPAY');
  const rel = (p: string) => resolve(dirname(path), p);
  const privateKey = createPrivateKey(readSecretFile(rel(s.privateKeyFile)));
  const alipayPublicKey = createPublicKey(readFileSync(rel(s.alipayPublicKeyFile), 'utf8'));
  return new AlipayF2FProvider({
    gatewayUrl: s.gatewayUrl,
    appId: s.appId,
    privateKey,
    alipayPublicKey,
    timeoutMs: s.timeoutMs,
  });
}

/** Sends each call to the wallet's own client. */
export class WalletRouter implements PaymentCodeProvider {
  constructor(
    private readonly by: Record<PaymentWallet, PaymentCodeProvider | null>,
    readonly name = 'gateway',
  ) {}
  private pick(w: PaymentWallet): PaymentCodeProvider {
    const p = this.by[w];
    // Nothing can be charged through a wallet the till has no settings for: refuse at once.
    if (!p)
      throw new PaymentGatewayUnreachable(`${w === 'wechat' ? 'WeChat Pay' : 'Alipay'} is not set up on this till`);
    return p;
  }
  async charge(r: PaymentCodeChargeRequest) {
    return this.pick(r.wallet).charge(r);
  }
  async query(r: PaymentCodeOrderRef) {
    return this.pick(r.wallet).query(r);
  }
  async reverse(r: PaymentCodeOrderRef) {
    return this.pick(r.wallet).reverse(r);
  }
  async refund(r: PaymentCodeRefundRequest) {
    return this.pick(r.wallet).refund(r);
  }
}

/** Settings files of the real gateways (the till's entries read POS_WECHATPAY / POS_ALIPAY). */
export interface PaymentGatewayFiles {
  wechatpay?: string;
  alipay?: string;
}

/** The till's gateway clients from their settings files, or null when neither is given. */
export function paymentProviderFromFiles(files: PaymentGatewayFiles = {}): WalletRouter | null {
  if (!files.wechatpay && !files.alipay) return null;
  return new WalletRouter({
    wechat: files.wechatpay ? wechatPayFromFile(files.wechatpay) : null,
    alipay: files.alipay ? alipayFromFile(files.alipay) : null,
  });
}
