// Till configuration (store name, cash rounding, discount limit, receipt width…).
export {
  defaultTillConfig,
  readTillConfig,
  patchTillConfig,
  writeTillConfig,
  tillConfigPatchSchema,
  scaleLabelRules,
  presetReason,
} from './till-config';
export type { TillConfigPatch } from './till-config';
export { setStoreSettings, storeSettingsOf } from './store-settings';
