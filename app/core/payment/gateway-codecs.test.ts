import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { alipaySignContent, parseFlatXml, rsa2Sign, rsa2Verify, toXml, wechatSign, wechatVerify } from './index';
import { rawJsonValue } from './alipay-f2f';

describe('WeChat Pay v2 codec', () => {
  it('signs HMAC-SHA256 over sorted non-empty fields with &key=, upper-case hex; verifies and rejects tampering', () => {
    const key = '192006250b4c09247ec02edce69f6a2d';
    const p = {
      appid: 'wxd930ea5d5a258f4f',
      mch_id: '10000100',
      body: 'test',
      nonce_str: 'ibuaiVcKdpRxkhJA',
      device_info: '1000',
      empty: '',
    };
    const sign = wechatSign(p, key);
    expect(sign).toMatch(/^[0-9A-F]{64}$/);
    // Field order and empty values do not matter; the key does.
    expect(
      wechatSign(
        { nonce_str: p.nonce_str, body: 'test', mch_id: '10000100', appid: p.appid, device_info: '1000' },
        key,
      ),
    ).toBe(sign);
    expect(wechatVerify({ ...p, sign }, key)).toBe(true);
    expect(wechatVerify({ ...p, body: 'tEst', sign }, key)).toBe(false);
    expect(wechatVerify({ ...p, sign }, 'x'.repeat(32))).toBe(false);
  });

  it('round-trips flat XML with CDATA and refuses DOCTYPE/entities (XXE)', () => {
    const x = toXml({ return_code: 'SUCCESS', body: '鲜丰 <a&b> ]]> end' });
    expect(parseFlatXml(x)).toEqual({ return_code: 'SUCCESS', body: '鲜丰 <a&b> ]]> end' });
    expect(parseFlatXml('<xml><total_fee>1850</total_fee><a>x &amp; y</a></xml>')).toEqual({
      total_fee: '1850',
      a: 'x & y',
    });
    expect(() => parseFlatXml('<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><a>&e;</a></xml>')).toThrow(
      /refused/,
    );
    expect(() => parseFlatXml('<xml><a><b>nested</b></a></xml>')).toThrow();
    expect(() => parseFlatXml('not xml')).toThrow();
  });
});

describe('Alipay RSA2 codec', () => {
  it('signs the sorted query string (sign and empty values left out) and verifies the raw response text', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const params = {
      method: 'alipay.trade.pay',
      app_id: '2021',
      sign_type: 'RSA2',
      biz_content: '{"a":1}',
      empty: '',
      sign: 'old',
    };
    expect(alipaySignContent(params)).toBe('app_id=2021&biz_content={"a":1}&method=alipay.trade.pay&sign_type=RSA2');
    const s = rsa2Sign(alipaySignContent(params), privateKey);
    expect(rsa2Verify(alipaySignContent(params), s, publicKey)).toBe(true);
    expect(rsa2Verify(alipaySignContent({ ...params, app_id: '2022' }), s, publicKey)).toBe(false);
    const body = '{"alipay_trade_pay_response":{"code":"10000","msg":"Success","note":"a}b\\"c"},"sign":"x"}';
    expect(rawJsonValue(body, 'alipay_trade_pay_response')).toBe('{"code":"10000","msg":"Success","note":"a}b\\"c"}');
    expect(rawJsonValue(body, 'missing')).toBeNull();
  });
});
