// The PLU file a label scale's own PC software imports (大华 TMA/Link, 顶尖 LinkPro and others
// all have an "import from Excel/TXT" dialog that maps columns to fields). We export one plain
// table rather than pushing PLUs over a brand's serial/TCP protocol: those protocols are not
// publicly documented for current models, and every brand's software reads this shape.
// Pure: returns text; the caller picks the byte encoding (GB18030 for Windows tools in zh-CN).
// Format and reasons: docs/barcodes.md "PLU export".

export interface PluRecord {
  /** The PLU the scale prints in the label (5 digits). */
  plu: string;
  /** The till's SKU (货号), so the scale operator can match rows. */
  sku: string;
  name: string;
  /** Price per kg (weighed) or per piece (counted), in fen. */
  price: number;
  sold: 'weighed' | 'counted';
  /** Shelf life in days (0: not printed). */
  shelfLifeDays: number;
  /** The 2-digit flag the scale prints in front of the PLU (21 weighed, 20 counted by default). */
  flag: string;
}

const HEADER = ['PLU', '货号', '品名', '单价(元)', '计价方式', '保质期(天)', '条码标识'];

/** One CSV cell: quoted when it holds a comma, quote or line break; line breaks become spaces. */
function cell(v: string): string {
  const flat = v.replace(/[\r\n]+/g, ' ');
  return /[",]/.test(flat) ? `"${flat.replace(/"/g, '""')}"` : flat;
}

function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(fen);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/**
 * CSV with a header row, CRLF line ends, price in yuan with two decimals (the scales' software
 * keys prices in yuan), 计价方式 0 = weighed (计重) / 1 = counted (计件), as the brands number them.
 */
export function pluExportCsv(records: readonly PluRecord[]): string {
  const rows = [HEADER.join(',')];
  for (const r of records) {
    if (!/^\d{1,6}$/.test(r.plu)) throw new RangeError(`PLU ${r.plu}: 1–6 digits`);
    rows.push(
      [
        r.plu.padStart(5, '0'),
        cell(r.sku),
        cell(r.name),
        yuan(r.price),
        r.sold === 'weighed' ? '0' : '1',
        String(r.shelfLifeDays),
        r.flag,
      ].join(','),
    );
  }
  return rows.join('\r\n') + '\r\n';
}

/** Reads a file written by pluExportCsv back (for the round-trip test and for checking an edited file). */
export function parsePluExportCsv(text: string): PluRecord[] {
  const lines = text.split(/\r\n/).filter((l) => l.length > 0);
  return lines.slice(1).map((line) => {
    const cells: string[] = [];
    let i = 0;
    while (i <= line.length) {
      if (line[i] === '"') {
        let v = '';
        i++;
        while (i < line.length) {
          if (line[i] === '"' && line[i + 1] === '"') {
            v += '"';
            i += 2;
          } else if (line[i] === '"') {
            i++;
            break;
          } else v += line[i++];
        }
        cells.push(v);
        i++; // the comma
      } else {
        const end = line.indexOf(',', i);
        const stop = end < 0 ? line.length : end;
        cells.push(line.slice(i, stop));
        i = stop + 1;
      }
    }
    const [plu = '', sku = '', name = '', price = '0', sold = '0', shelf = '0', flag = ''] = cells;
    const [y = '0', f = '0'] = price.replace('-', '').split('.');
    const fen = (Number(y) * 100 + Number(f.padEnd(2, '0'))) * (price.startsWith('-') ? -1 : 1);
    return {
      plu,
      sku,
      name,
      price: fen,
      sold: sold === '0' ? 'weighed' : 'counted',
      shelfLifeDays: Number(shelf),
      flag,
    };
  });
}
