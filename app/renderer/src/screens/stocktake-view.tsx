// The back office's stocktake (盘点): the count sheets with their progress; Insert starts one over
// a category; Enter opens one to count here (scan or type the code, the scale for weighed goods)
// while staff count from their phones (the till's web host at /#count, same RPCs); F4 shows
// the variance report (book level now, the count carried forward, variance at cost); Ctrl+Enter
// posts it after a confirmation. Esc goes back to the list.
import { useCallback, useState } from 'react';
import type { StocktakeSummary, StocktakeVarianceLine } from '../../../contract';
import { LAYER, useApp, useKeyScope } from '../app-context';
import { usePrompt } from '../components/prompt';
import { formatFen, formatTime } from '../format';
import { CountSheet } from './count-sheet';
import { formatStockQuantity, useReleaseTabFocus } from './stock-lookup';
import { useLatestLoad } from '../use-latest-load';

export function StocktakeView() {
  const { api, t, showError, showInfo } = useApp();
  const [ask, promptEl] = usePrompt();
  const [sessions, setSessions] = useState<StocktakeSummary[]>([]);
  const [sel, setSel] = useState(0);
  const [open, setOpen] = useState<StocktakeSummary | null>(null);
  useReleaseTabFocus();
  const [variance, setVariance] = useState<{ lines: StocktakeVarianceLine[]; value: number } | null>(null);

  // The sheets, and the categories to start from: Insert right after the tab opens waits for
  // them rather than offering an empty list.
  const fetchList = useCallback(async () => {
    const r = await api.call('stocktake.list', {});
    setSessions(r.stocktakes);
    return r.categories;
  }, [api]);
  const { reload: load, latest: categories } = useLatestLoad(fetchList, [] as { category: string; products: number }[]);

  const openSheet = (s: StocktakeSummary) => {
    setVariance(null);
    setOpen(s);
  };

  const start = async () => {
    const cats = await categories();
    const box: { started: StocktakeSummary | null } = { started: null };
    const v = await ask({
      title: t('st.start'),
      testid: 'st-start-dialog',
      fields: [
        {
          name: 'category',
          label: t('st.category'),
          kind: 'text',
          testid: 'st-category',
          options: cats.map((c) => ({ value: c.category, label: `${c.category} (${c.products})` })),
        },
      ],
      onSubmit: async (x) => {
        const r = await api.call('stocktake.start', { category: x['category'] ?? '' });
        box.started = {
          id: r.stocktakeId,
          scopeKind: 'category',
          scope: x['category'] ?? '',
          status: 'open',
          startedAt: new Date().toISOString(),
          postedAt: null,
          lines: r.lines.length,
          counted: 0,
        };
      },
    });
    if (v && box.started) openSheet(box.started);
    await load();
  };

  const showVariance = async (s: StocktakeSummary) => {
    try {
      setVariance(await api.call('stocktake.variance', { stocktakeId: s.id }));
    } catch (err) {
      showError(err);
    }
  };

  const post = async (s: StocktakeSummary) => {
    if (s.status !== 'open') return;
    // The confirmation has no field: Enter must reach it, not the code field of the sheet behind.
    if (document.activeElement instanceof HTMLInputElement) document.activeElement.blur();
    const v = await ask({
      title: t('st.postTitle'),
      message: t('st.postMessage'),
      testid: 'st-post-dialog',
      fields: [],
      onSubmit: async () => {
        const r = await api.call('stocktake.post', { stocktakeId: s.id });
        setVariance({ lines: r.lines, value: r.value });
        showInfo((tr) => tr('st.posted', { n: r.posted, value: formatFen(r.value) }));
      },
    });
    if (v) {
      setOpen({ ...s, status: 'posted' });
      await load();
    }
  };

  useKeyScope(LAYER.screen, {
    onKey: (k, ev) => {
      if (open) {
        if (k === 'Escape') {
          setOpen(null);
          setVariance(null);
          void load();
          return true;
        }
        if (k === 'F4') {
          void showVariance(open);
          return true;
        }
        if (k === 'Enter' && ev?.ctrlKey) {
          void post(open);
          return true;
        }
        return false;
      }
      if (k === 'Insert') {
        void start();
        return true;
      }
      if (k === 'ArrowDown' || k === 'ArrowUp') {
        setSel((i) => Math.max(0, Math.min(sessions.length - 1, i + (k === 'ArrowDown' ? 1 : -1))));
        return true;
      }
      const s = sessions[sel];
      if (k === 'Enter' && s) {
        openSheet(s);
        return true;
      }
      return false;
    },
  });

  const phoneUrl = `${window.location.origin}/#count`;
  return (
    <div data-testid="stocktake-view">
      {promptEl}
      {!open && (
        <>
          <div className="row reports-bar">
            <button type="button" data-testid="st-start" onClick={() => void start()}>
              {t('st.start')}
            </button>
            <span className="muted">{t('st.keys')}</span>
          </div>
          <p className="muted" data-testid="st-phone-url">
            {t('st.phone', { url: phoneUrl })}
          </p>
          <table className="list" data-testid="st-list">
            <thead>
              <tr>
                <th>{t('st.started')}</th>
                <th>{t('st.scope')}</th>
                <th className="num">{t('st.progress')}</th>
                <th>{t('st.status')}</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s, i) => (
                <tr
                  key={s.id}
                  data-testid="st-row"
                  data-id={s.id}
                  data-status={s.status}
                  className={`clickable ${i === sel ? 'on' : ''}`}
                  onClick={() => openSheet(s)}
                >
                  <td>{formatTime(s.startedAt)}</td>
                  <td>{s.scopeKind === 'skus' ? t('st.skus', { n: s.lines }) : s.scope}</td>
                  <td className="num">
                    {s.counted} / {s.lines}
                  </td>
                  <td>{t(`st.status.${s.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {sessions.length === 0 && <p className="muted">{t('st.none')}</p>}
        </>
      )}
      {open && (
        <>
          <div className="row reports-bar">
            <button type="button" data-testid="st-back" onClick={() => setOpen(null)}>
              {t('st.back')}
            </button>
            <b>{open.scopeKind === 'skus' ? t('st.skus', { n: open.lines }) : open.scope}</b>
            <span>{t(`st.status.${open.status}`)}</span>
            <span className="spacer" />
            <button type="button" data-testid="st-variance" onClick={() => void showVariance(open)}>
              {t('st.variance')}
            </button>
            {open.status === 'open' && (
              <button type="button" className="primary" data-testid="st-post" onClick={() => void post(open)}>
                {t('st.post')}
              </button>
            )}
          </div>
          <p className="muted">{t('st.sheetKeys')}</p>
          <div className="split">
            {open.status === 'open' ? <CountSheet stocktakeId={open.id} ask={ask} withScale /> : <div />}
            {variance && <VarianceTable report={variance} />}
          </div>
        </>
      )}
    </div>
  );
}

function VarianceTable({ report }: { report: { lines: StocktakeVarianceLine[]; value: number } }) {
  const { t } = useApp();
  return (
    <table className="list" data-testid="st-variance-table">
      <thead>
        <tr>
          <th>{t('rc.product')}</th>
          <th className="num">{t('st.expected')}</th>
          <th className="num">{t('st.counted')}</th>
          <th className="num">{t('st.difference')}</th>
          <th className="num">{t('st.value')}</th>
        </tr>
      </thead>
      <tbody>
        {report.lines.map((l) => (
          <tr
            key={l.sku}
            data-testid="st-variance-row"
            data-sku={l.sku}
            data-variance={l.variance}
            className={l.variance < 0 ? 'warn' : ''}
          >
            <td>{l.name}</td>
            <td className="num">{formatStockQuantity(l.unit, l.expected)}</td>
            <td className="num">{formatStockQuantity(l.unit, l.counted)}</td>
            <td className="num">{formatStockQuantity(l.unit, l.variance)}</td>
            <td className="num">{formatFen(l.value)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th colSpan={4}>{t('rc.total')}</th>
          <th className="num" data-testid="st-variance-total">
            {formatFen(report.value)}
          </th>
        </tr>
      </tfoot>
    </table>
  );
}
