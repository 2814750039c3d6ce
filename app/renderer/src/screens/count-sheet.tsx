// One blind count sheet (盘点单), in one column so it fits a phone as well as the back office:
// a code field (a scanner in keyboard-wedge mode types the code and Enter; staff may type it),
// then the count (items) or weight (grams) in a big field, Enter or 保存 saves it
// (stocktake.count); "add" sums a second place on the shelf. The list shows what was counted,
// never the expected level. On the till the scale can fill the weight (`withScale`).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { StocktakeSheetLine } from '../../../contract';
import { LAYER, useApp, useKeyScope } from '../app-context';
import { fieldError, localError } from '../components/error-text';
import type { Ask } from '../components/prompt';
import { parseGrams } from '../format';
import { findProductByCode, formatStockQuantity } from './stock-lookup';
import { useWeighing } from './use-weighing';

export function CountSheet({ stocktakeId, ask, withScale }: { stocktakeId: string; ask: Ask; withScale: boolean }) {
  const { api, t, lang, showError, clearError, showInfo } = useApp();
  const { weighGrams, weighDialog } = useWeighing(ask);
  const [lines, setLines] = useState<StocktakeSheetLine[]>([]);
  // The code field waits for the sheet: a code scanned before the lines arrive would be
  // refused as "not on this sheet" (a scanner fires as soon as the page shows the field).
  const [sheet, setSheet] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [code, setCode] = useState('');
  const [current, setCurrent] = useState<StocktakeSheetLine | null>(null);
  const [amount, setAmount] = useState('');
  const [add, setAdd] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  const pendingScan = useRef<string | null>(null);
  const amountRef = useRef<HTMLInputElement>(null);
  const nameOf = (l: StocktakeSheetLine) => (lang === 'zh-CN' ? l.name : l.nameEn || l.name);

  const load = useCallback(async () => {
    setSheet('loading');
    try {
      setLines((await api.call('stocktake.sheet', { stocktakeId })).lines);
      setSheet('ready');
    } catch (err) {
      setSheet('failed');
      showError(err);
    }
  }, [api, stocktakeId, showError]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    (current ? amountRef : codeRef).current?.focus();
  }, [current, sheet]);

  useEffect(() => {
    const c = pendingScan.current;
    if (sheet !== 'ready' || c === null) return;
    pendingScan.current = null;
    void find(c);
    // Once per load, with that render's lines.
  }, [sheet]);

  const choose = (l: StocktakeSheetLine) => {
    clearError();
    setCurrent(l);
    setAmount('');
    setAdd(false);
  };

  const find = async (raw: string) => {
    const c = raw.trim();
    if (!c) return;
    // A code scanned while the sheet loads is looked up once it is here.
    if (sheet !== 'ready') {
      pendingScan.current = c;
      return;
    }
    setCode('');
    try {
      let line = lines.find((l) => l.sku === c);
      if (!line) {
        const p = await findProductByCode(api, c);
        line = p ? lines.find((l) => l.sku === p.sku) : undefined;
      }
      if (!line) throw localError('NOT_FOUND', t('cnt.notOnSheet', { code: c }));
      choose(line);
      if (withScale && line.unit === 'weighed') {
        const grams = await weighGrams(0, nameOf(line));
        if (grams !== null) setAmount(String(grams));
        amountRef.current?.focus();
      }
    } catch (err) {
      showError(err);
    }
  };

  const save = async () => {
    if (!current) return;
    const label = current.unit === 'weighed' ? t('rc.weight') : t('rc.quantity');
    const q =
      current.unit === 'weighed'
        ? amount.trim() === '0'
          ? 0
          : parseGrams(amount)
        : /^\s*\d{1,7}\s*$/.test(amount)
          ? Number(amount)
          : null;
    try {
      if (q === null) throw fieldError(t, label);
      const r = await api.call('stocktake.count', {
        stocktakeId,
        sku: current.sku,
        ...(current.unit === 'weighed' ? { weightGrams: q } : { quantity: q }),
        ...(add ? { add: true } : {}),
      });
      setLines((ls) => ls.map((l) => (l.sku === r.sku ? { ...l, counted: r.counted } : l)));
      showInfo(() => t('cnt.saved', { name: nameOf(current), counted: formatStockQuantity(current.unit, r.counted) }));
      setCurrent(null);
      setAmount('');
    } catch (err) {
      showError(err);
    }
  };

  useKeyScope(LAYER.screen, {
    // A hardware or wedge scanner on the till: the same as typing the code.
    onScan: (c) => void find(c),
    onKey: (k) => {
      if (k === 'Escape' && current) {
        setCurrent(null);
        return true;
      }
      return false;
    },
  });

  const counted = lines.filter((l) => l.counted !== null).length;
  return (
    <div className="count-sheet" data-testid="count-sheet" data-stocktake={stocktakeId}>
      {weighDialog}
      <p className="muted" data-testid="count-progress" data-counted={counted} data-lines={lines.length}>
        {t('cnt.progress', { counted, lines: lines.length })}
      </p>
      {sheet === 'loading' && (
        <p className="muted" data-testid="count-loading">
          {t('cnt.loading')}
        </p>
      )}
      {sheet === 'failed' && (
        <button type="button" className="big" data-testid="count-reload" onClick={() => void load()}>
          {t('cnt.refresh')}
        </button>
      )}
      {sheet === 'ready' && !current && (
        <div className="count-code">
          <input
            ref={codeRef}
            data-testid="count-code"
            className="big-input"
            autoComplete="off"
            enterKeyHint="search"
            placeholder={t('cnt.code')}
            aria-label={t('cnt.code')}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            onKeyDown={(e) => {
              // Ctrl+Enter is the back office's "post", not this field's.
              if (e.key === 'Enter' && !e.ctrlKey) {
                e.preventDefault();
                void find(e.currentTarget.value);
              }
            }}
          />
          <button type="button" className="big" data-testid="count-find" onClick={() => void find(code)}>
            {t('cnt.find')}
          </button>
        </div>
      )}
      {current && (
        <div className="count-entry" data-testid="count-entry" data-sku={current.sku}>
          <h2>{nameOf(current)}</h2>
          <p className="muted">
            {current.sku}
            {current.counted !== null && ` · ${t('st.counted')} ${formatStockQuantity(current.unit, current.counted)}`}
          </p>
          <label className="field">
            <span>{current.unit === 'weighed' ? t('rc.weight') : t('rc.quantity')}</span>
            <input
              ref={amountRef}
              data-testid="count-amount"
              className="big-input"
              inputMode="numeric"
              enterKeyHint="done"
              autoComplete="off"
              value={amount}
              onChange={(e) => setAmount(e.target.value.replace(/\D/g, '').slice(0, 8))}
              onKeyDown={(e) => {
                // Ctrl+Enter is the back office's "post", not this field's.
                if (e.key === 'Enter' && !e.ctrlKey) {
                  e.preventDefault();
                  void save();
                }
              }}
            />
          </label>
          <label className="count-add">
            <input
              type="checkbox"
              className="check"
              data-testid="count-add"
              checked={add}
              onChange={(e) => setAdd(e.target.checked)}
            />{' '}
            {t('cnt.add')}
          </label>
          <button type="button" className="primary big" data-testid="count-save" onClick={() => void save()}>
            {t('cnt.save')}
          </button>
          <button type="button" className="big" data-testid="count-cancel" onClick={() => setCurrent(null)}>
            {t('cancel')}
          </button>
        </div>
      )}
      <ul className="count-lines" data-testid="count-lines">
        {lines.map((l) => (
          <li key={l.sku}>
            <button
              type="button"
              data-testid="count-line"
              data-sku={l.sku}
              data-counted={l.counted ?? ''}
              className={l.counted === null ? '' : 'on'}
              onClick={() => choose(l)}
            >
              <span>{nameOf(l)}</span>
              <span className="num">
                {l.counted === null ? t('st.notCounted') : formatStockQuantity(l.unit, l.counted)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
