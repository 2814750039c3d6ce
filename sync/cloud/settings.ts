// Settings of `npm run cloud` from the environment and argv. Demo secrets are opt-in
// (`CLOUD_DEMO=1` or `--demo`) and never with NODE_ENV=production; outside demo mode an admin
// token of at least 16 characters is required, so a forgotten variable stops the start
// instead of leaving a guessable token in place.
import pino from 'pino';
import { z } from 'zod';
import type { CloudOptions } from './cloud-server';
import { CloudConfigError, DEMO_ADMIN_TOKEN } from './cloud-server';
import type { OrderWebhookSettings } from './order-webhooks';
import { wecomSettings, type WecomSettings } from './wecom-provider';

export const MIN_ADMIN_TOKEN_LENGTH = 16;
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export function cloudSettingsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  argv: string[] = process.argv.slice(2),
): CloudOptions {
  const demo = env['CLOUD_DEMO'] === '1' || argv.includes('--demo');
  if (env['CLOUD_DEMO'] && !['0', '1'].includes(env['CLOUD_DEMO']))
    throw new CloudConfigError(`CLOUD_DEMO must be 1 or 0, got "${env['CLOUD_DEMO']}"`);
  if (demo && env['NODE_ENV'] === 'production') {
    throw new CloudConfigError(
      'CLOUD_DEMO refused with NODE_ENV=production: the demo pairing code and admin token are public',
    );
  }
  const adminToken = env['CLOUD_ADMIN_TOKEN'] || undefined;
  if (!demo) {
    if (env['DEMO_ENROLL_CODE'] !== undefined)
      throw new CloudConfigError(
        'DEMO_ENROLL_CODE is set but demo mode is off: set CLOUD_DEMO=1 for a demo, or unset it',
      );
    if (!adminToken || adminToken === DEMO_ADMIN_TOKEN || adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
      throw new CloudConfigError(
        `set CLOUD_ADMIN_TOKEN to a secret of at least ${MIN_ADMIN_TOKEN_LENGTH} characters (or CLOUD_DEMO=1 for the demo with public secrets)`,
      );
    }
  }
  const databaseUrl = env['DATABASE_URL'] || undefined;
  const level = logLevel.safeParse(env['LOG_LEVEL'] || 'info');
  if (!level.success)
    throw new CloudConfigError(`LOG_LEVEL must be one of ${logLevel.options.join(', ')}, got "${env['LOG_LEVEL']}"`);
  const pool = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 200)
      throw new CloudConfigError(`${name} must be a whole number from 1 to 200, got "${raw}"`);
    return n;
  };
  return {
    production: env['NODE_ENV'] === 'production',
    log: pino({ name: 'sync-cloud', level: level.data }),
    port: Number(env['CLOUD_PORT'] ?? 8790),
    host: env['CLOUD_HOST'] ?? '127.0.0.1',
    databaseUrl,
    dataDir: databaseUrl ? undefined : env['CLOUD_DATA_DIR'] || '.data/cloud',
    schema: env['CLOUD_SCHEMA'] || 'sync',
    writePool: pool('CLOUD_DB_WRITE_POOL', 8),
    readPool: pool('CLOUD_DB_READ_POOL', 4),
    pushConcurrency: pool('CLOUD_PUSH_CONCURRENCY', 4),
    adminToken,
    demo,
    // DEMO_ENROLL_CODE= (empty) turns the reusable demo code off even in demo mode.
    demoEnrollCode: demo ? env['DEMO_ENROLL_CODE'] : undefined,
    demoStoreId: env['DEMO_STORE_ID'] || 'S001',
    wecom: wecomFromEnv(env),
    orders: {
      expiryMinutes: positive(env, 'ORDER_EXPIRY_MINUTES'),
      sweepMs: positive(env, 'ORDER_SWEEP_MS'),
      webhook: webhookFromEnv(env),
    },
  };
}

/** An optional positive number setting; a value that is not one stops the start with its name. */
function positive(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new CloudConfigError(`${name} must be a positive number, got "${raw}"`);
  return n;
}

/** ORDER_WEBHOOK_URL and ORDER_WEBHOOK_SECRET: both or none (docs/orders.md, webhooks). */
function webhookFromEnv(env: NodeJS.ProcessEnv): OrderWebhookSettings | undefined {
  const url = env['ORDER_WEBHOOK_URL'];
  const secret = env['ORDER_WEBHOOK_SECRET'];
  if (!url && !secret) return undefined;
  if (!url || !/^https?:\/\//.test(url) || !secret || secret.length < 16)
    throw new CloudConfigError(
      'ORDER_WEBHOOK_URL (http:// or https://) and ORDER_WEBHOOK_SECRET (at least 16 characters) must both be set',
    );
  return {
    url,
    secret,
    baseDelayMs: positive(env, 'ORDER_WEBHOOK_RETRY_MS'),
    pollMs: positive(env, 'ORDER_WEBHOOK_POLL_MS'),
  };
}

/**
 * WECOM_TOKEN, WECOM_AES_KEY, WECOM_CORP_ID: all three or none. WECOM_SECRET (the 客户联系
 * secret) turns on WeCom's API (store contact ways, welcome messages); WECOM_API_URL overrides
 * https://qyapi.weixin.qq.com (an emulator).
 */
function wecomFromEnv(env: NodeJS.ProcessEnv): WecomSettings | undefined {
  const raw = { token: env['WECOM_TOKEN'], encodingAesKey: env['WECOM_AES_KEY'], corpId: env['WECOM_CORP_ID'] };
  const api = { secret: env['WECOM_SECRET'] || undefined, apiUrl: env['WECOM_API_URL'] || undefined };
  if (!raw.token && !raw.encodingAesKey && !raw.corpId) {
    if (api.secret || api.apiUrl)
      throw new CloudConfigError('WECOM_SECRET / WECOM_API_URL need WECOM_TOKEN, WECOM_AES_KEY and WECOM_CORP_ID');
    return undefined;
  }
  const r = wecomSettings.safeParse({ ...raw, ...api });
  if (!r.success)
    throw new CloudConfigError(
      'WECOM_TOKEN (3-32 characters), WECOM_AES_KEY (the 43-character EncodingAESKey) and WECOM_CORP_ID must all be set; WECOM_SECRET up to 128 characters, WECOM_API_URL a URL',
    );
  return r.data;
}
