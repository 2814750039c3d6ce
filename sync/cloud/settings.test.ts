// The cloud's settings: demo secrets only when asked for, never in production, and a real
// admin token otherwise. (test/sync/cloud-demo.test.ts runs the same rules on the real process.)
import { describe, expect, it } from 'vitest';
import { cloudSettingsFromEnv } from './settings';

const TOKEN = 'a-real-secret-of-hq-0123456789';

describe('cloudSettingsFromEnv', () => {
  it('is not in demo mode unless CLOUD_DEMO=1 or --demo', () => {
    const s = cloudSettingsFromEnv({ CLOUD_ADMIN_TOKEN: TOKEN }, []);
    expect(s.demo).toBe(false);
    expect(s.demoEnrollCode).toBeUndefined();
    expect(s.adminToken).toBe(TOKEN);
    expect(cloudSettingsFromEnv({}, ['--demo']).demo).toBe(true);
    expect(cloudSettingsFromEnv({ CLOUD_DEMO: '1' }, []).demo).toBe(true);
  });

  it('demo mode keeps the documented defaults, overridable, and DEMO_ENROLL_CODE= turns the code off', () => {
    expect(cloudSettingsFromEnv({ CLOUD_DEMO: '1' }, [])).toMatchObject({
      demo: true,
      adminToken: undefined,
      demoEnrollCode: undefined,
      demoStoreId: 'S001',
    });
    expect(cloudSettingsFromEnv({ CLOUD_DEMO: '1', DEMO_ENROLL_CODE: '' }, []).demoEnrollCode).toBe('');
  });

  it('refuses demo mode in production, a missing, short or public admin token, and a demo code without demo mode', () => {
    expect(() => cloudSettingsFromEnv({ CLOUD_DEMO: '1', NODE_ENV: 'production' }, [])).toThrow(/NODE_ENV=production/);
    expect(() => cloudSettingsFromEnv({ NODE_ENV: 'production' }, ['--demo'])).toThrow(/NODE_ENV=production/);
    expect(() => cloudSettingsFromEnv({}, [])).toThrow(/CLOUD_ADMIN_TOKEN/);
    expect(() => cloudSettingsFromEnv({ CLOUD_ADMIN_TOKEN: 'short' }, [])).toThrow(/at least 16/);
    expect(() => cloudSettingsFromEnv({ CLOUD_ADMIN_TOKEN: 'demo-admin-token' }, [])).toThrow(/CLOUD_ADMIN_TOKEN/);
    expect(() => cloudSettingsFromEnv({ CLOUD_ADMIN_TOKEN: TOKEN, DEMO_ENROLL_CODE: 'X' }, [])).toThrow(/CLOUD_DEMO=1/);
    expect(() => cloudSettingsFromEnv({ CLOUD_DEMO: 'yes' }, [])).toThrow(/1 or 0/);
  });

  it('sizes the write and read pools apart, and refuses a nonsense size', () => {
    expect(cloudSettingsFromEnv({ CLOUD_DEMO: '1' }, [])).toMatchObject({ writePool: 8, readPool: 4 });
    expect(
      cloudSettingsFromEnv({ CLOUD_DEMO: '1', CLOUD_DB_WRITE_POOL: '12', CLOUD_DB_READ_POOL: '6' }, []),
    ).toMatchObject({ writePool: 12, readPool: 6 });
    expect(() => cloudSettingsFromEnv({ CLOUD_DEMO: '1', CLOUD_DB_READ_POOL: '0' }, [])).toThrow(/CLOUD_DB_READ_POOL/);
    expect(() => cloudSettingsFromEnv({ CLOUD_DEMO: '1', CLOUD_DB_WRITE_POOL: 'many' }, [])).toThrow(
      /CLOUD_DB_WRITE_POOL/,
    );
  });

  it('turns the WeCom callback on only with all three of token, AES key and corp id', () => {
    expect(cloudSettingsFromEnv({ CLOUD_DEMO: '1' }, []).wecom).toBeUndefined();
    const key = 'a'.repeat(43);
    expect(
      cloudSettingsFromEnv({ CLOUD_DEMO: '1', WECOM_TOKEN: 'tok123', WECOM_AES_KEY: key, WECOM_CORP_ID: 'ww1' }, [])
        .wecom,
    ).toEqual({ token: 'tok123', encodingAesKey: key, corpId: 'ww1' });
    expect(() => cloudSettingsFromEnv({ CLOUD_DEMO: '1', WECOM_TOKEN: 'tok123' }, [])).toThrow(/WECOM_AES_KEY/);
    expect(() =>
      cloudSettingsFromEnv(
        { CLOUD_DEMO: '1', WECOM_TOKEN: 'tok123', WECOM_AES_KEY: 'short', WECOM_CORP_ID: 'ww1' },
        [],
      ),
    ).toThrow(/43-character/);
  });

  it("takes WeCom's API secret and URL only beside the callback settings", () => {
    const base = { CLOUD_DEMO: '1', WECOM_TOKEN: 'tok123', WECOM_AES_KEY: 'a'.repeat(43), WECOM_CORP_ID: 'ww1' };
    expect(
      cloudSettingsFromEnv({ ...base, WECOM_SECRET: 's3cret', WECOM_API_URL: 'http://127.0.0.1:9/' }, []).wecom,
    ).toMatchObject({ secret: 's3cret', apiUrl: 'http://127.0.0.1:9/' });
    expect(() => cloudSettingsFromEnv({ CLOUD_DEMO: '1', WECOM_SECRET: 's3cret' }, [])).toThrow(/WECOM_TOKEN/);
    expect(() => cloudSettingsFromEnv({ ...base, WECOM_API_URL: 'not a url' }, [])).toThrow(/WECOM_API_URL/);
  });
});
