// The till's cart as the screen sees it: the core's open cart, the selected line, and a queue
// that runs cart-changing calls one after another so a fast series of scans lands in order.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Cart } from '../../../contract';
import { useApp } from '../app-context';

export interface TillCart {
  cart: Cart | null;
  setCart(cart: Cart): void;
  selected: string | null;
  setSelected(lineId: string | null): void;
  /** The selected line, if any. */
  line: Cart['lines'][number] | null;
  /** Runs `fn` after every cart call queued before it. */
  serial<T>(fn: () => Promise<T>): Promise<T>;
  /** Reloads the cart from the core (keeps the selection when its line is still there). */
  refresh(): Promise<void>;
  moveSelection(delta: number): void;
}

export function useTillCart(): TillCart {
  const { api, t, lang, showError, showInfo, subscribe } = useApp();
  const [cart, setCart] = useState<Cart | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const serial = useCallback(<T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.current.then(fn, fn);
    queue.current = next.catch(() => undefined);
    return next;
  }, []);

  const refresh = useCallback(
    () =>
      serial(async () => {
        const r = await api.call('cart.get', {});
        setCart(r.cart);
        setSelected((s) => (s && r.cart.lines.some((l) => l.lineId === s) ? s : (r.cart.lines.at(-1)?.lineId ?? null)));
      }).catch(showError),
    [api, serial, showError],
  );

  useEffect(() => {
    void refresh();
  }, [refresh]);
  // The terminal has one open cart; events keep this screen in step with other sessions (and a
  // customer display). An event older than what a response already showed is ignored.
  useEffect(
    () =>
      subscribe((ev) => {
        // A quantity or weight change took a discount over the limit and the core took it off: say so.
        if (ev.type === 'cart.discountRemoved') {
          showInfo((tr) => tr('till.discountRemoved', { name: tr.lang === 'zh-CN' ? ev.name : ev.nameEn || ev.name }));
          return;
        }
        if (ev.type !== 'cart.changed') return;
        setCart((prev) => (!prev || prev.id !== ev.cart.id || ev.cart.updatedAt >= prev.updatedAt ? ev.cart : prev));
      }),
    [subscribe, showInfo, t, lang],
  );

  const line = cart?.lines.find((l) => l.lineId === selected) ?? null;

  const moveSelection = (delta: number) => {
    const lines = cart?.lines ?? [];
    if (lines.length === 0) return;
    const i = lines.findIndex((l) => l.lineId === selected);
    const next = Math.min(lines.length - 1, Math.max(0, (i < 0 ? lines.length : i) + delta));
    setSelected(lines[next]?.lineId ?? null);
  };

  return { cart, setCart, selected, setSelected, line, serial, refresh, moveSelection };
}
