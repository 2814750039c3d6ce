// Back office → Replenishment (补货): tomorrow's suggested order by supplier, each line with its
// reason in words; the manager edits quantities (Enter moves to the next line) and sends the
// order as a purchase order. A button switches to the ordering parameters (replenishment-params.tsx).
import { Fragment, useEffect, useRef, useState } from 'react';
import type { PurchaseOrder, ReplenishmentSuggestion } from '../../../contract';
import { useApp } from '../app-context';
import { ReplenishmentParameters } from './replenishment-params';
import { quantityText, reasonText } from './replenishment-words';

/** What the manager typed: items, or kg for weighed products. */
function parseQuantity(text: string, weighed: boolean): number | null {
  const m = /^\s*(\d{1,6})(?:\.(\d{1,3}))?\s*$/.exec(text);
  if (!m) return null;
  if (!weighed && m[2]) return null;
  const v = Number(`${m[1]}.${m[2] ?? '0'}`);
  return weighed ? Math.round(v * 1000) : v;
}

export function ReplenishmentView() {
  const { api, t, lang, showError } = useApp();
  const [suggestion, setSuggestion] = useState<ReplenishmentSuggestion | null>(null);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [sent, setSent] = useState<PurchaseOrder | null>(null);
  const [busy, setBusy] = useState(false);
  const [params, setParams] = useState(false);
  const inputs = useRef<(HTMLInputElement | null)[]>([]);
  const submitRef = useRef<HTMLButtonElement | null>(null);

  useEffect(() => {
    if (params) return;
    let cancelled = false;
    setBusy(true);
    api
      .call('replenishment.suggest', {})
      .then((r) => {
        if (cancelled) return;
        setSuggestion(r.suggestion);
        setEdits(
          Object.fromEntries(
            r.suggestion.lines.map((l) => [
              l.sku,
              l.unit === 'weighed' ? (l.suggested / 1000).toFixed(1) : String(l.suggested),
            ]),
          ),
        );
      })
      .catch((err: unknown) => {
        if (!cancelled) showError(err);
      })
      .finally(() => {
        if (!cancelled) setBusy(false);
      });
    return () => {
      cancelled = true;
    };
  }, [api, showError, sent, params]);

  const toggle = (
    <button type="button" data-testid="repl-params-toggle" onClick={() => setParams(!params)}>
      {params ? t('repl.backToOrder') : t('repl.params')}
    </button>
  );
  if (params)
    return (
      <div className="replenishment" data-testid="replenishment">
        <p>{toggle}</p>
        <ReplenishmentParameters />
      </div>
    );
  if (!suggestion) return <p className="muted">{busy ? t('repl.loading') : t('bo.empty')}</p>;

  const lines = suggestion.lines;
  const invalid = lines.filter((l) => parseQuantity(edits[l.sku] ?? '', l.unit === 'weighed') === null);
  const send = async () => {
    if (invalid.length > 0) return;
    const order = lines
      .map((l) => ({ sku: l.sku, quantity: parseQuantity(edits[l.sku] ?? '', l.unit === 'weighed') ?? 0 }))
      .filter((l) => l.quantity > 0);
    if (order.length === 0) return;
    setBusy(true);
    try {
      setSent((await api.call('replenishment.submit', { day: suggestion.day, lines: order })).order);
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  let index = -1;
  const suppliers = [...new Set(lines.map((l) => l.supplier))];
  return (
    <div className="replenishment" data-testid="replenishment">
      <p>
        {toggle} {t('repl.for', { day: suggestion.day })}
        {suggestion.weather &&
          ` · ${t('repl.weather', { temp: Math.round(suggestion.weather.tempC), rain: suggestion.weather.rainMm })}`}
      </p>
      {!suggestion.holidayTableKnown && <p className="warn">{t('repl.noHolidays')}</p>}
      {sent && (
        <p className="ok" data-testid="repl-sent">
          {t('repl.sent', { n: sent.lines.length, id: sent.id.slice(-8) })}
        </p>
      )}
      <table className="list" data-testid="repl-list">
        <thead>
          <tr>
            <th>{t('till.col.item')}</th>
            <th>{t('repl.reason')}</th>
            <th>{t('repl.forecast')}</th>
            <th>{t('repl.onHand')}</th>
            <th>{t('repl.order')}</th>
          </tr>
        </thead>
        <tbody>
          {suppliers.map((s) => (
            <Fragment key={s}>
              <tr className="group">
                <th colSpan={5}>{s}</th>
              </tr>
              {lines
                .filter((l) => l.supplier === s)
                .map((l) => {
                  const i = ++index;
                  const bad = parseQuantity(edits[l.sku] ?? '', l.unit === 'weighed') === null;
                  return (
                    <tr key={l.sku} data-testid="repl-row" data-sku={l.sku}>
                      <td>{lang === 'en' ? l.nameEn : l.name}</td>
                      <td className="detail">{reasonText(l, lang)}</td>
                      <td>{quantityText(l, l.forecast)}</td>
                      <td>{quantityText(l, l.onHand)}</td>
                      <td>
                        <input
                          ref={(el) => {
                            inputs.current[i] = el;
                          }}
                          data-testid="repl-qty"
                          className={bad ? 'invalid' : ''}
                          inputMode="decimal"
                          aria-label={`${t('repl.order')} ${l.name}`}
                          value={edits[l.sku] ?? ''}
                          onChange={(e) => setEdits({ ...edits, [l.sku]: e.target.value })}
                          onKeyDown={(e) => {
                            if (e.key !== 'Enter') return;
                            e.preventDefault();
                            (inputs.current[i + 1] ?? submitRef.current)?.focus();
                          }}
                        />
                        {l.unit === 'weighed' ? ' kg' : ''}
                      </td>
                    </tr>
                  );
                })}
            </Fragment>
          ))}
        </tbody>
      </table>
      <button
        ref={submitRef}
        type="button"
        className="primary"
        data-testid="repl-submit"
        disabled={busy || invalid.length > 0}
        onClick={() => void send()}
      >
        {t('repl.send')}
      </button>
      {invalid.length > 0 && <p className="warn">{t('repl.invalid', { n: invalid.length })}</p>}
    </div>
  );
}
