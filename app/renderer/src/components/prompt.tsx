// Promise-based prompts (weight, quantity, reason, manager PIN, amounts): `await ask(spec)`
// resolves with the typed values, or null when cancelled. `onSubmit` may throw; its error is
// shown inside the prompt, which stays open so the cashier can correct the value.
import { useCallback, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api';
import { LAYER, useApp } from '../app-context';
import { Dialog } from './dialog';
import { toShownError, type ShownError } from './error-text';

export type FieldKind = 'text' | 'pin' | 'yuan' | 'grams' | 'digits';

export interface PromptField {
  name: string;
  label: string;
  kind: FieldKind;
  testid: string;
  initial?: string;
  options?: { value: string; label: string }[];
}

export interface PromptSpec {
  title: string;
  message?: string;
  fields: PromptField[];
  testid?: string;
  onSubmit?: (values: Record<string, string>) => Promise<void>;
}

interface Open {
  spec: PromptSpec;
  resolve: (v: Record<string, string> | null) => void;
}

function PromptDialog({ open, close }: { open: Open; close: (v: Record<string, string> | null) => void }) {
  const { t } = useApp();
  const { spec } = open;
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(spec.fields.map((f) => [f.name, f.initial ?? f.options?.[0]?.value ?? ''])),
  );
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await spec.onSubmit?.(values);
      close(values);
    } catch (err) {
      setError(toShownError(err, t));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={spec.title}
      testid={spec.testid ?? 'prompt-dialog'}
      layer={LAYER.prompt}
      onCancel={() => close(null)}
      onEnter={() => void submit()}
      // ↑↓ step through the first choice (percent/amount, which manager) without leaving the field.
      onKey={(key) => {
        const f = spec.fields.find((x) => x.options && x.options.length > 1);
        if (!f?.options || (key !== 'ArrowUp' && key !== 'ArrowDown')) return false;
        const opts = f.options;
        setValues((v) => {
          const i = opts.findIndex((o) => o.value === v[f.name]);
          const next = (i + (key === 'ArrowDown' ? 1 : opts.length - 1)) % opts.length;
          return { ...v, [f.name]: opts[next]!.value };
        });
        return true;
      }}
      // A PIN typed fast is a PIN, not a scan (issue 13 item 18).
      wedge={spec.fields.some((f) => f.kind === 'pin') ? false : undefined}
    >
      {spec.message && <p className="prompt-message">{spec.message}</p>}
      {spec.fields.map((f, i) => (
        <label key={f.name} className="field">
          <span>{f.label}</span>
          {f.options ? (
            <span className="segmented">
              {f.options.map((o) => (
                <button
                  key={o.value}
                  type="button"
                  data-testid={`${f.testid}-${o.value}`}
                  className={values[f.name] === o.value ? 'on' : ''}
                  onClick={() => setValues((v) => ({ ...v, [f.name]: o.value }))}
                >
                  {o.label}
                </button>
              ))}
            </span>
          ) : (
            <input
              data-testid={f.testid}
              autoFocus={i === 0 || (i === 1 && !!spec.fields[0]?.options)}
              type={f.kind === 'pin' ? 'password' : 'text'}
              inputMode={f.kind === 'text' ? 'text' : f.kind === 'yuan' ? 'decimal' : 'numeric'}
              autoComplete="off"
              value={values[f.name] ?? ''}
              onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
            />
          )}
        </label>
      ))}
      {error && (
        <div className="error inline" role="alert" data-testid="prompt-error" data-code={error.code}>
          {error.message}
        </div>
      )}
      <div className="buttons">
        <button type="button" onClick={() => close(null)} data-testid="prompt-cancel">
          {t('cancel')}
        </button>
        <button type="button" className="primary" disabled={busy} onClick={() => void submit()} data-testid="prompt-ok">
          {t('ok')}
        </button>
      </div>
    </Dialog>
  );
}

export type Ask = (spec: PromptSpec) => Promise<Record<string, string> | null>;

export function usePrompt(): [Ask, ReactNode] {
  const [open, setOpen] = useState<Open | null>(null);
  const ask = useCallback<Ask>((spec) => new Promise((resolve) => setOpen({ spec, resolve })), []);
  const el = open ? (
    <PromptDialog
      key={open.spec.title}
      open={open}
      close={(v) => {
        setOpen(null);
        open.resolve(v);
      }}
    />
  ) : null;
  return [ask, el];
}

/** What a manager override adds to a call: nothing at first, then the PIN and the manager named. */
export type ManagerApproval = { managerPin?: string; managerId?: string };

/**
 * Runs `run({})`; when the core answers MANAGER_REQUIRED, asks which manager (↑↓, the first
 * preselected) and their PIN, and runs it again with both. The PIN is checked against that
 * manager only, and a wrong one counts against that manager's own lockout (issue 13 item 17).
 * A wrong PIN keeps the prompt open with the core's message. Resolves null when cancelled.
 */
export function useManagerOverride(ask: Ask): <T>(run: (approval: ManagerApproval) => Promise<T>) => Promise<T | null> {
  const { api, t } = useApp();
  const askRef = useRef(ask);
  askRef.current = ask;
  return useCallback(
    async <T,>(run: (approval: ManagerApproval) => Promise<T>): Promise<T | null> => {
      try {
        return await run({});
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 'MANAGER_REQUIRED')) throw err;
        let result: T | null = null;
        // One line, in the till's language: "需要店长授权：退货" is the title, with no second copy
        // of it below (issue 13 item 10: the prompt said it twice, the second time in English).
        const why = toShownError(err, t).message.replace(/[。.]$/, '');
        const managers = await api
          .call('auth.staffNames', {})
          .then((r) => r.staff.filter((s) => s.role === 'manager'))
          .catch(() => []);
        const fields: PromptField[] = [
          { name: 'pin', label: t('manager.pin'), kind: 'pin', testid: 'manager-pin-input' },
        ];
        if (managers.length > 0)
          fields.unshift({
            name: 'manager',
            label: '',
            kind: 'text',
            testid: 'manager-pick',
            options: managers.map((m) => ({ value: m.id, label: m.name })),
          });
        const v = await askRef.current({
          title: why,
          testid: 'manager-dialog',
          fields,
          onSubmit: async (vals) => {
            result = await run({ managerPin: vals.pin ?? '', ...(vals.manager ? { managerId: vals.manager } : {}) });
          },
        });
        return v ? result : null;
      }
    },
    [api, t],
  );
}
