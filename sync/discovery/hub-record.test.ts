// A hub heard on the LAN is listed only when its TXT record is ours and an address can be used:
// the store id comes from TXT (checked), the address the answer came from wins, and a hub heard
// twice is listed once. Anything else on the network (another service, a bad record) is ignored.
import { describe, expect, it } from 'vitest';
import { hubFromService, hubInstanceName, hubTxt, uniqueHubs } from './hub-record';

const heard = (over: Record<string, unknown> = {}) => ({
  name: hubInstanceName('S001', 'HS001'),
  port: 8791,
  txt: hubTxt('S001', 'HS001'),
  addresses: ['192.168.1.10'],
  referer: { address: '192.168.1.10' },
  ...over,
});

describe('a hub heard on the LAN', () => {
  it('is listed with its store and the address it answered from', () => {
    expect(hubFromService(heard())).toEqual({
      name: 'EdgePOS hub S001 HS001',
      storeId: 'S001',
      hubId: 'HS001',
      url: 'http://192.168.1.10:8791',
    });
    // The answer came over another interface than the first advertised address: that one reached us.
    expect(hubFromService(heard({ referer: { address: '10.0.0.5' } }))?.url).toBe('http://10.0.0.5:8791');
  });

  it('reads TXT values that arrive as bytes', () => {
    const txt = { store: Buffer.from('S002'), hub: Buffer.from('HS002'), v: Buffer.from('1') };
    expect(hubFromService(heard({ txt }))).toMatchObject({ storeId: 'S002', hubId: 'HS002' });
  });

  it('falls back to an advertised IPv4 address, and puts global IPv6 in brackets', () => {
    expect(hubFromService(heard({ referer: undefined, addresses: ['fe80::1', '192.168.1.11'] }))?.url).toBe(
      'http://192.168.1.11:8791',
    );
    expect(hubFromService(heard({ referer: { address: '2001:db8::7' }, addresses: [] }))?.url).toBe(
      'http://[2001:db8::7]:8791',
    );
    // Link-local IPv6 only: a browser cannot use it in a URL.
    expect(hubFromService(heard({ referer: { address: 'fe80::1' }, addresses: ['fe80::1'] }))).toBeNull();
  });

  it('is ignored when the record is not a hub of ours or is malformed', () => {
    expect(hubFromService(heard({ txt: {} }))).toBeNull();
    expect(hubFromService(heard({ txt: { ...hubTxt('S001', 'HS001'), v: '2' } }))).toBeNull();
    expect(hubFromService(heard({ txt: { store: 'S 001; rm', v: '1' } }))).toBeNull();
    expect(hubFromService(heard({ txt: { store: 'x'.repeat(33), v: '1' } }))).toBeNull();
    expect(hubFromService(heard({ port: 0 }))).toBeNull();
    expect(hubFromService(heard({ port: '8791' }))).toBeNull();
    expect(hubFromService(heard({ port: 70000 }))).toBeNull();
    expect(hubFromService({})).toBeNull();
  });

  it('holds no secret in what it announces', () => {
    expect(Object.keys(hubTxt('S001', 'HS001')).sort()).toEqual(['hub', 'store', 'v']);
  });

  it('is listed once when heard twice, ordered by store', () => {
    const a = hubFromService(heard())!;
    const b = hubFromService(heard({ txt: hubTxt('S000', 'HS000'), referer: { address: '192.168.1.9' } }))!;
    expect(uniqueHubs([a, b, a]).map((h) => h.storeId)).toEqual(['S000', 'S001']);
  });
});
