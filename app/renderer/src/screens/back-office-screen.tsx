// Back office for managers: recent sales (with their receipts), the X report, the audit list,
// footfall & conversion per store hour (door counts from the store box ÷ the store's sales).
import { useEffect, useState } from 'react';
import type {
  AuditEntry,
  ConversionReport,
  ReceiptView,
  SaleSummary,
  ShiftReport,
  StaffView as Staff,
} from '../../../contract';
import { LAYER, useApp, useKeyScope } from '../app-context';
import { ReportView } from '../components/report-view';
import { formatFen, formatTime } from '../format';
import type { StringKey } from '../i18n';
import { ReceiptPreview } from './receipt-dialog';
import { PaymentsView } from './payments-view';
import { ReplenishmentView } from './replenishment-view';
import { ReportsView } from './reports-view';
import { StaffView } from './staff-view';
import { SettingsView } from './settings-view';
import { PricingView } from './pricing-view';
import { StoredValueView } from './stored-value-view';
import { TransfersView } from './transfers-view';
import { OrderRefundsView } from './order-refunds-view';
import { ReceivingView } from './receiving-view';
import { WasteView } from './waste-view';
import { StocktakeView } from './stocktake-view';
import { auditActionWords, auditAmountFen, auditReasonWords, auditWhatMore } from './audit-words';

type Tab =
  | 'sales'
  | 'x'
  | 'audit'
  | 'footfall'
  | 'payments'
  | 'reports'
  | 'staff'
  | 'replenish'
  | 'pricing'
  | 'storedValue'
  | 'transfers'
  | 'refunds'
  | 'receiving'
  | 'waste'
  | 'stocktake'
  | 'settings';

/** The tabs in screen order, with the key that opens each (where one does). */
const TABS: { tab: Tab; testid: string; label: StringKey; key?: string }[] = [
  { tab: 'reports', testid: 'bo-tab-reports', label: 'bo.reports', key: 'F5' },
  { tab: 'sales', testid: 'bo-tab-sales', label: 'bo.sales', key: 'F6' },
  { tab: 'x', testid: 'bo-tab-x', label: 'report.x', key: 'F7' },
  { tab: 'audit', testid: 'bo-tab-audit', label: 'bo.audit', key: 'F8' },
  { tab: 'footfall', testid: 'bo-tab-footfall', label: 'bo.footfall', key: 'F9' },
  { tab: 'staff', testid: 'bo-tab-staff', label: 'bo.staffTab' },
  { tab: 'settings', testid: 'bo-tab-settings', label: 'bo.settingsTab', key: 'Alt+S' },
  { tab: 'payments', testid: 'bo-tab-payments', label: 'bo.payments' },
  { tab: 'replenish', testid: 'bo-tab-replenish', label: 'bo.replenish' },
  { tab: 'pricing', testid: 'bo-tab-pricing', label: 'bo.pricing.title' },
  { tab: 'storedValue', testid: 'bo-tab-stored-value', label: 'sv.report' },
  { tab: 'transfers', testid: 'bo-tab-transfers', label: 'tr.tab' },
  { tab: 'refunds', testid: 'bo-tab-refunds', label: 'rf.tab', key: 'Alt+R' },
  { tab: 'receiving', testid: 'bo-tab-receiving', label: 'rc.tab' },
  { tab: 'waste', testid: 'bo-tab-waste', label: 'ws.tab' },
  { tab: 'stocktake', testid: 'bo-tab-stocktake', label: 'st.tab' },
];

export function BackOfficeScreen() {
  const { api, t, showError } = useApp();
  const [tab, setTab] = useState<Tab>('sales');
  const [sales, setSales] = useState<SaleSummary[] | null>(null);
  const [receipt, setReceipt] = useState<ReceiptView | null>(null);
  const [report, setReport] = useState<ShiftReport | null>(null);
  const [audit, setAudit] = useState<AuditEntry[] | null>(null);
  const [auditFilter, setAuditFilter] = useState<{ staffId: string; action: string; from: string; to: string }>({
    staffId: '',
    action: '',
    from: '',
    to: '',
  });
  const [staffList, setStaffList] = useState<Staff[]>([]);
  const [auditRaw, setAuditRaw] = useState(false);

  useEffect(() => {
    const load = async () => {
      try {
        if (tab === 'sales') setSales((await api.call('sales.list', { limit: 100 })).sales);
        if (tab === 'x') setReport((await api.call('shift.xReport', {})).report);
        if (tab === 'audit') {
          const f = auditFilter;
          setAudit(
            (
              await api.call('audit.list', {
                limit: 200,
                ...(f.staffId ? { staffId: f.staffId } : {}),
                ...(f.action ? { action: f.action } : {}),
                ...(f.from ? { from: f.from } : {}),
                ...(f.to ? { to: f.to } : {}),
              })
            ).entries,
          );
          if (staffList.length === 0) setStaffList((await api.call('staff.list', {})).staff);
        }
      } catch (err) {
        showError(err);
      }
    };
    void load();
  }, [tab, api, showError, auditFilter, staffList.length]);

  useKeyScope(LAYER.screen, {
    onKey: (k, ev) => {
      if (k === 'F5') {
        setTab('reports');
        return true;
      }
      if (k === 'F6') {
        setTab('sales');
        return true;
      }
      if (k === 'F7') {
        setTab('x');
        return true;
      }
      if (k === 'F8') {
        setTab('audit');
        return true;
      }
      if (k === 'F9') {
        setTab('footfall');
        return true;
      }
      if (ev?.altKey && (k === 's' || k === 'S')) {
        setTab('settings');
        return true;
      }
      if (ev?.altKey && (k === 'r' || k === 'R')) {
        setTab('refunds');
        return true;
      }
      // Alt+D: the audit list's raw detail (ids, fen, codes) on or off.
      if (tab === 'audit' && ev?.altKey && (k === 'd' || k === 'D')) {
        setAuditRaw((r) => !r);
        return true;
      }

      return false;
    },
  });

  const openReceipt = async (id: string) => {
    try {
      setReceipt((await api.call('sales.receipt', { id })).receipt);
    } catch (err) {
      showError(err);
    }
  };

  return (
    <div className="page backoffice">
      <h1>{t('bo.title')}</h1>
      <div className="segmented tabs">
        {TABS.map((x) => (
          <button
            key={x.tab}
            type="button"
            data-testid={x.testid}
            className={tab === x.tab ? 'on' : ''}
            onClick={() => setTab(x.tab)}
          >
            {t(x.label)}
            {x.key ? ` ${x.key}` : ''}
          </button>
        ))}
      </div>
      {tab === 'pricing' && <PricingView />}
      {tab === 'transfers' && <TransfersView />}
      {tab === 'refunds' && <OrderRefundsView />}
      {tab === 'receiving' && <ReceivingView />}
      {tab === 'waste' && <WasteView />}
      {tab === 'stocktake' && <StocktakeView />}
      {tab === 'storedValue' && <StoredValueView />}
      {tab === 'sales' && (
        <div className="split">
          <table className="list" data-testid="sales-list">
            <thead>
              <tr>
                <th>{t('bo.number')}</th>
                <th>{t('bo.time')}</th>
                <th>{t('bo.cashier')}</th>
                <th className="num">{t('bo.items')}</th>
                <th className="num">{t('bo.total')}</th>
              </tr>
            </thead>
            <tbody>
              {sales?.map((s) => (
                <tr key={s.id} data-testid="sales-row" onClick={() => void openReceipt(s.id)} className="clickable">
                  <td>{s.number}</td>
                  <td>{formatTime(s.createdAt)}</td>
                  <td>{s.cashier}</td>
                  <td className="num">{s.itemCount}</td>
                  <td className="num">{formatFen(s.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {sales?.length === 0 && <p className="muted">{t('bo.empty')}</p>}
          {receipt && <ReceiptPreview receipt={receipt} />}
        </div>
      )}
      {tab === 'x' && report && <ReportView report={report} />}
      {tab === 'audit' && (
        <div className="row reports-bar" data-testid="audit-filters">
          <label>
            {t('audit.filterStaff')}{' '}
            <select
              data-testid="audit-staff"
              value={auditFilter.staffId}
              onChange={(e) => setAuditFilter({ ...auditFilter, staffId: e.target.value })}
            >
              <option value="">{t('audit.all')}</option>
              {staffList.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('audit.filterAction')}{' '}
            <select
              data-testid="audit-action"
              value={auditFilter.action}
              onChange={(e) => setAuditFilter({ ...auditFilter, action: e.target.value })}
            >
              <option value="">{t('audit.all')}</option>
              {AUDIT_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('rep.from')}{' '}
            <input
              type="date"
              data-testid="audit-from"
              value={auditFilter.from}
              onChange={(e) => setAuditFilter({ ...auditFilter, from: e.target.value })}
            />
          </label>
          <label>
            {t('rep.to')}{' '}
            <input
              type="date"
              data-testid="audit-to"
              value={auditFilter.to}
              onChange={(e) => setAuditFilter({ ...auditFilter, to: e.target.value })}
            />
          </label>
        </div>
      )}
      {tab === 'audit' && (
        <AuditTable
          entries={audit}
          staffList={staffList}
          showRaw={auditRaw}
          onToggleRaw={() => setAuditRaw((r) => !r)}
        />
      )}
      {tab === 'footfall' && <FootfallView />}
      {tab === 'payments' && <PaymentsView />}
      {tab === 'replenish' && <ReplenishmentView />}
      {tab === 'reports' && <ReportsView />}
      {tab === 'staff' && <StaffView />}
      {tab === 'settings' && <SettingsView />}
    </div>
  );
}

/** The audit list in words: who, what, when, amount in yuan, reason; raw detail behind a toggle. */
function AuditTable(p: {
  entries: AuditEntry[] | null;
  staffList: Staff[];
  showRaw: boolean;
  onToggleRaw: () => void;
}) {
  const { t, config } = useApp();
  const lang = t.lang;
  const nameOf = (id: string) => p.staffList.find((s) => s.id === id)?.name ?? null;
  return (
    <>
      <div className="row">
        <button
          type="button"
          data-testid="audit-raw-toggle"
          aria-pressed={p.showRaw}
          className={p.showRaw ? 'on' : ''}
          onClick={p.onToggleRaw}
        >
          {t('audit.raw')} (Alt+D)
        </button>
      </div>
      <table className="list" data-testid="audit-list">
        <thead>
          <tr>
            <th>{t('bo.time')}</th>
            <th>{t('audit.who')}</th>
            <th>{t('bo.action')}</th>
            <th>{t('audit.amount')}</th>
            <th>{t('audit.reason')}</th>
            {p.showRaw && <th>{t('audit.detail')}</th>}
          </tr>
        </thead>
        <tbody>
          {p.entries?.map((a) => {
            const fen = auditAmountFen(a);
            const more = auditWhatMore(a, lang, nameOf);
            return (
              <tr key={a.id} data-testid="audit-row" data-action={a.action}>
                <td>{formatTime(a.at)}</td>
                <td data-testid="audit-who">
                  {a.staff?.name ?? ''}
                  {a.approvedBy && a.approvedBy.id !== a.staff?.id && (
                    <small> {t('audit.approvedBy', { name: a.approvedBy.name })}</small>
                  )}
                </td>
                <td data-testid="audit-what">
                  {auditActionWords(a.action, lang)}
                  {more && <small> {more}</small>}
                </td>
                <td data-testid="audit-amount">{fen === null ? '' : formatFen(fen)}</td>
                <td data-testid="audit-reason">{auditReasonWords(a, lang, config)}</td>
                {p.showRaw && (
                  <td className="detail" data-testid="audit-raw">
                    {a.action} {JSON.stringify(a.detail)}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

/** Action families and common actions the audit list can be narrowed to (a family matches `family.*`). */
const AUDIT_ACTIONS = [
  'auth',
  'staff',
  'sale',
  'cart.void',
  'return',
  'discount',
  'drawer.open',
  'shift',
  'config',
  'settings',
  'report.export',
  'payment',
];

const DAY_MS = 86_400_000;
const shiftDate = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const percent = (c: number | null) => (c === null ? '—' : `${(c * 100).toFixed(1)}%`);

/** Footfall & conversion for one store day: per-hour table, totals, how fresh the door counts are. */
function FootfallView() {
  const { api, t, showError } = useApp();
  const [date, setDate] = useState<string | null>(null);
  const [report, setReport] = useState<ConversionReport | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    // No date yet: the core answers for today in store time and says which date that is.
    api
      .call('footfall.conversion', date ? { date } : {})
      .then((r) => {
        if (!cancelled) {
          setReport(r.report);
          if (!date) setDate(r.report.date);
        }
      })
      .catch((err: unknown) => {
        if (!cancelled) showError(err);
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [api, date, showError]);

  useKeyScope(LAYER.screen, {
    onKey: (k) => {
      if (!date) return false;
      if (k === 'PageUp') {
        setDate(shiftDate(date, -1));
        return true;
      }
      if (k === 'PageDown') {
        setDate(shiftDate(date, 1));
        return true;
      }
      return false;
    },
  });

  // Show the trading part of the day: first to last hour with any activity (all hours if none).
  const hours = report?.hours ?? [];
  const busy = hours.map((h, i) => (h.entries || h.exits || h.transactions ? i : -1)).filter((i) => i >= 0);
  const shown = busy.length ? hours.slice(busy[0], busy[busy.length - 1]! + 1) : hours;
  const noFootfall = report !== null && report.footfallAsOf === null;
  const noFootfallDay = report !== null && !noFootfall && report.cameras.length === 0;

  return (
    <div className="footfall" data-testid="footfall-view">
      <div className="row footfall-bar">
        <label>
          {t('ff.date')}{' '}
          <input
            type="date"
            data-testid="footfall-date"
            value={date ?? ''}
            onChange={(e) => {
              if (/^\d{4}-\d{2}-\d{2}$/.test(e.target.value)) setDate(e.target.value);
            }}
          />
        </label>
        <span className="muted">{t('ff.dayKeys')}</span>
        {report && (
          <span className="muted" data-testid="footfall-zone">
            {t('ff.zone', { zone: report.timeZone })}
          </span>
        )}
        {loading && <span className="muted">{t('ff.loading')}</span>}
      </div>
      {report && (
        <p className="footfall-meta" data-testid="footfall-asof">
          {report.footfallAsOf ? t('ff.asOf', { time: formatTime(report.footfallAsOf) }) : ''}
          {report.cameras.length > 0 && (
            <span className="muted"> · {t('ff.cameras', { list: report.cameras.join(', ') })}</span>
          )}
        </p>
      )}
      {noFootfall && (
        <p className="sync-banner" data-testid="footfall-empty">
          {t('ff.noFootfall')}
        </p>
      )}
      {noFootfallDay && (
        <p className="sync-banner" data-testid="footfall-empty">
          {t('ff.noFootfallDay')}
        </p>
      )}
      {report && (
        <table className="list" data-testid="footfall-table">
          <thead>
            <tr>
              <th>{t('ff.hour')}</th>
              <th className="num">{t('ff.in')}</th>
              <th className="num">{t('ff.out')}</th>
              <th className="num">{t('ff.transactions')}</th>
              <th className="num">{t('ff.conversion')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((h) => (
              <tr key={h.start} data-testid="footfall-row" data-hour={h.label}>
                <td>{h.label}</td>
                <td className="num">{h.entries}</td>
                <td className="num">{h.exits}</td>
                <td className="num">{h.transactions}</td>
                <td className="num">{percent(h.conversion)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-testid="footfall-total">
              <th>{t('ff.total')}</th>
              <th className="num">{report.totals.entries}</th>
              <th className="num">{report.totals.exits}</th>
              <th className="num">{report.totals.transactions}</th>
              <th className="num">{percent(report.totals.conversion)}</th>
            </tr>
          </tfoot>
        </table>
      )}
    </div>
  );
}
