// Report exports (reports.export): every report as a table of named columns, written to CSV
// (UTF-8 with a byte-order mark, so Excel on a Chinese Windows opens it as UTF-8, not GBK) or
// XLSX through exceljs (maintained, pure JavaScript, nothing downloaded at run time). Money
// columns are yuan with two decimals in the file, the way a manager reads it; the fen stay exact
// because each value is an integer divided by 100 once. exceljs is loaded on the first XLSX export:
// it takes ~0.3 s to load, and the till starts without it (issue 19).
import type { ReportFile, SalesReport, WasteReport, ZHistory } from '../../contract';

type Kind = 'text' | 'int' | 'money' | 'rate' | 'grams';
interface Column {
  header: string;
  kind: Kind;
}
export interface ReportTable {
  title: string;
  columns: Column[];
  rows: (string | number | null)[][];
}

const col = (header: string, kind: Kind): Column => ({ header, kind });
const yuan = (fen: number | null | undefined) => (fen === null || fen === undefined ? null : fen / 100);

export function salesTable(r: SalesReport): ReportTable {
  const hour = r.groupBy === 'hour';
  const staff = r.groupBy === 'staff';
  const columns = [
    col(r.groupBy, 'text'),
    col('name', 'text'),
    col('name_en', 'text'),
    col('transactions', 'int'),
    col('items', 'int'),
    col('weight_kg', 'grams'),
    col('sales_cny', 'money'),
    col('returns_cny', 'money'),
    col('net_cny', 'money'),
    col('cost_cny', 'money'),
    col('margin_cny', 'money'),
    col('share', 'rate'),
    ...(hour ? [col('entries', 'int'), col('conversion', 'rate')] : []),
    ...(staff ? [col('voids', 'int'), col('void_cny', 'money')] : []),
  ];
  const rows = r.rows.map((x) => [
    x.key,
    x.label,
    x.labelEn,
    x.transactions,
    x.items,
    x.weightGrams,
    yuan(x.sales),
    yuan(x.returns),
    yuan(x.net),
    yuan(x.cost),
    yuan(x.margin),
    x.share,
    ...(hour ? [x.entries ?? 0, x.conversion ?? null] : []),
    ...(staff ? [x.voids ?? 0, yuan(x.voidAmount ?? 0)] : []),
  ]);
  const t = r.totals;
  rows.push([
    'total',
    '合计',
    'Total',
    t.transactions,
    t.items,
    t.weightGrams,
    yuan(t.sales),
    yuan(t.returns),
    yuan(t.net),
    yuan(t.cost),
    yuan(t.margin),
    1,
    ...(hour ? [t.entries, t.conversion] : []),
    ...(staff ? [t.voids, yuan(t.voidAmount)] : []),
  ]);
  return { title: `sales-${r.groupBy}`, columns, rows };
}

export function wasteTable(r: WasteReport): ReportTable {
  const columns = [
    col('by', 'text'),
    col('key', 'text'),
    col('name', 'text'),
    col('name_en', 'text'),
    col('movements', 'int'),
    col('items', 'int'),
    col('weight_kg', 'grams'),
    col('cost_cny', 'money'),
    col('loss_rate', 'rate'),
  ];
  const rows: (string | number | null)[][] = [
    ...r.byReason.map((x) => [
      'reason',
      x.key,
      x.label,
      x.labelEn,
      x.movements,
      x.items,
      x.weightGrams,
      yuan(x.cost),
      null,
    ]),
    ...r.byCategory.map((x) => [
      'category',
      x.key,
      x.label,
      x.labelEn,
      x.movements,
      x.items,
      x.weightGrams,
      yuan(x.cost),
      x.lossRate ?? null,
    ]),
    ['total', 'total', '合计', 'Total', r.totals.movements, null, null, yuan(r.totals.cost), r.totals.lossRate],
  ];
  return { title: 'waste', columns, rows };
}

export function zHistoryTable(r: ZHistory): ReportTable {
  const columns = [
    col('closed_at', 'text'),
    col('terminal', 'text'),
    col('cashier', 'text'),
    col('shift', 'text'),
    col('sales', 'int'),
    col('sales_cny', 'money'),
    col('returns_cny', 'money'),
    col('expected_cash_cny', 'money'),
    col('counted_cash_cny', 'money'),
    col('over_short_cny', 'money'),
  ];
  const rows = r.entries.map((e) => [
    e.report.closedAt ?? '',
    e.terminalId,
    e.staff?.name ?? e.staffId,
    e.shiftId,
    e.report.salesCount,
    yuan(e.report.salesTotal),
    yuan(e.report.returnsTotal),
    yuan(e.report.expectedCash),
    yuan(e.report.countedCash),
    yuan(e.report.overShort),
  ]);
  return { title: 'z-reports', columns, rows };
}

function cell(v: string | number | null, kind: Kind): string {
  if (v === null) return '';
  if (kind === 'money' && typeof v === 'number') return v.toFixed(2);
  if (kind === 'grams' && typeof v === 'number') return (v / 1000).toFixed(3);
  if (kind === 'rate' && typeof v === 'number') return v.toFixed(4);
  const s = String(v);
  // Quote what CSV needs quoted; a leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(s) && kind === 'text' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(t: ReportTable): string {
  const lines = [t.columns.map((c) => cell(c.header, 'text')).join(',')];
  for (const r of t.rows) lines.push(r.map((v, i) => cell(v, t.columns[i]!.kind)).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function toXlsx(t: ReportTable, meta: { storeId: string; from: string; to: string }): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'edge-pos';
  const ws = wb.addWorksheet(t.title.slice(0, 31));
  ws.columns = t.columns.map((c) => ({
    header: c.header,
    key: c.header,
    width: Math.max(10, c.header.length + 2),
    style:
      c.kind === 'money'
        ? { numFmt: '#,##0.00' }
        : c.kind === 'rate'
          ? { numFmt: '0.00%' }
          : c.kind === 'grams'
            ? { numFmt: '0.000' }
            : {},
  }));
  ws.getRow(1).font = { bold: true };
  for (const r of t.rows)
    ws.addRow(r.map((v, i) => (t.columns[i]!.kind === 'grams' && typeof v === 'number' ? v / 1000 : v)));
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const info = wb.addWorksheet('about');
  info.addRows([
    ['store', meta.storeId],
    ['from', meta.from],
    ['to', meta.to],
    ['report', t.title],
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function reportFile(
  t: ReportTable,
  format: 'csv' | 'xlsx',
  meta: { storeId: string; from: string; to: string },
): Promise<ReportFile> {
  const base = `${t.title}_${meta.storeId}_${meta.from}_${meta.to}`;
  if (format === 'csv')
    return {
      fileName: `${base}.csv`,
      contentType: 'text/csv; charset=utf-8',
      base64: Buffer.from(toCsv(t), 'utf8').toString('base64'),
    };
  return {
    fileName: `${base}.xlsx`,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    base64: (await toXlsx(t, meta)).toString('base64'),
  };
}
