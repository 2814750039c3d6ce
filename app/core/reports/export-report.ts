// reports.export: runs the named report over the same range and writes it as CSV or XLSX.
import type { ReportFile, ReportName, SalesGroupBy } from '../../contract';
import type { CoreContext } from '../context';
import type { TerminalSync } from '../../../sync/terminal';
import { reportFile, salesTable, wasteTable, zHistoryTable } from './report-export';
import { salesReport, wasteReport, zHistory, type ReportOptions, type ReportRange } from './reports-service';

export async function exportReport(
  ctx: CoreContext,
  sync: TerminalSync | null,
  input: ReportRange & { report: ReportName; format: 'csv' | 'xlsx'; groupBy: SalesGroupBy },
  opts: ReportOptions = {},
): Promise<ReportFile> {
  const range = { from: input.from, to: input.to };
  if (input.report === 'sales') {
    const r = await salesReport(ctx, sync, { ...range, groupBy: input.groupBy }, opts);
    return reportFile(salesTable(r), input.format, r);
  }
  if (input.report === 'waste') {
    const r = await wasteReport(ctx, sync, range, opts);
    return reportFile(wasteTable(r), input.format, r);
  }
  const r = await zHistory(ctx, sync, range);
  return reportFile(zHistoryTable(r), input.format, r);
}
