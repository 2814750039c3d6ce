// Renders a receiptline document as plain monospace text (CJK counted as two columns, as on
// paper) and as SVG, and assembles the ReceiptView the till shows.
import receiptline from 'receiptline';
import type { ReceiptView } from '../../contract';
import { buildReceiptDocument, receiptCpl, type ReceiptInput } from './receipt-document';

function hasCjk(s: string): boolean {
  return /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/.test(s);
}

/** Encoding receiptline should use: GB18030 whenever the document holds Chinese text. */
export function receiptEncoding(doc: string): 'gb18030' | 'multilingual' {
  return hasCjk(doc) ? 'gb18030' : 'multilingual';
}

/**
 * Removes character-size marks (^, ^^, ^^^): on paper they enlarge text, in a monospace text
 * view they would only space letters apart. Escaped carets (\^) stay.
 */
export function withoutTextSize(doc: string): string {
  return doc.replace(/(\\.)|\^+/g, (_m: string, escaped: string | undefined) => escaped ?? '');
}

export function renderReceiptText(doc: string, width: 58 | 80): string {
  // The gb18030 text renderer counts CJK as two columns, as the printer does.
  const raw = receiptline.transform(withoutTextSize(doc), {
    command: 'text',
    cpl: receiptCpl(width),
    encoding: 'gb18030',
  });
  return (
    raw
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
      .replace(/\n+$/, '') + '\n'
  );
}

export function renderReceiptSvg(doc: string, width: 58 | 80): string {
  return receiptline.transform(doc, { command: 'svg', cpl: receiptCpl(width), encoding: receiptEncoding(doc) });
}

export function renderReceipt(input: ReceiptInput, opts: { svg?: boolean } = {}): ReceiptView & { document: string } {
  const document = buildReceiptDocument(input);
  const view: ReceiptView & { document: string } = {
    saleId: input.sale.id,
    text: renderReceiptText(document, input.width),
    code: input.receiptCode,
    width: input.width,
    reprint: input.reprint,
    document,
  };
  if (opts.svg !== false) view.svg = renderReceiptSvg(document, input.width);
  return view;
}
