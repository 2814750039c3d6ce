import { describe, expect, it } from 'vitest';
import type { AuditEntry, TillConfig } from '../../../contract';
import { auditActionWords, auditAmountFen, auditReasonWords, auditWhatMore } from './audit-words';

const entry = (action: string, detail: Record<string, unknown>): AuditEntry => ({
  id: 'a1',
  at: '2026-12-05T08:00:00Z',
  action,
  staff: { id: 's1', name: '李娜', role: 'cashier' },
  approvedBy: null,
  detail,
});
const config = {
  reasons: {
    void: [{ code: 'scan-error', zh: '扫错商品', en: 'Wrong items scanned' }],
    noSale: [{ code: 'give-change', zh: '兑换零钱', en: 'Change for a customer' }],
  },
} as unknown as TillConfig;
const nobody = () => null;

describe('audit entries in words', () => {
  it('names known actions in both languages and shows an unknown one as the core wrote it', () => {
    expect(auditActionWords('cart.void', 'zh-CN')).toBe('作废整单');
    expect(auditActionWords('cart.void', 'en')).toBe('Voided a sale');
    expect(auditActionWords('shift.handover', 'en')).toBe('Cashier change');
    expect(auditActionWords('something.new', 'en')).toBe('something.new');
  });

  it('takes the amount in fen from the first telling field, none when there is none', () => {
    expect(auditAmountFen(entry('cart.void', { total: 1890, cartId: 'x' }))).toBe(1890);
    expect(auditAmountFen(entry('shift.cash_out', { amount: 5000 }))).toBe(5000);
    expect(auditAmountFen(entry('shift.close', { countedCash: 50000, expectedCash: 49000 }))).toBe(50000);
    expect(auditAmountFen(entry('auth.login', {}))).toBeNull();
    expect(auditAmountFen(entry('x', { total: '12' }))).toBeNull();
  });

  it("says a preset reason in the reader's language, a coded one in words, free text as typed", () => {
    const preset = entry('cart.void', { reason: '扫错商品', reasonCode: 'scan-error' });
    expect(auditReasonWords(preset, 'en', config)).toBe('Wrong items scanned');
    expect(auditReasonWords(entry('drawer.open', { reason: 'x', reasonCode: 'give-change' }), 'zh-CN', config)).toBe(
      '兑换零钱',
    );
    // A preset the store has since removed keeps the words written at the time.
    expect(auditReasonWords(entry('cart.void', { reason: '旧原因', reasonCode: 'gone' }), 'en', config)).toBe('旧原因');
    expect(auditReasonWords(entry('stock.waste', { reason: 'expired' }), 'zh-CN', config)).toBe('过期');
    expect(auditReasonWords(entry('cart.void', { reason: '顾客换了一家店' }), 'en', null)).toBe('顾客换了一家店');
    expect(auditReasonWords(entry('auth.login', {}), 'en', config)).toBe('');
  });

  it('adds the sale number, tries left, lock time and whose PIN was tried', () => {
    expect(auditWhatMore(entry('sale.completed', { number: 'T01-0042', total: 100 }), 'zh-CN', nobody)).toBe(
      '单号 T01-0042',
    );
    expect(auditWhatMore(entry('auth.login_failed', { remaining: 3, locked: false }), 'en', nobody)).toBe(
      '3 tries left',
    );
    expect(
      auditWhatMore(entry('override.failed', { managerId: 'm1', remaining: 0, locked: true }), 'zh-CN', (id) =>
        id === 'm1' ? '张敏' : null,
      ),
    ).toBe('所试 PIN：张敏');
    expect(auditWhatMore(entry('auth.locked_out', { seconds: 60 }), 'en', nobody)).toBe('locked for 60 s');
  });
});
