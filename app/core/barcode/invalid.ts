// The one failure shape of the barcode parser: a stable reason code for programs and a
// message a cashier can act on, in English and zh-CN.

export type BarcodeInvalidReason =
  | 'empty'
  | 'control-char'
  | 'bad-characters'
  | 'wrong-length'
  | 'check-digit'
  | 'price-check-digit'
  | 'unknown-ai'
  | 'truncated'
  | 'value-too-long'
  | 'bad-value'
  | 'bad-date'
  | 'bad-weight'
  | 'bad-price'
  | 'duplicate-ai'
  | 'bad-url'
  | 'no-primary-key';

export interface BarcodeInvalid {
  ok: false;
  code: 'BARCODE_INVALID';
  reason: BarcodeInvalidReason;
  message: string;
  messageZh: string;
}

const TEXT: Record<BarcodeInvalidReason, [en: string, zh: string]> = {
  'empty': ['Nothing was scanned. Scan the barcode again.', '没有扫到内容，请重新扫码。'],
  'control-char': ['The scan contains unexpected control characters. Scan again; if it repeats, check the scanner settings.', '扫码内容含有异常控制字符，请重扫；如反复出现请检查扫码枪设置。'],
  'bad-characters': ['This barcode has letters or symbols where digits belong. Scan again or type the number.', '条码中应为数字的位置出现了字母或符号，请重扫或手工输入。'],
  'wrong-length': ['This barcode has the wrong number of digits. Scan again or type the number.', '条码位数不对，请重扫或手工输入。'],
  'check-digit': ['The barcode check digit is wrong (misread or damaged label). Scan again or type the number.', '条码校验位错误（可能误读或标签破损），请重扫或手工输入。'],
  'price-check-digit': ['The price/weight check digit on this scale label is wrong. Reprint the label at the scale.', '秤签上的价格/重量校验位错误，请到电子秤重新打印标签。'],
  'unknown-ai': ['This GS1 code contains a field the till does not know. Enter the item by hand.', '该 GS1 条码含有收银台无法识别的字段，请手工录入商品。'],
  'truncated': ['This GS1 code is cut short (incomplete scan). Scan again.', '该 GS1 条码内容不完整（扫码被截断），请重扫。'],
  'value-too-long': ['A field in this GS1 code is too long (a separator may be missing). Scan again; if it repeats, check the scanner sends GS (FNC1).', '该 GS1 条码某字段过长（可能缺少分隔符），请重扫；如反复出现请检查扫码枪是否输出 GS(FNC1)。'],
  'bad-value': ['A field in this GS1 code has invalid content. Enter the item by hand.', '该 GS1 条码某字段内容无效，请手工录入商品。'],
  'bad-date': ['The date in this code is not a real date. Check the label.', '条码中的日期无效，请核对标签。'],
  'bad-weight': ['The weight in this code is not valid. Weigh the item again.', '条码中的重量无效，请重新称重。'],
  'bad-price': ['The price in this code is not valid. Reprint the label or enter the price.', '条码中的价格无效，请重新打印标签或手工输入价格。'],
  'duplicate-ai': ['This GS1 code repeats a field with different values. Enter the item by hand.', '该 GS1 条码同一字段出现了不同的值，请手工录入商品。'],
  'bad-url': ['This QR code is not a product link the till can read.', '该二维码不是收银台可识别的商品链接。'],
  'no-primary-key': ['This GS1 link does not name a product (no GTIN). Scan the product barcode instead.', '该 GS1 链接中没有商品编码（GTIN），请改扫商品条码。'],
};

/** A detail appended to the message: the same text in both languages (e.g. "AI 17"), or one per language. */
export type Detail = string | { en: string; zh: string };

/** Builds the failure result; `detail` (e.g. the AI) is appended so support can see what failed. */
export function invalid(reason: BarcodeInvalidReason, detail?: Detail): BarcodeInvalid {
  const [en, zh] = TEXT[reason];
  const d = typeof detail === 'string' ? { en: detail, zh: detail } : detail;
  return {
    ok: false,
    code: 'BARCODE_INVALID',
    reason,
    message: d ? `${en} (${d.en})` : en,
    messageZh: d ? `${zh}（${d.zh}）` : zh,
  };
}

/** Internal control flow for deep parsers: thrown and caught inside parseBarcode only. */
export class BarcodeFailure extends Error {
  constructor(public readonly result: BarcodeInvalid) {
    super(result.message);
  }
}

export function fail(reason: BarcodeInvalidReason, detail?: Detail): never {
  throw new BarcodeFailure(invalid(reason, detail));
}
