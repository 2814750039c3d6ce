// The till screen's keyboard: digits build the numpad entry, function keys run the cart
// actions, and a wedge scan (or a typed code + Enter) scans into the cart.
import type { Dispatch, RefObject, SetStateAction } from 'react';
import { LAYER, useApp, useKeyScope } from '../app-context';
import type { CartActions } from './use-cart-actions';
import type { MemberActions } from './member-panel';

export interface TillKeyDeps {
  actions: CartActions;
  member: MemberActions;
  moveSelection(delta: number): void;
  entry: string;
  setEntry: Dispatch<SetStateAction<string>>;
  searchRef: RefObject<HTMLInputElement | null>;
  /** Alt+F: face lookup (刷脸识别). */
  onFace?: () => void;
}

export function useTillKeys({
  actions: a,
  member,
  moveSelection,
  entry,
  setEntry,
  searchRef,
  onFace,
}: TillKeyDeps): void {
  const { clearError } = useApp();
  useKeyScope(LAYER.screen, {
    onScan: (code) => void a.scan(code),
    onKey: (key, ev) => {
      if (ev?.altKey && (key === 'o' || key === 'O')) {
        void a.openDrawer();
        return true;
      }
      if (ev?.altKey && (key === 'm' || key === 'M')) {
        void (ev.shiftKey ? member.detach() : member.find());
        return true;
      }
      if (ev?.altKey && (key === 'c' || key === 'C')) {
        void (ev.shiftKey ? a.removeCoupon() : a.typeCoupon());
        return true;
      }
      if (ev?.altKey && (key === 't' || key === 'T')) {
        void member.topUp();
        return true;
      }
      if (ev?.altKey && onFace && (key === 'f' || key === 'F')) {
        onFace();
        return true;
      }
      if (/^[0-9.]$/.test(key)) {
        setEntry((e) => (e.length < 24 ? e + key : e));
        return true;
      }
      switch (key) {
        case 'Backspace':
          setEntry((e) => e.slice(0, -1));
          return true;
        case 'Escape':
          setEntry('');
          clearError();
          return true;
        case 'F2':
          searchRef.current?.focus();
          searchRef.current?.select();
          return true;
        case '*':
        case 'F4':
          void a.setQuantity();
          return true;
        case 'Delete':
        case 'F5':
          void a.remove();
          return true;
        case 'F6':
          void a.discount();
          return true;
        case 'F7':
          void a.park();
          return true;
        case 'F8':
          void a.openRecall();
          return true;
        case 'F9':
          void a.voidSale();
          return true;
        case 'F12':
        case '+':
        case 'End':
          void a.pay();
          return true;
        case 'ArrowUp':
          moveSelection(-1);
          return true;
        case 'ArrowDown':
          moveSelection(1);
          return true;
        case 'Enter':
          if (entry) {
            void a.scan(entry);
            return true;
          }
          return false;
        default:
          return false;
      }
    },
  });
}
