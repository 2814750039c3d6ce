// What every screen needs from the app shell: the API client, the translator, the session,
// and the error/info banners.
import { createContext, useContext, useEffect, useRef } from 'react';
import type { Lang, StaffView, TillConfig, TillEvent } from '../../contract';
import type { ApiClient } from './api';
import type { Translate } from './i18n';
import { pushScope, type KeyScope } from './input';
import type { InfoText } from './use-banners';

export interface AppCtx {
  api: ApiClient;
  t: Translate;
  lang: Lang;
  staff: StaffView | null;
  config: TillConfig | null;
  /** Shows an error (ApiError or anything thrown) in the banner until dismissed or the next action. */
  showError(err: unknown): void;
  clearError(): void;
  /** Words for the info banner; give `(t) => t('key')` so the words follow the language switch. */
  showInfo(message: InfoText): void;
  /** Live events (cart.changed, sync.status, …) for the current session. */
  subscribe(cb: (ev: TillEvent) => void): () => void;
  /**
   * Resolves true when a shift is open on this till; otherwise asks for the float and opens one
   * (false when the cashier cancels). Selling needs a shift a person opened (issue 13 item 3).
   */
  requireShift(): Promise<boolean>;
}

export const AppContext = createContext<AppCtx | null>(null);

export function useApp(): AppCtx {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('useApp outside <AppContext>');
  return ctx;
}

export const LAYER = { app: 0, screen: 1, dialog: 2, prompt: 3 } as const;

/** Registers key/scan handlers while mounted; handlers may change every render. */
export function useKeyScope(layer: number, handlers: Omit<KeyScope, 'layer'>, active = true): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  const hasScan = handlers.onScan !== undefined;
  const modal = handlers.modal === true;
  const wedge = handlers.wedge;
  useEffect(() => {
    if (!active) return;
    return pushScope({
      layer,
      modal,
      ...(wedge === false ? { wedge } : {}),
      onKey: (k, ev) => ref.current.onKey?.(k, ev) ?? false,
      ...(hasScan ? { onScan: (c: string) => ref.current.onScan?.(c) } : {}),
    });
  }, [layer, active, hasScan, modal, wedge]);
}
