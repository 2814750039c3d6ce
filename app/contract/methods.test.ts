import { describe, expect, it } from 'vitest';
import { methods, methodNames, ROLES, tenderInput, httpStatusFor, ERROR_CODES } from './index';

describe('RPC contract', () => {
  // Public: the PIN login, and the staff names its pick-your-name list shows (no PINs, no ids
  // of anything else; issue 13 item 17). Anything more needs a session.
  it('gives every method a role list (only auth.login and auth.staffNames are public)', () => {
    for (const name of methodNames) {
      const roles = methods[name].roles;
      if (name === 'auth.login' || name === 'auth.staffNames') expect(roles).toBe('public');
      else {
        expect(Array.isArray(roles)).toBe(true);
        for (const r of roles as readonly string[]) expect(ROLES).toContain(r);
      }
    }
  });

  it('keeps the method names the HTTP contract promises', () => {
    for (const m of ['auth.login', 'cart.scan', 'cart.pay', 'sales.get', 'stock.get']) expect(methodNames).toContain(m);
  });

  it('rejects tenders with fractional or negative fen', () => {
    expect(tenderInput.safeParse({ type: 'cash', amount: 10.5 }).success).toBe(false);
    expect(tenderInput.safeParse({ type: 'cash', amount: -1 }).success).toBe(false);
    expect(tenderInput.safeParse({ type: 'payment_code', amount: 100, code: 'abc' }).success).toBe(false);
    expect(tenderInput.safeParse({ type: 'payment_code', amount: 100, code: '134567890123456789' }).success).toBe(true);
  });

  it('maps every error code to an HTTP status', () => {
    for (const c of ERROR_CODES) expect(httpStatusFor(c)).toBeGreaterThanOrEqual(400);
  });
});

describe('docs/api.md', () => {
  it('is generated from the current contract (run `npx tsx app/contract/api-doc.ts`)', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { renderApiDoc } = await import('./api-doc');
    expect(readFileSync(join(import.meta.dirname, '../../docs/api.md'), 'utf8')).toBe(renderApiDoc());
  });
});
