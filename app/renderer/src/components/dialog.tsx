// Modal dialog: takes keys (Esc cancels, Enter confirms) and blocks scans unless it takes them.
import type { ReactNode } from 'react';
import { LAYER, useKeyScope } from '../app-context';

export interface DialogProps {
  title: string;
  testid: string;
  children: ReactNode;
  onCancel?: () => void;
  onEnter?: () => void;
  onKey?: (key: string, ev: KeyboardEvent | null) => boolean;
  onScan?: (code: string) => void;
  layer?: number;
  wide?: boolean;
  /** false: keys typed here are never held as a possible scan (a PIN typed fast). */
  wedge?: boolean;
}

export function Dialog(p: DialogProps) {
  useKeyScope(p.layer ?? LAYER.dialog, {
    modal: true,
    ...(p.wedge === false ? { wedge: false } : {}),
    onKey: (key, ev) => {
      if (p.onKey?.(key, ev)) return true;
      if (key === 'Escape' && p.onCancel) {
        p.onCancel();
        return true;
      }
      if (key === 'Enter' && p.onEnter) {
        p.onEnter();
        return true;
      }
      return false;
    },
    ...(p.onScan ? { onScan: p.onScan } : {}),
  });
  return (
    <div className="overlay">
      <div
        className={p.wide ? 'dialog wide' : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-label={p.title}
        data-testid={p.testid}
      >
        <h2>{p.title}</h2>
        {p.children}
      </div>
    </div>
  );
}
