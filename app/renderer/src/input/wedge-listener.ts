// DOM glue for the wedge detector: one capture-phase keydown listener on the window sees every
// key before any input does, holds printable keys, and routes a finished scan to the top key
// scope. Held keys that turn out to be human typing are inserted into the element that has
// focus (or handed to the top scope as keys when nothing editable has focus).
import { WedgeDetector, type WedgeConfig } from './wedge';
import { dispatchKey, dispatchScan, wedgeActive } from './key-scopes';

export interface WedgeListener {
  configure(cfg: WedgeConfig): void;
  stop(): void;
}

function isEditable(el: Element | null): el is HTMLInputElement | HTMLTextAreaElement {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement) return !el.readOnly && !el.disabled;
  if (el instanceof HTMLInputElement) {
    return (
      !el.readOnly && !el.disabled && ['text', 'search', 'password', 'tel', 'number', 'email', ''].includes(el.type)
    );
  }
  return false;
}

/** Types text into the focused field as if the keys had gone through (fires React's onChange). */
function insertText(el: HTMLInputElement | HTMLTextAreaElement, text: string): void {
  el.focus();
  // execCommand keeps undo and fires beforeinput/input like real typing; setRangeText is the fallback.
  if (!document.execCommand('insertText', false, text)) {
    const start = el.selectionStart ?? el.value.length;
    const end = el.selectionEnd ?? el.value.length;
    el.setRangeText(text, start, end, 'end');
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }
}

/**
 * A button, checkbox, radio or select the cashier moved to with the keyboard (Tab): Space and
 * Enter belong to it (tick the return line, pick "amount", press that button), not to the
 * scanner or the dialog's default action. A control focused by a touch or a click does not
 * count (Chromium's :focus-visible turns on at the next key, so it cannot tell): after a tap,
 * Enter still means "scan the typed code" / the dialog's default.
 */
export function isKeyboardFocusedControl(el: Element | null): boolean {
  if (!el || !(el instanceof HTMLElement) || el === pointerFocused) return false;
  if (el instanceof HTMLButtonElement || el instanceof HTMLSelectElement) return !el.disabled;
  if (el instanceof HTMLInputElement)
    return !el.disabled && ['checkbox', 'radio', 'button', 'submit'].includes(el.type);
  return false;
}

// The element the last pointer press focused (a tap or click), not the keyboard.
let pointerFocused: EventTarget | null = null;
let lastPointerAt = -Infinity;
const onPointerDown = (ev: PointerEvent): void => {
  lastPointerAt = ev.timeStamp;
};
const onFocusIn = (ev: FocusEvent): void => {
  pointerFocused = ev.timeStamp - lastPointerAt < 1000 ? ev.target : null;
};

const controlKey = (ev: KeyboardEvent) =>
  (ev.key === ' ' || ev.key === 'Enter') && !ev.ctrlKey && !ev.altKey && !ev.metaKey;

function deliver(text: string): void {
  if (!text) return;
  const el = document.activeElement;
  if (isEditable(el)) {
    const max = el.maxLength > 0 ? el.maxLength - el.value.length : text.length;
    insertText(el, text.slice(0, Math.max(0, max)));
    return;
  }
  for (const ch of text) dispatchKey(ch, null);
}

export function startWedgeListener(initial: WedgeConfig): WedgeListener {
  const detector = new WedgeDetector(initial);
  let timer: ReturnType<typeof setTimeout> | null = null;

  const arm = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    const due = detector.deadline;
    if (due === null) return;
    timer = setTimeout(
      () => {
        timer = null;
        deliver(detector.flush(performance.now()));
        arm();
      },
      Math.max(0, due - performance.now()) + 2,
    );
  };

  const onKeyDown = (ev: KeyboardEvent): void => {
    // Where scanning is off (login) keys are left alone, so a PIN typed fast is never
    // mistaken for a short barcode.
    // Space/Enter on a keyboard-focused control, with no scan burst under way: the control's.
    if (controlKey(ev) && detector.pending === '' && isKeyboardFocusedControl(document.activeElement)) return;
    if (!wedgeActive()) {
      deliver(detector.take());
      arm();
      return;
    }
    const step = detector.key({
      key: ev.key,
      time: ev.timeStamp,
      ctrl: ev.ctrlKey,
      alt: ev.altKey,
      meta: ev.metaKey,
      repeat: ev.repeat,
      composing: ev.isComposing,
    });
    deliver(step.release);
    if (step.consume) {
      ev.preventDefault();
      ev.stopImmediatePropagation();
    }
    if (step.scan !== null) dispatchScan(step.scan);
    arm();
  };

  // Anything held when the window loses focus is human typing; give it back at once.
  const onBlur = (): void => {
    deliver(detector.take());
    arm();
  };

  window.addEventListener('keydown', onKeyDown, true);
  window.addEventListener('blur', onBlur);
  window.addEventListener('pointerdown', onPointerDown, true);
  window.addEventListener('focusin', onFocusIn, true);
  return {
    configure: (cfg) => detector.configure(cfg),
    stop: () => {
      window.removeEventListener('keydown', onKeyDown, true);
      window.removeEventListener('blur', onBlur);
      window.removeEventListener('pointerdown', onPointerDown, true);
      window.removeEventListener('focusin', onFocusIn, true);
      if (timer) clearTimeout(timer);
    },
  };
}

const FIELD_KEYS = new Set([
  'Backspace',
  'Delete',
  'ArrowLeft',
  'ArrowRight',
  'Home',
  'End',
  'Tab',
  'PageUp',
  'PageDown',
]);

/** Bubble-phase listener that hands unconsumed keys to the top scope (function keys, numpad). */
export function startKeyRouter(): () => void {
  const onKeyDown = (ev: KeyboardEvent): void => {
    if (ev.defaultPrevented || ev.isComposing) return;
    if (controlKey(ev) && isKeyboardFocusedControl(document.activeElement)) return;
    // Typing and caret keys in a field belong to the field (Delete in the search box must not
    // remove a cart line); function keys, Enter, Escape and ↑↓ still reach the scopes.
    if (isEditable(document.activeElement) && (ev.key.length === 1 || FIELD_KEYS.has(ev.key))) return;
    if (dispatchKey(ev.key, ev)) ev.preventDefault();
  };
  window.addEventListener('keydown', onKeyDown);
  return () => window.removeEventListener('keydown', onKeyDown);
}
