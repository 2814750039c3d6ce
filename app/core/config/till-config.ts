// Till configuration: defaults, the schema a patch must satisfy, and persistence in the kv
// table. storeId/terminalId come from provisioning and cannot be patched here.
import { z } from 'zod';
import { PosError, type TillConfig } from '../../contract';
import type { Db } from '../db';
import { replicationFor } from '../replication';
import { DEFAULT_TIME_ZONE, isTimeZone } from '../footfall-math';
import { SCALE_LABEL_PRESETS, variableMeasureRuleSchema, type VariableMeasureRule } from '../barcode';

const reasonCodeSchema = z.string().regex(/^[a-z0-9-]{1,40}$/, 'a reason code is a-z, 0-9 and -');
const reasonPresets = z
  .array(
    z
      .object({
        code: reasonCodeSchema,
        zh: z.string().trim().min(1).max(40),
        en: z.string().trim().min(1).max(40),
      })
      .strict(),
  )
  .max(9)
  .refine((list) => new Set(list.map((r) => r.code)).size === list.length, 'reason codes must differ');

export const tillConfigPatchSchema = z
  .object({
    storeName: z.string().trim().min(1).max(80),
    currency: z.literal('CNY'),
    lang: z.enum(['zh-CN', 'en']),
    cashRounding: z.object({ mode: z.enum(['none', 'down', 'nearest']), unit: z.number().int().min(1).max(100) }),
    maxCashierDiscountPercent: z.number().int().min(0).max(100),
    receiptWidth: z.union([z.literal(58), z.literal(80)]),
    wecomQrUrl: z.string().url().max(500).nullable(),
    wecomLinkUrl: z.string().url().max(500).nullable(),
    timeZone: z.string().max(64).refine(isTimeZone, 'not a known IANA time zone (e.g. Asia/Shanghai)'),
    wedge: z.object({
      prefix: z.string().max(8),
      suffix: z.string().max(8),
      maxInterKeyMs: z.number().int().min(1).max(1000),
      minLength: z.number().int().min(1).max(64),
    }),
    pointsRule: z.object({
      fenPerPoint: z.number().int().min(1).max(1_000_000),
      levelPercent: z.record(z.string().min(1).max(20), z.number().int().min(0).max(1000)),
    }),
    scaleLabels: z
      .object({
        preset: z.enum(['cn-scale', 'dahua', 'aclas', 'gs1-europe', 'custom']),
        rules: z.array(variableMeasureRuleSchema).min(1).max(20).optional(),
        amountToleranceFen: z.number().int().min(0).max(100),
      })
      .strict()
      .refine((c) => c.preset !== 'custom' || c.rules !== undefined, 'a custom preset needs rules'),
    wasteApprovalFen: z.number().int().min(0).max(10_000_000),
    storedValue: z
      .object({
        minTopUp: z.number().int().min(1).max(10_000_000),
        maxTopUp: z.number().int().min(1).max(10_000_000),
        bonusRules: z
          .array(
            z.object({
              minTopUp: z.number().int().min(1).max(10_000_000),
              bonus: z.number().int().min(0).max(10_000_000),
            }),
          )
          .max(20),
        offlineDailyCapFen: z.number().int().min(0).max(10_000_000),
      })
      .strict()
      .refine((c) => c.minTopUp <= c.maxTopUp, 'minTopUp is above maxTopUp'),
    pointsRedemption: z.object({ fenPerPoint: z.number().int().min(1).max(10_000) }).strict(),
    // At most 9 presets each: the cashier picks one with a digit (0 = other, free text).
    reasons: z.object({ void: reasonPresets, noSale: reasonPresets }).strict(),
  })
  .partial()
  .strict();

export type TillConfigPatch = z.infer<typeof tillConfigPatchSchema>;

export function defaultTillConfig(storeId: string, terminalId: string): TillConfig {
  return {
    storeId,
    storeName: 'Store',
    terminalId,
    currency: 'CNY',
    lang: 'zh-CN',
    cashRounding: { mode: 'none', unit: 10 },
    maxCashierDiscountPercent: 10,
    receiptWidth: 58,
    wecomQrUrl: null,
    wecomLinkUrl: null,
    timeZone: DEFAULT_TIME_ZONE,
    wedge: { prefix: '', suffix: '\r', maxInterKeyMs: 30, minLength: 4 },
    pointsRule: { fenPerPoint: 100, levelPercent: { silver: 100, gold: 150, platinum: 200 } },
    scaleLabels: { preset: 'cn-scale', amountToleranceFen: 1 },
    wasteApprovalFen: 5000,
    storedValue: {
      minTopUp: 1000,
      maxTopUp: 500_000,
      bonusRules: [
        { minTopUp: 20_000, bonus: 5000 },
        { minTopUp: 50_000, bonus: 15_000 },
      ],
      offlineDailyCapFen: 50_000,
    },
    pointsRedemption: { fenPerPoint: 1 },
    reasons: {
      void: [
        { code: 'customer-cancelled', zh: '顾客不要了', en: 'Customer changed their mind' },
        { code: 'scan-error', zh: '扫错商品', en: 'Wrong items scanned' },
        { code: 'cannot-pay', zh: '顾客无法付款', en: 'Customer cannot pay' },
        { code: 'price-dispute', zh: '价格有异议', en: 'Price dispute' },
      ],
      noSale: [
        { code: 'give-change', zh: '兑换零钱', en: 'Change for a customer' },
        { code: 'cash-check', zh: '清点钱箱', en: 'Drawer check' },
        { code: 'till-error', zh: '收银差错更正', en: 'Correct a till error' },
      ],
    },
  };
}

const KEY = 'till-config';

export function readTillConfig(db: Db, storeId: string, terminalId: string): TillConfig {
  const row = db.prepare('SELECT value FROM kv WHERE key = ?').get(KEY) as { value: string } | undefined;
  const stored = row ? (JSON.parse(row.value) as Partial<TillConfig>) : {};
  return { ...defaultTillConfig(storeId, terminalId), ...stored, storeId, terminalId };
}

/** Validates and applies a patch; returns the new config and which keys changed. */
export function patchTillConfig(
  db: Db,
  storeId: string,
  terminalId: string,
  patch: unknown,
  at: Date,
): { config: TillConfig; changed: string[] } {
  const parsed = tillConfigPatchSchema.safeParse(patch);
  if (!parsed.success) {
    throw new PosError('BAD_INPUT', {
      reason: 'config',
      fields: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
      issues: parsed.error.issues,
    });
  }
  const current = readTillConfig(db, storeId, terminalId);
  const next: TillConfig = { ...current, ...parsed.data } as TillConfig;
  const changed = Object.keys(parsed.data).filter(
    (k) =>
      JSON.stringify((current as unknown as Record<string, unknown>)[k]) !==
      JSON.stringify((next as unknown as Record<string, unknown>)[k]),
  );
  writeTillConfig(db, next, at);
  if (changed.length)
    replicationFor(db)?.config(
      Object.fromEntries(changed.map((k) => [k, (next as unknown as Record<string, unknown>)[k]])),
    );
  return { config: next, changed };
}

export function writeTillConfig(db: Db, config: TillConfig, at: Date): void {
  const { storeId: _s, terminalId: _t, ...rest } = config;
  db.prepare(
    'INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  ).run(KEY, JSON.stringify(rest), at.toISOString());
}

/**
 * The preset a reason code names in this store's config, or null for free text ("other").
 * A code the config does not list is refused: the audit must never carry a code nobody can read.
 */
export function presetReason(config: TillConfig, kind: 'void' | 'noSale', code: string | undefined): string | null {
  if (code === undefined) return null;
  const preset = config.reasons[kind].find((r) => r.code === code);
  if (!preset) throw new PosError('BAD_INPUT', { reason: 'reason-code', code });
  return preset.code;
}

/** The label rules the till reads scale labels with: the preset's, or the store's own. */
export function scaleLabelRules(config: TillConfig): VariableMeasureRule[] {
  const c = config.scaleLabels;
  if (c.preset === 'custom') return c.rules ?? SCALE_LABEL_PRESETS['cn-scale'];
  return SCALE_LABEL_PRESETS[c.preset];
}
