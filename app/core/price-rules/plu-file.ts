// The PLU file for the store's label scales (docs/barcodes.md, PLU export): every active product
// that carries a scale key (`2x` flag + 5-digit PLU in its barcodes), with its shelf price now
// (per kg for weighed goods, after store price changes, like a shelf label), its shelf life and
// the flag the scale prints. The scale vendor's PC software (大华 TMA/Link, 顶尖 LinkPro) imports
// it; both read the same column-mapped CSV, so the brand only names the file. GB18030 bytes,
// because those tools run on zh-CN Windows.
import iconv from 'iconv-lite';
import type { PluScaleBrand, ReportFile } from '../../contract';
import { pluExportCsv, type PluRecord } from '../barcode';
import type { CoreContext } from '../context';
import { shelfLabelsFor } from './shelf-labels';

/** A catalog scale key: 2-digit flag (20 counted, 21–29 weighed) + 5-digit PLU (variableMeasureItemKey). */
const SCALE_KEY = /^(2\d)(\d{5})$/;

interface Row {
  sku: string;
  name: string;
  unit: 'each' | 'weighed';
  shelf_life_days: number | null;
  codes: string;
}

/** The flag the scale prints for this product: 21 weighed / 20 counted when listed, else its first key's (not the 18-digit 26). */
function flagOf(keys: RegExpExecArray[], weighed: boolean): RegExpExecArray {
  return keys.find((k) => k[1] === (weighed ? '21' : '20')) ?? keys.find((k) => k[1] !== '26') ?? keys[0]!;
}

export function pluFileFor(ctx: CoreContext, brand: PluScaleBrand): { file: ReportFile; products: number } {
  const rows = ctx.db
    .prepare(
      `SELECT p.sku, p.name, p.unit, p.shelf_life_days, group_concat(b.code, ' ') AS codes
       FROM products p JOIN barcodes b ON b.sku = p.sku
       WHERE p.active = 1 AND length(b.code) = 7 AND b.code LIKE '2%'
       GROUP BY p.sku ORDER BY p.sku`,
    )
    .all() as Row[];
  const picked = rows.flatMap((r) => {
    const keys = r.codes
      .split(' ')
      .sort()
      .map((c) => SCALE_KEY.exec(c))
      .filter((m): m is RegExpExecArray => m !== null);
    return keys.length ? [{ row: r, key: flagOf(keys, r.unit === 'weighed') }] : [];
  });
  const prices = new Map(
    shelfLabelsFor(
      ctx,
      picked.map((p) => p.row.sku),
    ).map((l) => [l.sku, l.price]),
  );
  const records: PluRecord[] = picked.map(({ row, key }) => ({
    plu: key[2]!,
    sku: row.sku,
    name: row.name,
    price: prices.get(row.sku) ?? 0,
    sold: row.unit === 'weighed' ? 'weighed' : 'counted',
    shelfLifeDays: row.shelf_life_days ?? 0,
    flag: key[1]!,
  }));
  const day = ctx.clock().toISOString().slice(0, 10).replace(/-/g, '');
  return {
    file: {
      fileName: `plu-${brand}-${ctx.storeId}-${day}.csv`,
      contentType: 'text/csv; charset=GB18030',
      base64: iconv.encode(pluExportCsv(records), 'gb18030').toString('base64'),
    },
    products: records.length,
  };
}
