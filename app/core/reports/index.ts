// Store-wide reports for the back office: sales by hour/category/product/tender/staff, waste and
// loss rate, Z-report history with cash over/short, and their CSV/XLSX exports — all read from the
// store's replicated facts so any till (and the cloud) shows the same figures.
export { reportSpan, salesReport, wasteReport, zHistory } from './reports-service';
export { exportReport } from './export-report';
export { attachReportRollup } from './rollup-store';
export type { ReportOptions } from './reports-service';
