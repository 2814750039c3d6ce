// What the cashier reads for an error follows the language switch: the host sends a code and
// details (its message is English for API users), the screen says them in English or Chinese.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import { translator } from '../i18n';
import { deviceStatusText, fieldError, syncProblemText, toShownError } from './error-text';

const CJK = /[\u4e00-\u9fff]/;
const en = translator('en');
const zh = translator('zh-CN');

// As the host sends them (code, English message, details) for a few real errors.
const wrongPin = new ApiError('WRONG_PIN', 'Wrong PIN. 2 tries left before PIN entry locks.', {
  reason: 'tries-left',
  remaining: 2,
});
const notStable = new ApiError('WEIGHT_UNSTABLE', 'Weight is not stable. Keep the goods still on the scale.', {
  reason: 'unstable',
});
const badDigit = new ApiError('BARCODE_INVALID', 'The barcode check digit is wrong', { reason: 'check-digit' });
const tooMany = new ApiError('RETURN_EXCEEDS_SALE', 'At most 1 of Cola can be returned.', {
  reason: 'quantity',
  name: '可乐',
  nameEn: 'Cola',
  remainingQuantity: 1,
  lineId: 'L1',
});
const lockedOut = new ApiError('LOCKED_OUT', 'Too many wrong PINs.', { reason: 'wait', retryAfterSeconds: 30 });

describe('toShownError', () => {
  it('says a real error in English when the till is in English', () => {
    expect(toShownError(wrongPin, en)).toEqual({
      code: 'WRONG_PIN',
      message: 'Wrong PIN. 2 tries left before PIN entry locks.',
    });
    expect(toShownError(notStable, en).message).toBe('Weight is not stable. Keep the goods still on the scale.');
    expect(toShownError(tooMany, en).message).toBe('At most 1 of Cola can be returned.');
    expect(toShownError(lockedOut, en).message).toBe('Too many wrong PINs. Try again in 30 s.');
    for (const e of [wrongPin, notStable, badDigit, tooMany, lockedOut])
      expect(toShownError(e, en).message).not.toMatch(CJK);
  });

  it('says the same errors in Chinese when the till is in Chinese', () => {
    expect(toShownError(wrongPin, zh)).toEqual({ code: 'WRONG_PIN', message: 'PIN 不正确，还可尝试 2 次。' });
    expect(toShownError(notStable, zh).message).toBe('重量不稳定，请将商品放稳。');
    expect(toShownError(badDigit, zh).message).toContain('校验位');
    expect(toShownError(tooMany, zh).message).toBe('可乐 最多可退 1 件。');
    expect(toShownError(lockedOut, zh).message).toBe('PIN 错误次数过多，请 30 秒后再试。');
  });

  it("falls back to the code's own words when a reason is unknown or its details are missing", () => {
    expect(toShownError(new ApiError('WRONG_PIN', 'x', { reason: 'tries-left' }), zh).message).toBe('PIN 不正确。');
    expect(toShownError(new ApiError('CART_EMPTY', 'x', { reason: 'from-a-newer-host' }), en).message).toBe(
      'The cart is empty.',
    );
    expect(toShownError(new Error('boom'), zh).message).toBe('系统错误，请重试或联系技术员。');
  });

  it('keeps what the UI said itself, and says offline in the current language', () => {
    expect(toShownError(fieldError(zh, '数量'), zh)).toEqual({ code: 'BAD_INPUT', message: '请检查：数量' });
    expect(toShownError(new ApiError('OFFLINE', 'fetch failed'), zh).message).toBe(zh('err.OFFLINE'));
  });
});

describe('device and sync status', () => {
  it('translates a device status code and keeps the host words for an unknown one', () => {
    expect(
      deviceStatusText(en, { id: 'receipt-printer', status: 'cover_open', message: 'Printer cover is open.' }),
    ).toMatch(/cover is open/);
    expect(
      deviceStatusText(zh, { id: 'receipt-printer', status: 'cover_open', message: 'Printer cover is open.' }),
    ).toContain('打印机盖');
    expect(deviceStatusText(zh, { id: 'x', status: 'weird', message: 'Weird state' })).toBe('Weird state');
  });

  it('translates the sync problem by its reason', () => {
    const s = {
      state: 'error',
      reason: 'revoked',
      message: 'This device was revoked; pair it again',
      pendingOps: 3,
    } as const;
    expect(syncProblemText(en, s)).toBe('This device was revoked; pair it again.');
    expect(syncProblemText(zh, s)).toBe('设备已停用，请重新配对。');
    expect(syncProblemText(zh, { ...s, reason: 'offline' })).toBe('离线：3 条待同步。');
  });
});

describe('schema refusals (issue 13 item 20)', () => {
  const schema = (path: string) =>
    new ApiError('BAD_INPUT', `Invalid input: ${path}: too short`, {
      reason: 'schema',
      fields: `${path}: too short`,
      issues: [{ path, message: 'too short' }],
    });
  it('names the field as the screen labels it, never the code name', () => {
    expect(toShownError(schema('managerPin'), zh).message).toBe('请检查：店长 PIN');
    expect(toShownError(schema('managerPin'), en).message).toBe('Please check: Manager PIN');
    expect(toShownError(schema('tenders.0.amount'), zh).message).toBe('请检查：金额');
    expect(toShownError(schema('managerPin'), en).message).not.toContain('managerPin');
  });
  it('says "check your input" for a field the screen has no label for', () => {
    expect(toShownError(schema('saleId'), zh).message).toBe('输入有误，请检查后重试。');
    expect(toShownError(schema('saleId'), en).message).not.toContain('saleId');
  });
});
