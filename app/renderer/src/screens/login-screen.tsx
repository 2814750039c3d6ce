// Login: PIN pad for touch, digits from the keyboard/numpad, Enter submits. A wrong PIN or a
// lock-out shows the core's message until the next attempt.
import { useRef, useState } from 'react';
import type { StaffView } from '../../../contract';
import { LAYER, useApp, useKeyScope } from '../app-context';
import { toShownError, type ShownError } from '../components/error-text';

export function LoginScreen({ onLogin }: { onLogin: (token: string, staff: StaffView) => void }) {
  const { api, t } = useApp();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  const submit = async (value = pin) => {
    if (busy || value.length === 0) return;
    setBusy(true);
    try {
      const out = await api.call('auth.login', { pin: value });
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
      return false;
    },
  });

  return (
    <div className="login">
      <h1>{t('login.title')}</h1>
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
      <p className="hint">{t('login.hint')}</p>
    </div>
  );
}
