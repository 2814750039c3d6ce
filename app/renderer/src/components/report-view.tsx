// X / Z shift report as a table. Expected cash and over/short appear only on a Z report,
// after the blind count was entered.
import type { ShiftReport, TenderType } from '../../../contract';
import { useApp } from '../app-context';
import { formatFen, formatTime } from '../format';

/** `blind`: leave out expected cash (a cashier's X report), so the Z count stays a blind count. */
export function ReportView({ report, blind = false }: { report: ShiftReport; blind?: boolean }) {
  const { t } = useApp();
  const rows: [string, string, string][] = [
    ['report-sales', t('report.sales'), `${report.salesCount} · ${formatFen(report.salesTotal)}`],
    ['report-returns', t('report.returns'), `${report.returnsCount} · ${formatFen(report.returnsTotal)}`],
    ...(Object.entries(report.byTender) as [TenderType, number][]).map(([k, v]): [string, string, string] => [
      `report-tender-${k}`,
      t(`tender.${k}`),
      formatFen(v),
    ]),
    ['report-float', t('report.float'), formatFen(report.float)],
    ['report-cash-in', t('report.cashIn'), formatFen(report.cashIn)],
    ['report-cash-out', t('report.cashOut'), formatFen(report.cashOut)],
  ];
  if (report.kind === 'Z') {
    // Counted cash and over/short lead a Z report, so they are on screen at 1024×768 (issue 13 item 13).
    rows.unshift(
      ['report-expected', t('report.expected'), formatFen(report.expectedCash)],
      ['report-counted', t('report.counted'), report.countedCash === null ? '—' : formatFen(report.countedCash)],
      ['report-over-short', t('report.overShort'), report.overShort === null ? '—' : formatFen(report.overShort)],
    );
  } else if (!blind) rows.push(['report-expected', t('report.expected'), formatFen(report.expectedCash)]);
  return (
    <div className="report" data-testid="report-view" data-kind={report.kind}>
      <h3>{report.kind === 'X' ? t('report.x') : t('report.z')}</h3>
      <p className="muted">
        {formatTime(report.openedAt)}
        {report.closedAt ? ` – ${formatTime(report.closedAt)}` : ''}
      </p>
      <table>
        <tbody>
          {rows.map(([id, label, value]) => (
            <tr key={id} className={id === 'report-over-short' && (report.overShort ?? 0) !== 0 ? 'warn' : ''}>
              <th>{label}</th>
              <td className="num" data-testid={id}>
                {value}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
