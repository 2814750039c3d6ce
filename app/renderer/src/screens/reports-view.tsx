// The back office's store-wide reports: sales by hour (beside footfall and conversion), category,
// product (top and slow sellers), tender and staff; waste by reason and category with the loss
// rate; Z reports of every till with cash over/short per cashier. Every figure comes from the
// store's replicated facts (reports.* RPCs), so any till shows the same. Keyboard: 1–5 pick the
// grouping, PageUp/PageDown move the range, F4 exports XLSX, F12 CSV.
import { useEffect, useMemo, useState } from 'react';
import type { ReportName, SalesGroupBy, SalesReport, WasteReport, ZHistory, ZHistoryEntry } from '../../../contract';
import { LAYER, useApp, useKeyScope } from '../app-context';
import { downloadFile } from '../components/download-file';
import { Chart, type ChartOption } from '../components/lazy-chart';
import { ReportView } from '../components/report-view';
import { formatFen, formatGrams, formatTime } from '../format';

type View = 'sales' | 'waste' | 'z';
const GROUPS: SalesGroupBy[] = ['hour', 'category', 'product', 'tender', 'staff'];
const DAY_MS = 86_400_000;
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const spanDays = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
const money = (x: number | null) => (x === null ? '—' : formatFen(x));

export function ReportsView() {
  const { api, t, showError, showInfo } = useApp();
  const [view, setView] = useState<View>('sales');
  const [range, setRange] = useState<{ from: string; to: string } | null>(null);
  const [groupBy, setGroupBy] = useState<SalesGroupBy>('hour');
  const [sales, setSales] = useState<SalesReport | null>(null);
  const [waste, setWaste] = useState<WasteReport | null>(null);
  const [z, setZ] = useState<ZHistory | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    const input = range ?? {};
    const run = async () => {
      if (view === 'sales') {
        const r = (await api.call('reports.sales', { ...input, groupBy })).report;
        if (!cancelled) {
          setSales(r);
          if (!range) setRange({ from: r.from, to: r.to });
        }
      } else if (view === 'waste') {
        const r = (await api.call('reports.waste', input)).report;
        if (!cancelled) setWaste(r);
      } else {
        const r = (await api.call('reports.zHistory', input)).report;
        if (!cancelled) setZ(r);
      }
    };
    run()
      .catch((err: unknown) => {
        if (!cancelled) showError(err);
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [api, view, range, groupBy, showError]);

  const exportAs = async (format: 'csv' | 'xlsx') => {
    const report: ReportName = view === 'z' ? 'zHistory' : view;
    try {
      const { file } = await api.call('reports.export', { ...(range ?? {}), report, format, groupBy });
      downloadFile(file);
      showInfo((tr) => tr('rep.exported', { file: file.fileName }));
    } catch (err) {
      showError(err);
    }
  };

  const moveRange = (dir: 1 | -1) => {
    if (!range) return;
    const n = spanDays(range.from, range.to) * dir;
    setRange({ from: addDays(range.from, n), to: addDays(range.to, n) });
  };
  const lastDays = (n: number) => {
    const to = range?.to ?? sales?.to;
    if (to) setRange({ from: addDays(to, 1 - n), to });
  };

  useKeyScope(LAYER.screen, {
    onKey: (k) => {
      const g = Number(k);
      if (view === 'sales' && Number.isInteger(g) && g >= 1 && g <= GROUPS.length) {
        setGroupBy(GROUPS[g - 1]!);
        return true;
      }
      if (k === 'PageUp' || k === 'PageDown') {
        moveRange(k === 'PageUp' ? -1 : 1);
        return true;
      }
      if (k === 'F4' || k === 'F12') {
        void exportAs(k === 'F4' ? 'xlsx' : 'csv');
        return true;
      }
      return false;
    },
  });

  return (
    <div className="reports" data-testid="reports-view">
      <div className="row reports-bar">
        <div className="segmented">
          {(['sales', 'waste', 'z'] as const).map((v) => (
            <button
              key={v}
              type="button"
              data-testid={`rep-view-${v}`}
              className={view === v ? 'on' : ''}
              onClick={() => setView(v)}
            >
              {t(`rep.view.${v}`)}
            </button>
          ))}
        </div>
        <label>
          {t('rep.from')}{' '}
          <input
            type="date"
            data-testid="rep-from"
            value={range?.from ?? ''}
            onChange={(e) => {
              const v = e.target.value;
              if (/^\d{4}-\d{2}-\d{2}$/.test(v)) setRange({ from: v, to: range && range.to >= v ? range.to : v });
            }}
          />
        </label>
        <label>
          {t('rep.to')}{' '}
          <input
            type="date"
            data-testid="rep-to"
            value={range?.to ?? ''}
            onChange={(e) => {
              const v = e.target.value;
              if (/^\d{4}-\d{2}-\d{2}$/.test(v)) setRange({ from: range && range.from <= v ? range.from : v, to: v });
            }}
          />
        </label>
        <button type="button" onClick={() => lastDays(7)} data-testid="rep-7d">
          {t('rep.last7')}
        </button>
        <button type="button" onClick={() => lastDays(30)} data-testid="rep-30d">
          {t('rep.last30')}
        </button>
        <button type="button" onClick={() => void exportAs('xlsx')} data-testid="rep-export-xlsx">
          XLSX F4
        </button>
        <button type="button" onClick={() => void exportAs('csv')} data-testid="rep-export-csv">
          CSV F12
        </button>
        {loading && <span className="muted">{t('ff.loading')}</span>}
      </div>
      {view === 'sales' && sales && <SalesView report={sales} groupBy={groupBy} setGroupBy={setGroupBy} />}
      {view === 'waste' && waste && <WasteView report={waste} />}
      {view === 'z' && z && <ZView history={z} />}
    </div>
  );
}

function Figure({ id, label, value }: { id: string; label: string; value: string }) {
  return (
    <div className="figure">
      <span className="muted">{label}</span>
      <strong data-testid={id}>{value}</strong>
    </div>
  );
}

function SalesView(props: { report: SalesReport; groupBy: SalesGroupBy; setGroupBy(g: SalesGroupBy): void }) {
  const { t, lang } = useApp();
  const r = props.report;
  const label = (x: { label: string; labelEn: string }) => (lang === 'zh-CN' ? x.label : x.labelEn);
  const chart = useMemo((): ChartOption | null => {
    if (r.groupBy === 'hour') {
      const busy = r.rows.map((h, i) => (h.sales || h.entries ? i : -1)).filter((i) => i >= 0);
      const rows = busy.length ? r.rows.slice(busy[0], busy[busy.length - 1]! + 1) : r.rows;
      return {
        tooltip: { trigger: 'axis' },
        legend: { data: [t('rep.col.sales'), t('ff.in')] },
        grid: { left: 60, right: 50, top: 30, bottom: 30 },
        xAxis: { type: 'category', data: rows.map((h) => h.key) },
        yAxis: [
          { type: 'value', name: '¥' },
          { type: 'value', name: t('ff.in'), minInterval: 1 },
        ],
        series: [
          { name: t('rep.col.sales'), type: 'bar', data: rows.map((h) => h.sales / 100) },
          { name: t('ff.in'), type: 'line', yAxisIndex: 1, data: rows.map((h) => h.entries ?? 0) },
        ],
      } as ChartOption;
    }
    if (r.groupBy === 'category' || r.groupBy === 'tender')
      return {
        tooltip: { trigger: 'item' },
        series: [
          {
            type: 'pie',
            radius: ['35%', '70%'],
            data: r.rows.map((x) => ({ name: label(x), value: x.sales / 100 })),
          },
        ],
      } as ChartOption;
    if (r.groupBy === 'product') {
      const top = r.rows.slice(0, 10).reverse();
      return {
        tooltip: { trigger: 'axis' },
        grid: { left: 140, right: 20, top: 10, bottom: 20 },
        xAxis: { type: 'value' },
        yAxis: { type: 'category', data: top.map(label) },
        series: [{ type: 'bar', data: top.map((x) => x.sales / 100) }],
      } as ChartOption;
    }
    return null;
  }, [r, lang, t]);
  const slow = r.groupBy === 'product' ? r.rows.slice(-5).reverse() : [];
  const tot = r.totals;
  return (
    <div data-testid="sales-report" data-group={r.groupBy}>
      <div className="figures">
        <Figure id="rep-total-sales" label={t('rep.col.sales')} value={formatFen(tot.sales)} />
        <Figure id="rep-total-tx" label={t('ff.transactions')} value={String(tot.transactions)} />
        <Figure id="rep-basket" label={t('rep.basket')} value={money(tot.averageBasket)} />
        <Figure
          id="rep-returns"
          label={t('rep.col.returns')}
          value={`${tot.returnsCount} · ${formatFen(tot.returns)}`}
        />
        <Figure id="rep-voids" label={t('rep.voids')} value={`${tot.voids} · ${formatFen(tot.voidAmount)}`} />
        <Figure
          id="rep-margin"
          label={t('rep.margin')}
          value={
            tot.margin === null
              ? t('rep.noCost')
              : `${formatFen(tot.margin)} · ${pct(tot.marginRate)} (${t('rep.coverage', { p: pct(tot.costCoverage) })})`
          }
        />
        <Figure id="rep-conversion" label={t('ff.conversion')} value={`${tot.entries} · ${pct(tot.conversion)}`} />
      </div>
      <p className="muted" data-testid="rep-source">
        {r.source === 'replica'
          ? t('rep.sourceReplica', { tills: r.terminals.join(', ') || '—' })
          : t('rep.sourceLocal')}{' '}
        · {r.timeZone}
      </p>
      <div className="segmented tabs">
        {GROUPS.map((g, i) => (
          <button
            key={g}
            type="button"
            data-testid={`rep-group-${g}`}
            className={props.groupBy === g ? 'on' : ''}
            onClick={() => props.setGroupBy(g)}
          >
            {t(`rep.group.${g}`)} {i + 1}
          </button>
        ))}
      </div>
      {chart && <Chart option={chart} testId={`rep-chart-${r.groupBy}`} loading={t('ff.loading')} />}
      <table className="list" data-testid="rep-table">
        <thead>
          <tr>
            <th>{t(`rep.group.${r.groupBy}`)}</th>
            <th className="num">{t('ff.transactions')}</th>
            <th className="num">{t('rep.col.qty')}</th>
            <th className="num">{t('rep.col.sales')}</th>
            <th className="num">{t('rep.col.returns')}</th>
            <th className="num">{t('rep.margin')}</th>
            <th className="num">{t('rep.col.share')}</th>
            {r.groupBy === 'hour' && <th className="num">{t('ff.in')}</th>}
            {r.groupBy === 'hour' && <th className="num">{t('ff.conversion')}</th>}
            {r.groupBy === 'staff' && <th className="num">{t('rep.voids')}</th>}
          </tr>
        </thead>
        <tbody>
          {r.rows
            .filter((x) => r.groupBy !== 'hour' || x.sales || x.entries || x.returns)
            .map((x) => (
              <tr key={x.key} data-testid="rep-row" data-key={x.key}>
                <td>{label(x)}</td>
                <td className="num">{x.transactions}</td>
                <td className="num">
                  {x.items}
                  {x.weightGrams ? ` + ${formatGrams(x.weightGrams)}` : ''}
                </td>
                <td className="num" data-testid="rep-row-sales">
                  {formatFen(x.sales)}
                </td>
                <td className="num">{x.returns ? formatFen(x.returns) : ''}</td>
                <td className="num">{money(x.margin)}</td>
                <td className="num">{pct(x.share)}</td>
                {r.groupBy === 'hour' && <td className="num">{x.entries ?? 0}</td>}
                {r.groupBy === 'hour' && <td className="num">{pct(x.conversion)}</td>}
                {r.groupBy === 'staff' && (
                  <td className="num">
                    {x.voids ?? 0} · {formatFen(x.voidAmount ?? 0)}
                  </td>
                )}
              </tr>
            ))}
        </tbody>
      </table>
      {slow.length > 0 && (
        <p className="muted" data-testid="rep-slow">
          {t('rep.slow')}: {slow.map((x) => `${label(x)} ${formatFen(x.sales)}`).join(' · ')}
        </p>
      )}
    </div>
  );
}

function WasteView({ report }: { report: WasteReport }) {
  const { t, lang } = useApp();
  const label = (x: { label: string; labelEn: string }) => (lang === 'zh-CN' ? x.label : x.labelEn);
  const trend = useMemo(
    (): ChartOption => ({
      tooltip: { trigger: 'axis' },
      legend: { data: [t('rep.waste'), t('rep.lossRate')] },
      grid: { left: 60, right: 50, top: 30, bottom: 30 },
      xAxis: { type: 'category', data: report.days.map((d) => d.date.slice(5)) },
      yAxis: [
        { type: 'value', name: '¥' },
        { type: 'value', name: '%' },
      ],
      series: [
        { name: t('rep.waste'), type: 'bar', data: report.days.map((d) => d.waste / 100) },
        {
          name: t('rep.lossRate'),
          type: 'line',
          yAxisIndex: 1,
          data: report.days.map((d) => (d.lossRate === null ? null : Number((d.lossRate * 100).toFixed(2)))),
        },
      ],
    }),
    [report, t],
  );
  const table = (rows: WasteReport['byReason'], id: string, withRate: boolean) => (
    <table className="list" data-testid={id}>
      <tbody>
        {rows.map((x) => (
          <tr key={x.key} data-testid="waste-row" data-key={x.key}>
            <td>{label(x)}</td>
            <td className="num">{x.movements}</td>
            <td className="num">
              {x.items}
              {x.weightGrams ? ` + ${formatGrams(x.weightGrams)}` : ''}
            </td>
            <td className="num">{formatFen(x.cost)}</td>
            {withRate && <td className="num">{pct(x.lossRate)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <div data-testid="waste-report">
      <div className="figures">
        <Figure id="waste-total" label={t('rep.waste')} value={formatFen(report.totals.cost)} />
        <Figure id="waste-loss-rate" label={t('rep.lossRate')} value={pct(report.totals.lossRate)} />
        <Figure id="waste-sales-cost" label={t('rep.salesAtCost')} value={money(report.totals.salesAtCost)} />
      </div>
      {report.days.length > 1 && <Chart option={trend} testId="rep-chart-loss" loading={t('ff.loading')} />}
      <div className="split2">
        <div>
          <h3>{t('rep.byReason')}</h3>
          {table(report.byReason, 'waste-by-reason', false)}
        </div>
        <div>
          <h3>{t('rep.byCategory')}</h3>
          {table(report.byCategory, 'waste-by-category', true)}
        </div>
      </div>
      {report.totals.movements === 0 && <p className="muted">{t('bo.empty')}</p>}
    </div>
  );
}

function ZView({ history }: { history: ZHistory }) {
  const { t } = useApp();
  const [open, setOpen] = useState<ZHistoryEntry | null>(null);
  return (
    <div className="split" data-testid="z-history">
      <div>
        <table className="list" data-testid="z-list">
          <thead>
            <tr>
              <th>{t('bo.time')}</th>
              <th>{t('rep.till')}</th>
              <th>{t('bo.cashier')}</th>
              <th className="num">{t('report.sales')}</th>
              <th className="num">{t('report.overShort')}</th>
            </tr>
          </thead>
          <tbody>
            {history.entries.map((e) => (
              <tr
                key={e.shiftId}
                data-testid="z-row"
                className={`clickable ${open?.shiftId === e.shiftId ? 'on' : ''}`}
                onClick={() => setOpen(e)}
              >
                <td>{e.report.closedAt ? formatTime(e.report.closedAt) : ''}</td>
                <td>{e.terminalId}</td>
                <td>{e.staff?.name ?? e.staffId}</td>
                <td className="num">{formatFen(e.report.salesTotal)}</td>
                <td className={`num ${(e.report.overShort ?? 0) !== 0 ? 'warn' : ''}`}>{money(e.report.overShort)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {history.entries.length === 0 && <p className="muted">{t('bo.empty')}</p>}
        <h3>{t('rep.overShortByCashier')}</h3>
        <table className="list" data-testid="z-by-cashier">
          <tbody>
            {history.byCashier.map((c) => (
              <tr key={c.staffId}>
                <td>{c.staff?.name ?? c.staffId}</td>
                <td className="num">{c.shifts}</td>
                <td className={`num ${c.overShort !== 0 ? 'warn' : ''}`}>{formatFen(c.overShort)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {open && <ReportView report={open.report} />}
    </div>
  );
}
