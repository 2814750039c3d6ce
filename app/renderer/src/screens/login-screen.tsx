// Login: PIN pad for touch, digits from the keyboard/numpad, Enter submits. A wrong PIN or a
// lock-out shows the core's message until the next attempt. ↑↓ pick one's name first: wrong
// PINs then count against that staff member only, so one cashier's typos (or a guesser at the
// PIN-only entry) never lock the manager out (issue 13 item 17).
import { useEffect, useRef, useState } from 'react';
import type { StaffView } from '../../../contract';
import { LAYER, useApp, useKeyScope } from '../app-context';
import { toShownError, type ShownError } from '../components/error-text';

export function LoginScreen({ onLogin }: { onLogin: (token: string, staff: StaffView) => void }) {
  const { api, t } = useApp();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const [names, setNames] = useState<StaffView[]>([]);
  // -1: nobody picked (the PIN alone names the staff member).
  const [picked, setPicked] = useState(-1);
  const pickedStaff = names[picked];

  useEffect(() => {
    api
      .call('auth.staffNames', {})
      .then((r) => setNames(r.staff))
      .catch(() => setNames([]));
  }, [api]);

  const submit = async (value = pin) => {
    if (busy || value.length === 0) return;
    setBusy(true);
    try {
      const out = await api.call('auth.login', { pin: value, ...(pickedStaff ? { staffId: pickedStaff.id } : {}) });
      onLogin(out.token, out.staff);
    } catch (err) {
      setError(toShownError(err, t));
      setPin('');
      setBusy(false);
    }
  };

  const press = (d: string) => {
    setError(null);
    setPin((p) => (p.length < 8 ? p + d : p));
  };

  useKeyScope(LAYER.screen, {
    wedge: false,
    onKey: (key) => {
      if (/^\d$/.test(key)) {
        press(key);
        return true;
      }
      if (key === 'Backspace') {
        setPin((p) => p.slice(0, -1));
        return true;
      }
      if (key === 'Enter') {
        void submit();
        return true;
      }
      if (key === 'Escape') {
        setPin('');
        return true;
      }
      if ((key === 'ArrowDown' || key === 'ArrowUp') && names.length > 0) {
        setError(null);
        // Steps through "by PIN" (-1) and every name, wrapping round.
        const n = names.length + 1;
        setPicked((p) => ((p + 1 + (key === 'ArrowDown' ? 1 : n - 1)) % n) - 1);
        return true;
      }
      return false;
    },
  });

  return (
    <div className="login">
      <h1>{pickedStaff ? t('login.titleNamed', { name: pickedStaff.name }) : t('login.title')}</h1>
      {names.length > 0 && (
        <ol className="login-names" data-testid="login-names" aria-label={t('login.pickName')}>
          <li className={picked === -1 ? 'on' : ''} data-testid="login-name-any">
            <button type="button" onClick={() => setPicked(-1)}>
              {t('login.byPin')}
            </button>
          </li>
          {names.map((s, i) => (
            <li key={s.id} className={picked === i ? 'on' : ''} data-testid="login-name" data-staff-id={s.id}>
              <button type="button" onClick={() => setPicked(i)}>
                {s.name}
              </button>
            </li>
          ))}
        </ol>
      )}
      <input
        ref={inputRef}
        data-testid="pin-input"
        className="pin-input"
        type="password"
        inputMode="numeric"
        autoFocus
        autoComplete="off"
        maxLength={8}
        value={pin}
        onChange={(e) => {
          setError(null);
          setPin(e.target.value.replace(/\D/g, '').slice(0, 8));
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void submit(e.currentTarget.value);
          }
        }}
        aria-label={t('login.title')}
      />
      {error && (
        <div className="error" role="alert" data-testid="login-error" data-code={error.code}>
          {error.message}
          {error.code === 'LOCKED_OUT' && !pickedStaff && names.length > 0 && (
            <p data-testid="login-locked-hint">{t('login.lockedPick')}</p>
          )}
        </div>
      )}
      <div className="pinpad">
        {['7', '8', '9', '4', '5', '6', '1', '2', '3'].map((d) => (
          <button
            key={d}
            type="button"
            data-testid={`pin-key-${d}`}
            onClick={() => {
              press(d);
              inputRef.current?.focus();
            }}
          >
            {d}
          </button>
        ))}
        <button type="button" data-testid="pin-key-clear" onClick={() => setPin('')}>
          {t('login.clear')}
        </button>
        <button
          type="button"
          data-testid="pin-key-0"
          onClick={() => {
            press('0');
            inputRef.current?.focus();
          }}
        >
          0
        </button>
        <button type="button" data-testid="pin-key-back" onClick={() => setPin((p) => p.slice(0, -1))}>
          {t('login.back')}
        </button>
      </div>
      <button
        type="button"
        className="primary big"
        data-testid="pin-submit"
        disabled={busy || pin.length === 0}
        onClick={() => void submit()}
      >
        {t('login.submit')}
      </button>
      {/* One hint line, so the page fits 1024×768: with names, how to pick one. */}
      <p className="hint">{names.length > 0 ? t('login.pickName') : t('login.hint')}</p>
    </div>
  );
}
