import { describe, expect, it } from 'vitest';
import { pushScope, dispatchKey, dispatchScan } from './key-scopes';

describe('key scopes', () => {
  it('routes keys top-down by layer, whatever the push order, and stops at modal scopes', () => {
    const seen: string[] = [];
    const popScreen = pushScope({
      layer: 1,
      onKey: (k) => {
        seen.push(`screen:${k}`);
        return k === 'F2';
      },
      onScan: (c) => seen.push(`screen-scan:${c}`),
    });
    const popApp = pushScope({
      layer: 0,
      onKey: (k) => {
        seen.push(`app:${k}`);
        return k === 'F11';
      },
    });
    expect(dispatchKey('F11', null)).toBe(true);
    expect(seen).toEqual(['screen:F11', 'app:F11']);
    seen.length = 0;
    const popDialog = pushScope({ layer: 2, modal: true, onKey: (k) => k === 'Escape' });
    expect(dispatchKey('F2', null)).toBe(false);
    expect(dispatchScan('123')).toBe(false);
    expect(seen).toEqual([]);
    popDialog();
    expect(dispatchScan('123')).toBe(true);
    expect(seen).toEqual(['screen-scan:123']);
    popScreen();
    popApp();
    expect(dispatchKey('F11', null)).toBe(false);
  });
});

describe('wedgeActive', () => {
  it('holds keys on scanning screens and modal dialogs, never where the screen opts out', async () => {
    const { wedgeActive } = await import('./key-scopes');
    expect(wedgeActive()).toBe(false);
    const popLogin = pushScope({ layer: 1, wedge: false, onKey: () => false });
    expect(wedgeActive()).toBe(false);
    popLogin();
    const popTill = pushScope({ layer: 1, onScan: () => {} });
    expect(wedgeActive()).toBe(true);
    const popPrompt = pushScope({ layer: 3, modal: true, onKey: () => false });
    expect(wedgeActive()).toBe(true);
    expect(dispatchScan('12345678')).toBe(false);
    popPrompt();
    popTill();
  });
});
