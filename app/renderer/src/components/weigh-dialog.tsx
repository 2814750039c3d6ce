// Weighing a loose item on the till's scale (devices.readWeight): "weighing…", then the grams
// and the price. Enter adds, F5 weighs again, F4 types the weight by hand, Esc cancels. An
// unstable or invalid weight shows the scale's words with "try again". When there is no scale
// (or it does not answer) the dialog hands over to manual entry at once, as before scales.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api';
import { LAYER, useApp } from '../app-context';
import { formatFen, formatGrams } from '../format';
import { Dialog } from './dialog';
import { toShownError, type ShownError } from './error-text';

/** grams from the scale; `manual` with the reason to show (null: no scale set up); null: cancelled. */
export type WeighResult = { grams: number } | { manual: string | null } | null;

type State = { kind: 'reading' } | { kind: 'weighed'; grams: number } | { kind: 'problem'; error: ShownError };

export function WeighDialog({
  pricePerKg,
  name,
  onDone,
}: {
  pricePerKg: number;
  name: string;
  onDone: (r: WeighResult) => void;
}) {
  const { api, t } = useApp();
  const [state, setState] = useState<State>({ kind: 'reading' });
  const seq = useRef(0);
  const done = useRef(false);
  const finish = useCallback(
    (r: WeighResult) => {
      if (!done.current) {
        done.current = true;
        onDone(r);
      }
    },
    [onDone],
  );

  const read = useCallback(() => {
    const my = ++seq.current;
    setState({ kind: 'reading' });
    api.call('devices.readWeight', {}).then(
      (r) => {
        if (my === seq.current) setState({ kind: 'weighed', grams: r.weight.grams });
      },
      (err: unknown) => {
        if (my !== seq.current) return;
        if (err instanceof ApiError && (err.code === 'WEIGHT_UNSTABLE' || err.code === 'WEIGHT_INVALID')) {
          setState({ kind: 'problem', error: toShownError(err, t) });
          return;
        }
        // No scale here, or it does not answer, or the host is unreachable: type it in. The scale's
        // own words are shown when it is set up but silent.
        const reason = err instanceof ApiError ? (err.details as { reason?: string } | undefined)?.reason : undefined;
        finish({
          manual:
            reason === 'no-answer' || (err instanceof ApiError && err.code === 'OFFLINE')
              ? toShownError(err, t).message
              : null,
        });
      },
    );
  }, [api, t, finish]);

  useEffect(() => {
    read();
    return () => {
      seq.current += 1;
    };
  }, [read]);

  const manual = () => {
    seq.current += 1;
    finish({ manual: null });
  };
  const onEnter = () => {
    if (state.kind === 'weighed') finish({ grams: state.grams });
    else if (state.kind === 'problem') read();
  };

  return (
    <Dialog
      title={t('weigh.title', { name })}
      testid="weigh-dialog"
      layer={LAYER.prompt}
      onCancel={() => {
        seq.current += 1;
        finish(null);
      }}
      onEnter={onEnter}
      onKey={(k) => {
        if (k === 'F5') {
          read();
          return true;
        }
        if (k === 'F4') {
          manual();
          return true;
        }
        return false;
      }}
    >
      <div className="weigh" data-testid="weigh-state" data-state={state.kind}>
        {state.kind === 'reading' && (
          <p className="weigh-reading" data-testid="weigh-reading">
            {t('weigh.reading')}
          </p>
        )}
        {state.kind === 'weighed' && (
          <div className="weigh-result">
            <div>
              <span>{t('weigh.grams')}</span>
              <b data-testid="weigh-grams" data-grams={state.grams}>
                {formatGrams(state.grams)}
              </b>
            </div>
            <div>
              <span>{t('weigh.price')}</span>
              <b data-testid="weigh-price">{formatFen(Math.round((state.grams * pricePerKg) / 1000))}</b>
            </div>
          </div>
        )}
        {state.kind === 'problem' && (
          <div className="error inline" role="alert" data-testid="weigh-error" data-code={state.error.code}>
            {state.error.message}
          </div>
        )}
      </div>
      <div className="buttons">
        <button type="button" data-testid="weigh-manual" onClick={manual}>
          {t('weigh.manual')}
        </button>
        {state.kind === 'weighed' && (
          <button type="button" data-testid="weigh-again" onClick={read}>
            {t('weigh.again')}
          </button>
        )}
        {state.kind === 'problem' && (
          <button type="button" className="primary" data-testid="weigh-retry" onClick={read}>
            {t('weigh.retry')}
          </button>
        )}
        {state.kind === 'weighed' && (
          <button
            type="button"
            className="primary"
            data-testid="weigh-add"
            onClick={() => finish({ grams: state.grams })}
          >
            {t('weigh.add')}
          </button>
        )}
        <button
          type="button"
          data-testid="weigh-cancel"
          onClick={() => {
            seq.current += 1;
            finish(null);
          }}
        >
          {t('cancel')}
        </button>
      </div>
    </Dialog>
  );
}
