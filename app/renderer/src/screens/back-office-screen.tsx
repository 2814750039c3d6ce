// Back office for managers: recent sales (with their receipts), the X report, the audit list.
import { useEffect, useState } from 'react';
import type { AuditEntry, ReceiptView, SaleSummary, ShiftReport } from '../../../contract';
import { LAYER, useApp, useKeyScope } from '../app-context';
import { ReportView } from '../components/report-view';
import { formatFen, formatTime } from '../format';
import { ReceiptPreview } from './receipt-dialog';

type Tab = 'sales' | 'x' | 'audit';

export function BackOfficeScreen() {
  const { api, t, showError } = useApp();
  const [tab, setTab] = useState<Tab>('sales');
  const [sales, setSales] = useState<SaleSummary[] | null>(null);
  const [receipt, setReceipt] = useState<ReceiptView | null>(null);
  const [report, setReport] = useState<ShiftReport | null>(null);
  const [audit, setAudit] = useState<AuditEntry[] | null>(null);

  useEffect(() => {
    const load = async () => {
      try {
        if (tab === 'sales') setSales((await api.call('sales.list', { limit: 100 })).sales);
        if (tab === 'x') setReport((await api.call('shift.xReport', {})).report);
        if (tab === 'audit') setAudit((await api.call('audit.list', { limit: 200 })).entries);
      } catch (err) { showError(err); }
    };
    void load();
  }, [tab, api, showError]);

  useKeyScope(LAYER.screen, {
    onKey: (k) => {
      if (k === 'F6') { setTab('sales'); return true; }
      if (k === 'F7') { setTab('x'); return true; }
      if (k === 'F8') { setTab('audit'); return true; }
      return false;
    },
  });

  const openReceipt = async (id: string) => {
    try { setReceipt((await api.call('sales.receipt', { id })).receipt); } catch (err) { showError(err); }
  };

  return (
    <div className="page backoffice">
      <h1>{t('bo.title')}</h1>
      <div className="segmented tabs">
        <button type="button" data-testid="bo-tab-sales" className={tab === 'sales' ? 'on' : ''} onClick={() => setTab('sales')}>{t('bo.sales')} F6</button>
        <button type="button" data-testid="bo-tab-x" className={tab === 'x' ? 'on' : ''} onClick={() => setTab('x')}>{t('report.x')} F7</button>
        <button type="button" data-testid="bo-tab-audit" className={tab === 'audit' ? 'on' : ''} onClick={() => setTab('audit')}>{t('bo.audit')} F8</button>
      </div>
      {tab === 'sales' && (
        <div className="split">
          <table className="list" data-testid="sales-list">
            <thead><tr><th>{t('bo.number')}</th><th>{t('bo.time')}</th><th>{t('bo.cashier')}</th><th className="num">{t('bo.items')}</th><th className="num">{t('bo.total')}</th></tr></thead>
            <tbody>
              {sales?.map((s) => (
                <tr key={s.id} data-testid="sales-row" onClick={() => void openReceipt(s.id)} className="clickable">
                  <td>{s.number}</td><td>{formatTime(s.createdAt)}</td><td>{s.cashier}</td><td className="num">{s.itemCount}</td><td className="num">{formatFen(s.total)}</td>
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
        <table className="list" data-testid="audit-list">
          <thead><tr><th>{t('bo.time')}</th><th>{t('bo.action')}</th><th>{t('bo.staff')}</th><th>{t('bo.approvedBy')}</th><th /></tr></thead>
          <tbody>
            {audit?.map((a) => (
              <tr key={a.id} data-testid="audit-row">
                <td>{formatTime(a.at)}</td><td>{a.action}</td><td>{a.staff?.name ?? ''}</td><td>{a.approvedBy?.name ?? ''}</td>
                <td className="detail">{JSON.stringify(a.detail)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
