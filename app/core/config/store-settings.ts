// Store settings (settings.get / settings.set): the part of the till config a store manager
// changes from the back office. A change is validated by the till config schema, applied on this
// till and replicated under the store-wide config key, which every till of the store applies
// (sync/core/authorship.ts lets a store device write exactly these fields there).
import { PosError, type StoreSettings, type TillConfig } from '../../contract';
import { STORE_SETTING_FIELDS } from '../../../sync/core';
import type { Db } from '../db';
import { replicationFor } from '../replication';
import { readTillConfig, tillConfigPatchSchema, writeTillConfig } from './till-config';

export function storeSettingsOf(config: TillConfig): StoreSettings {
  return {
    cashRounding: config.cashRounding,
    maxCashierDiscountPercent: config.maxCashierDiscountPercent,
    receiptWidth: config.receiptWidth,
    wecomQrUrl: config.wecomQrUrl,
    wedge: config.wedge,
    timeZone: config.timeZone,
    wasteApprovalFen: config.wasteApprovalFen,
    reasons: config.reasons,
  };
}

/** Validates and applies a store settings patch; replicates the changed fields store-wide. */
export function setStoreSettings(
  db: Db,
  storeId: string,
  terminalId: string,
  patch: Record<string, unknown>,
  at: Date,
): { settings: StoreSettings; changed: string[] } {
  const allowed: readonly string[] = STORE_SETTING_FIELDS;
  const other = Object.keys(patch).filter((k) => !allowed.includes(k));
  if (other.length) throw new PosError('BAD_INPUT', { reason: 'not-a-store-setting', fields: other.join(', ') });
  const parsed = tillConfigPatchSchema.safeParse(patch);
  if (!parsed.success)
    throw new PosError('BAD_INPUT', {
      reason: 'config',
      fields: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
      issues: parsed.error.issues,
    });
  const current = readTillConfig(db, storeId, terminalId);
  const next = { ...current, ...parsed.data } as TillConfig;
  const before = storeSettingsOf(current) as Record<string, unknown>;
  const after = storeSettingsOf(next) as Record<string, unknown>;
  const changed = Object.keys(parsed.data).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  writeTillConfig(db, next, at);
  if (changed.length) replicationFor(db)?.storeSettings?.(Object.fromEntries(changed.map((k) => [k, after[k]])));
  return { settings: storeSettingsOf(next), changed };
}
