// Who gets keys and scans right now. The app, each screen and each dialog push a scope while
// mounted, on a layer (app 0, screen 1, dialog 2, prompt 3). Keys go from the top scope down
// until one handles them or a modal scope is reached; a scan goes to the top scope that takes
// scans, unless a modal scope above it does not (a dialog without a scan handler blocks scans).
export interface KeyScope {
  layer: number;
  /** Blocks keys and scans from reaching scopes below. */
  modal?: boolean;
  /** A key no focused element consumed (ev is null for held keys released by the wedge). True = handled. */
  onKey?: (key: string, ev: KeyboardEvent | null) => boolean;
  /** A barcode from the wedge scanner. */
  onScan?: (code: string) => void;
  /** false: no scanning here (login), so keys are never held back, however fast. */
  wedge?: boolean;
}

const stack: KeyScope[] = [];

export function pushScope(scope: KeyScope): () => void {
  // Stable insert by layer: later pushes on the same layer go above earlier ones.
  let i = stack.length;
  while (i > 0 && (stack[i - 1]?.layer ?? 0) > scope.layer) i -= 1;
  stack.splice(i, 0, scope);
  return () => {
    const j = stack.indexOf(scope);
    if (j >= 0) stack.splice(j, 1);
  };
}

export function dispatchKey(key: string, ev: KeyboardEvent | null): boolean {
  for (let i = stack.length - 1; i >= 0; i -= 1) {
    const s = stack[i]!;
    if (s.onKey?.(key, ev)) return true;
    if (s.modal) return false;
  }
  return false;
}

export function dispatchScan(code: string): boolean {
  for (let i = stack.length - 1; i >= 0; i -= 1) {
    const s = stack[i]!;
    if (s.onScan) {
      s.onScan(code);
      return true;
    }
    if (s.modal) return false;
  }
  return false;
}

/**
 * Whether the wedge listener should hold keys now: yes once a screen that scans or a modal
 * dialog is on top (a scan during a dialog is swallowed rather than typed into its fields);
 * no on screens that opt out (login), so a fast-typed PIN is never taken for a barcode.
 */
export function wedgeActive(): boolean {
  for (let i = stack.length - 1; i >= 0; i -= 1) {
    const s = stack[i]!;
    if (s.wedge === false) return false;
    if (s.onScan || s.modal) return true;
  }
  return false;
}
