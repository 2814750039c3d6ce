// Back office → stored value (储值): the store's outstanding liability, paid principal apart from
// bonus (refunds and the 预付卡 report need it), today's top-ups and spending, and the balances a
// sync merge took below zero (two tills spent the same money offline), with the sales to follow up.
import { useEffect, useState } from 'react';
import type { StoredValueReport } from '../../../contract';
import { useApp } from '../app-context';
import { formatFen } from '../format';

export function StoredValueView() {
  const { api, t, showError } = useApp();
  const [report, setReport] = useState<StoredValueReport | null>(null);
  useEffect(() => {
    api
      .call('storedValue.report', {})
      .then((r) => setReport(r.report))
      .catch((err: unknown) => showError(err));
  }, [api, showError]);
  if (!report) return null;
  const rows: [string, string, string][] = [
    ['sv-principal', t('sv.principal'), formatFen(report.principal)],
    ['sv-bonus', t('sv.bonus'), formatFen(report.bonus)],
    ['sv-members', t('sv.members'), String(report.members)],
    ['sv-topped-up', t('sv.toppedUpToday'), formatFen(report.toppedUpToday)],
    ['sv-spent', t('sv.spentToday'), formatFen(report.spentToday)],
  ];
  return (
    <div className="stored-value" data-testid="stored-value-view">
      <table>
        <tbody>
          {rows.map(([id, label, value]) => (
            <tr key={id}>
              <th>{label}</th>
              <td data-testid={id}>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('sv.flagged')}</h3>
      {report.flagged.length === 0 && <p data-testid="sv-no-flags">{t('sv.noFlags')}</p>}
      <ul data-testid="sv-flags">
        {report.flagged.map((f) => (
          <li key={`${f.kind}-${f.memberId}`} data-testid="sv-flag">
            {t(`sv.flagKind.${f.kind}`)} · {f.maskedName ?? f.memberId} ·{' '}
            {f.kind === 'stored_value' ? formatFen(f.balance) : f.balance} ·{' '}
            {f.sales.map((s) => `${s.terminalId || ''} ${s.saleId.slice(-8)}`.trim()).join(', ')}
          </li>
        ))}
      </ul>
    </div>
  );
}
