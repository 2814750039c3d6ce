// Where the customer display window goes (pure, so it is tested without Electron): the first
// screen that is not the primary one; with POS_CUSTOMER_DISPLAY=1 a plain window even on a
// single screen; with 0 never.
export interface ScreenInfo {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
}

export type CustomerWindowPlan =
  | { open: false; reason: 'off' | 'single-screen' }
  | { open: true; screen: ScreenInfo; fullscreen: true }
  | { open: true; screen: null; fullscreen: false };

export function planCustomerWindow(
  screens: ScreenInfo[],
  primaryId: number,
  setting: string | undefined,
): CustomerWindowPlan {
  if (setting !== undefined && setting !== '' && setting !== '0' && setting !== '1') {
    throw new Error(`POS_CUSTOMER_DISPLAY must be 0 or 1 (unset: on when there is a second screen), got "${setting}"`);
  }
  if (setting === '0') return { open: false, reason: 'off' };
  const second = screens.find((s) => s.id !== primaryId);
  if (second) return { open: true, screen: second, fullscreen: true };
  if (setting === '1') return { open: true, screen: null, fullscreen: false };
  return { open: false, reason: 'single-screen' };
}
