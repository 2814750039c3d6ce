import { describe, expect, it } from 'vitest';
import { planCustomerWindow, type ScreenInfo } from './customer-screen';

const main: ScreenInfo = { id: 1, bounds: { x: 0, y: 0, width: 1366, height: 768 } };
const pole: ScreenInfo = { id: 7, bounds: { x: 1366, y: 0, width: 1024, height: 600 } };

describe('customer display window placement', () => {
  it('goes full screen on the screen that is not the primary one', () => {
    expect(planCustomerWindow([main, pole], 1, undefined)).toEqual({ open: true, screen: pole, fullscreen: true });
    expect(planCustomerWindow([pole, main], 1, '1')).toEqual({ open: true, screen: pole, fullscreen: true });
    // The primary may be the second one listed.
    expect(planCustomerWindow([main, pole], 7, undefined)).toEqual({ open: true, screen: main, fullscreen: true });
  });

  it('one screen: no window unless POS_CUSTOMER_DISPLAY=1; 0 turns it off', () => {
    expect(planCustomerWindow([main], 1, undefined)).toEqual({ open: false, reason: 'single-screen' });
    expect(planCustomerWindow([main], 1, '1')).toEqual({ open: true, screen: null, fullscreen: false });
    expect(planCustomerWindow([main, pole], 1, '0')).toEqual({ open: false, reason: 'off' });
  });

  it('refuses a setting it does not know', () => {
    expect(() => planCustomerWindow([main], 1, 'yes')).toThrow(/POS_CUSTOMER_DISPLAY must be 0 or 1.*"yes"/);
  });
});
