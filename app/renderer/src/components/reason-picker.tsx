// Picking a reason for a void or a no-sale (issue 13 item 15): the store's presets (till config,
// kept by a manager) numbered 1–9, and 0 "other" with free text. A digit picks at once; ↑↓ and
// Enter pick the highlighted one; "other" opens a text field where Enter confirms. Resolves
// with the words in the cashier's language and the preset's code (kept in the audit), or null.
import { useCallback, useState, type ReactNode } from 'react';
import type { ReasonPreset } from '../../../contract';
import { LAYER, useApp } from '../app-context';
import { Dialog } from './dialog';
import { fieldError } from './error-text';

export interface PickedReason {
  reason: string;
  reasonCode?: string;
}

export type ReasonKind = 'void' | 'noSale';

interface Open {
  kind: ReasonKind;
  title: string;
  testid: string;
  resolve: (r: PickedReason | null) => void;
}

function ReasonDialog({ open, close }: { open: Open; close: (r: PickedReason | null) => void }) {
  const { t, config } = useApp();
  const presets: ReasonPreset[] = config?.reasons?.[open.kind] ?? [];
  const [at, setAt] = useState(0);
  const [other, setOther] = useState<string | null>(presets.length === 0 ? '' : null);
  const [error, setError] = useState<string | null>(null);
  const words = (p: ReasonPreset) => (t.lang === 'zh-CN' ? p.zh : p.en);
  const pick = (i: number) => {
    const p = presets[i];
    if (p) close({ reason: words(p), reasonCode: p.code });
    else setOther('');
  };
  const confirmOther = () => {
    const text = (other ?? '').trim();
    if (!text) setError(fieldError(t, t('reason')).message);
    else close({ reason: text });
  };

  return (
    <Dialog
      title={open.title}
      testid={open.testid}
      layer={LAYER.prompt}
      onCancel={() => close(null)}
      onEnter={() => (other === null ? pick(at) : confirmOther())}
      onKey={(key) => {
        if (other !== null) return false;
        if (/^\d$/.test(key)) {
          const n = Number(key);
          if (n === 0) setOther('');
          else if (n <= presets.length) pick(n - 1);
          return true;
        }
        if (key === 'ArrowDown' || key === 'ArrowUp') {
          // Positions 0..n-1 are presets, n is "other".
          const n = presets.length + 1;
          setAt((i) => (i + (key === 'ArrowDown' ? 1 : n - 1)) % n);
          return true;
        }
        return false;
      }}
    >
      {other === null ? (
        <>
          <ol className="pick-list" data-testid="reason-list">
            {presets.map((p, i) => (
              <li key={p.code}>
                <button
                  type="button"
                  className={at === i ? 'on' : ''}
                  data-testid="reason-preset"
                  data-code={p.code}
                  onClick={() => pick(i)}
                >
                  <span>
                    {i + 1}. {words(p)}
                  </span>
                </button>
              </li>
            ))}
            <li>
              <button
                type="button"
                className={at === presets.length ? 'on' : ''}
                data-testid="reason-other"
                onClick={() => setOther('')}
              >
                <span>0. {t('reason.other')}</span>
              </button>
            </li>
          </ol>
          <p className="hint">{t('reason.hint')}</p>
        </>
      ) : (
        <label className="field">
          <span>{t('reason')}</span>
          <input
            data-testid="reason-text"
            autoFocus
            autoComplete="off"
            maxLength={200}
            value={other}
            onChange={(e) => {
              setError(null);
              setOther(e.target.value);
            }}
          />
        </label>
      )}
      {error && (
        <div className="error inline" role="alert" data-testid="reason-error">
          {error}
        </div>
      )}
      <div className="buttons">
        <button type="button" onClick={() => close(null)} data-testid="reason-cancel">
          {t('cancel')}
        </button>
        {other !== null && (
          <button type="button" className="primary" onClick={confirmOther} data-testid="reason-ok">
            {t('ok')}
          </button>
        )}
      </div>
    </Dialog>
  );
}

export type PickReason = (kind: ReasonKind, title: string, testid: string) => Promise<PickedReason | null>;

export function useReasonPicker(): [PickReason, ReactNode] {
  const [open, setOpen] = useState<Open | null>(null);
  const pick = useCallback<PickReason>(
    (kind, title, testid) => new Promise((resolve) => setOpen({ kind, title, testid, resolve })),
    [],
  );
  const el = open ? (
    <ReasonDialog
      key={open.testid}
      open={open}
      close={(r) => {
        setOpen(null);
        open.resolve(r);
      }}
    />
  ) : null;
  return [pick, el];
}
