// Saves a file the core wrote (base64 in the RPC answer: reports, the scales' PLU file) through
// the browser's download.
import type { ReportFile } from '../../../contract';

export function downloadFile(file: ReportFile): void {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.contentType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
