import { describe, expect, it } from 'vitest';
import { hostSettingsFromEnv } from '../host';
import { syncSettingsFromEnv } from './sync-settings';

describe('sync settings from env', () => {
  it('is off without HUB_URL and CLOUD_URL', () => {
    expect(syncSettingsFromEnv({ ENROLL_CODE: 'X' })).toBeUndefined();
    expect(hostSettingsFromEnv({}).sync).toBeUndefined();
  });

  it('takes the hub and/or the cloud with the pairing code', () => {
    expect(syncSettingsFromEnv({ HUB_URL: 'http://10.0.0.2:8791', ENROLL_CODE: 'DEMO-S001-2026' })).toEqual({
      hubUrl: 'http://10.0.0.2:8791',
      cloudUrl: undefined,
      enrollCode: 'DEMO-S001-2026',
    });
    const s = hostSettingsFromEnv({
      CLOUD_URL: 'https://cloud.example.cn',
      ENROLL_CODE: 'C',
      POS_STORE_ID: 'S001',
      POS_TERMINAL_ID: 'T02',
    });
    expect(s).toMatchObject({
      storeId: 'S001',
      terminalId: 'T02',
      sync: { cloudUrl: 'https://cloud.example.cn', enrollCode: 'C' },
    });
    expect(
      syncSettingsFromEnv({ CLOUD_URL: 'http://127.0.0.1:8790', ENROLL_CODE: 'C', ENROLL_REPLACE: '1' })?.enrollReplace,
    ).toBe(true);
  });

  it('refuses a URL without a pairing code, and a malformed URL, with the variable named', () => {
    expect(() => syncSettingsFromEnv({ CLOUD_URL: 'http://127.0.0.1:8790' })).toThrow(/ENROLL_CODE/);
    expect(() => syncSettingsFromEnv({ HUB_URL: '10.0.0.2:8791', ENROLL_CODE: 'C' })).toThrow(/HUB_URL/);
  });
});
