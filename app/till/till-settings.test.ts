// The till's settings are read once from the environment and checked: a wrong value stops the
// start with the variable's name, an empty one means the default.
import { describe, expect, it } from 'vitest';
import { hostSettingsFromEnv } from '../host';
import { tillSettingsFromEnv } from './till-settings';

describe('till settings', () => {
  it('defaults: demo store, devices auto, 60 s paid screen, log level info, no sync', () => {
    expect(tillSettingsFromEnv({})).toEqual({
      dataDir: undefined,
      terminalId: undefined,
      storeId: undefined,
      seedDemo: true,
      kiosk: false,
      devices: 'auto',
      printer: undefined,
      scale: undefined,
      payments: undefined,
      paymentGateways: { wechatpay: undefined, alipay: undefined },
      customerDisplay: undefined,
      displayPaidHoldMs: 60_000,
      logLevel: 'info',
      sync: undefined,
      update: { url: undefined, channel: 'stable' },
    });
    expect(tillSettingsFromEnv({ POS_DEVICES: '', POS_SCALE: '', LOG_LEVEL: '' })).toMatchObject({
      devices: 'auto',
      scale: undefined,
      logLevel: 'info',
    });
  });

  it('passes every documented variable on', () => {
    const s = tillSettingsFromEnv({
      POS_DATA_DIR: '/var/lib/pos',
      POS_TERMINAL_ID: 'T02',
      POS_STORE_ID: 'S001',
      POS_DEMO: '0',
      POS_KIOSK: '1',
      POS_DEVICES: 'configured',
      POS_PRINTER: 'tcp://192.168.1.50:9100',
      POS_SCALE: 'serial:/dev/ttyUSB1?baud=9600',
      POS_CUSTOMER_DISPLAY: '1',
      POS_DISPLAY_PAID_SECONDS: '15',
      LOG_LEVEL: 'debug',
      POS_PAYMENTS: 'emulated',
      POS_WECHATPAY: '/etc/pos/wechatpay.json',
      POS_ALIPAY: '/etc/pos/alipay.json',
      POS_UPDATE_URL: 'https://updates.example.com/edge-pos/',
      POS_UPDATE_CHANNEL: 'beta',
    });
    expect(s).toEqual({
      dataDir: '/var/lib/pos',
      terminalId: 'T02',
      storeId: 'S001',
      seedDemo: false,
      kiosk: true,
      devices: 'configured',
      printer: 'tcp://192.168.1.50:9100',
      scale: 'serial:/dev/ttyUSB1?baud=9600',
      payments: 'emulated',
      paymentGateways: { wechatpay: '/etc/pos/wechatpay.json', alipay: '/etc/pos/alipay.json' },
      customerDisplay: '1',
      displayPaidHoldMs: 15_000,
      logLevel: 'debug',
      sync: undefined,
      update: { url: 'https://updates.example.com/edge-pos/', channel: 'beta' },
    });
    // The web host takes the same till settings plus where it listens.
    expect(hostSettingsFromEnv({ POS_SCALE: 'serial:/dev/ttyUSB1', POS_DEMO: '0', POS_PORT: '0' })).toMatchObject({
      scale: 'serial:/dev/ttyUSB1',
      seedDemo: false,
      port: 0,
      logLevel: 'info',
    });
  });

  it('gives the till its shelf-label printer (TSPL unless told ZPL), also through the web host', () => {
    expect(tillSettingsFromEnv({ POS_LABEL_PRINTER: 'tcp://192.168.1.60:9100' }).labelPrinter).toEqual({
      uri: 'tcp://192.168.1.60:9100',
      language: 'tspl',
    });
    expect(
      hostSettingsFromEnv({ POS_LABEL_PRINTER: 'usb:/dev/usb/lp1', POS_LABEL_LANGUAGE: 'zpl' }).labelPrinter,
    ).toEqual({ uri: 'usb:/dev/usb/lp1', language: 'zpl' });
    expect(tillSettingsFromEnv({}).labelPrinter).toBeUndefined();
    expect(() => tillSettingsFromEnv({ POS_LABEL_LANGUAGE: 'epl' })).toThrow(/POS_LABEL_LANGUAGE must be tspl or zpl/);
  });

  it('refuses a wrong value with the variable named', () => {
    expect(() => tillSettingsFromEnv({ POS_DEVICES: 'some' })).toThrow(
      /POS_DEVICES must be one of none, emulated, configured, auto, got "some"/,
    );
    expect(() => tillSettingsFromEnv({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL must be one of/);
    expect(() => tillSettingsFromEnv({ POS_DEMO: 'no' })).toThrow(/POS_DEMO must be 1 or 0/);
    expect(() => tillSettingsFromEnv({ POS_KIOSK: 'yes' })).toThrow(/POS_KIOSK must be 1 or 0/);
    expect(() => tillSettingsFromEnv({ POS_PAYMENTS: 'real' })).toThrow(
      /POS_PAYMENTS must be auto, emulated or sandbox, got "real"/,
    );
    expect(() => hostSettingsFromEnv({ POS_PORT: '80a' })).toThrow(/POS_PORT/);
    // The update server: https only (http on this machine for a test server), no credentials in it.
    for (const bad of ['http://updates.example.com/', 'https://u:p@updates.example.com/', 'ftp://x/', 'updates'])
      expect(() => tillSettingsFromEnv({ POS_UPDATE_URL: bad }), bad).toThrow(/POS_UPDATE_URL must be an https/);
    expect(tillSettingsFromEnv({ POS_UPDATE_URL: 'http://127.0.0.1:9000/u/' }).update.url).toBe(
      'http://127.0.0.1:9000/u/',
    );
    expect(() => tillSettingsFromEnv({ POS_UPDATE_CHANNEL: 'nightly' })).toThrow(
      /POS_UPDATE_CHANNEL must be stable or beta/,
    );
  });
});
