// Shapes that cross the RPC boundary. Money is integer fen with its currency; weights are
// grams; times are ISO-8601 UTC strings. Names follow ../../../shared/GLOSSARY.md.
import type { Role } from './methods';

export type Currency = 'CNY';
export type Unit = 'each' | 'weighed';
export type TenderType = 'cash' | 'card' | 'payment_code';
export type Lang = 'zh-CN' | 'en';

export interface StaffView {
  id: string;
  name: string;
  role: Role;
}

export interface ProductView {
  sku: string;
  name: string; // zh-CN name as printed on the shelf label
  nameEn: string;
  barcodes: string[];
  price: number; // fen per each, or fen per kg when unit is 'weighed'
  currency: Currency;
  unit: Unit;
  taxClass: string; // e.g. 'food-9', 'std-13'
  category: string;
  active: boolean;
}

export interface CartLine {
  lineId: string;
  sku: string;
  name: string;
  nameEn: string;
  unit: Unit;
  quantity: number; // items; 1 for weighed lines
  weightGrams: number | null;
  unitPrice: number; // fen per each or per kg
  gross: number; // fen before discount
  discount: number; // fen, >= 0
  total: number; // gross - discount
  barcode: string | null;
}

export interface Cart {
  id: string;
  lines: CartLine[];
  itemCount: number;
  subtotal: number; // sum of gross
  discount: number; // sum of line discounts
  total: number; // amount due before cash rounding
  currency: Currency;
  updatedAt: string;
}

export interface ScanResult {
  cart: Cart;
  lineId: string;
  /** What the barcode parser understood, for the cashier and for tests. */
  parsed: { kind: string; gtin?: string; weightGrams?: number; price?: number };
}

export interface ParkedCartSummary {
  parkedId: string;
  label: string;
  itemCount: number;
  total: number;
  parkedAt: string;
}

export interface TenderRecord {
  type: TenderType;
  amount: number; // fen applied to the sale (after change is given back)
  tendered: number; // fen handed over (cash can exceed amount)
  reference: string | null; // card approval code / payment-code transaction id
  provider: string | null; // 'wechat-sandbox' | 'alipay-sandbox' | 'external-card-terminal'
}

export interface SaleLine extends CartLine {
  returnedQuantity: number;
  returnedWeightGrams: number;
}

export interface Sale {
  id: string; // globally unique (uuid v7)
  number: string; // unique per terminal, printed on the receipt, e.g. T01-000123
  terminalId: string;
  storeId: string;
  cashier: StaffView;
  shiftId: string | null;
  lines: SaleLine[];
  subtotal: number;
  discount: number;
  rounding: number; // cash rounding adjustment in fen (negative = customer pays less)
  total: number; // what the customer paid after rounding
  currency: Currency;
  tenders: TenderRecord[];
  change: number;
  createdAt: string;
  returns: { returnId: string; amount: number; createdAt: string }[];
}

export interface SaleSummary {
  id: string;
  number: string;
  total: number;
  itemCount: number;
  createdAt: string;
  cashier: string;
}

export interface PaymentResult {
  saleId: string;
  saleNumber: string;
  total: number;
  rounding: number;
  change: number;
  tenders: TenderRecord[];
  receipt: ReceiptView;
}

/** A payment-code charge as the till journals it (the payment code itself is never stored). */
export interface PaymentIntentView {
  id: string;
  saleId: string;
  /** Merchant order number at the gateway (out_trade_no); the same for every retry, query and reversal. */
  outTradeNo: string;
  wallet: 'wechat' | 'alipay';
  amount: number;
  /** charging → approved → captured; declined; pending/unknown (being queried); reversing (reversal owed) → reversed. */
  status: 'charging' | 'pending' | 'unknown' | 'approved' | 'declined' | 'captured' | 'reversing' | 'reversed';
  transactionId: string | null;
  message: string | null;
  attempts: number;
  createdAt: string;
  updatedAt: string;
}

/** One difference between the store's payment-code sales/returns and a gateway statement. */
export interface ReconcileLine {
  kind: 'missing_ours' | 'missing_theirs' | 'amount_mismatch';
  wallet: 'wechat' | 'alipay';
  outTradeNo: string;
  ours: { paid: number; refunded: number } | null;
  theirs: { paid: number; refunded: number } | null;
}

export interface ReceiptView {
  saleId: string;
  /** Plain-text rendering (monospace, CJK counts as width 2), the same layout as paper. */
  text: string;
  /** What the barcode/QR on the receipt encodes; scanning it at the till finds the sale for returns. */
  code: string;
  width: 58 | 80;
  reprint: boolean;
  svg?: string;
  /** The receiptline document the text and SVG were rendered from; printers encode it to ESC/POS. */
  document?: string;
}

export interface ReturnableSale extends Sale {
  refundable: number;
}

export interface ReturnRecord {
  id: string;
  saleId: string;
  lines: { lineId: string; sku: string; quantity: number; weightGrams: number | null; amount: number }[];
  amount: number;
  tenders: TenderRecord[];
  approvedBy: StaffView;
  reason: string;
  createdAt: string;
}

export interface Shift {
  id: string;
  cashier: StaffView;
  openedAt: string;
  closedAt: string | null;
  float: number;
  cashMovements: { kind: 'in' | 'out'; amount: number; reason: string; at: string }[];
}

export interface ShiftReport {
  kind: 'X' | 'Z';
  shiftId: string;
  openedAt: string;
  closedAt: string | null;
  salesCount: number;
  salesTotal: number;
  returnsCount: number;
  returnsTotal: number;
  byTender: Record<TenderType, number>;
  float: number;
  cashIn: number;
  cashOut: number;
  expectedCash: number;
  countedCash: number | null; // Z only
  overShort: number | null; // counted - expected; Z only
}

export interface AuditEntry {
  id: string;
  at: string;
  action: string;
  staff: StaffView | null;
  approvedBy: StaffView | null;
  detail: Record<string, unknown>;
}

export interface StockView {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  unit: Unit;
  asOf: string;
  /** On hand is below zero: the shelf sold more than the books held (allowed, flagged for the back office). */
  negative: boolean;
}

export type DeviceKind = 'printer' | 'scanner' | 'scale' | 'display' | 'drawer';

/** A device as the setup screen lists it. */
export interface DeviceView {
  id: string;
  kind: DeviceKind;
  /** tcp://host:9100, serial:/dev/ttyUSB0?baud=9600, usb:/dev/usb/lp0, hid:VID:PID */
  uri: string;
  status: string;
  /** Plain words for the cashier/technician, both languages, or null when all is well. */
  message: string | null;
  configured: boolean;
  emulated: boolean;
  /** The device's settings as configured (width, encoding, pin, pulseMs, terminator, …); {} when only detected. */
  options: Record<string, string | number | boolean>;
}

/** A settled weight from the till's scale. */
export interface WeightReading {
  deviceId: string;
  grams: number;
  stable: true;
  at: string;
}

/** Footfall paired with transactions for one store day, hour by hour (store local time). */
export interface ConversionHour {
  /** Start of the hour, ISO-8601 UTC. */
  start: string;
  /** Local label, e.g. '09:00'. */
  label: string;
  entries: number;
  exits: number;
  transactions: number;
  /** transactions ÷ entries, or null when nobody came in. */
  conversion: number | null;
}

export interface ConversionReport {
  storeId: string;
  /** Local date, YYYY-MM-DD. */
  date: string;
  timeZone: string;
  hours: ConversionHour[];
  totals: { entries: number; exits: number; transactions: number; conversion: number | null };
  cameras: string[];
  /** End of the newest footfall interval this replica holds, or null when it holds none. */
  footfallAsOf: string | null;
}

export interface TillConfig {
  storeId: string;
  storeName: string;
  terminalId: string;
  currency: Currency;
  lang: Lang;
  /** 抹零: how the total is rounded when paid wholly in cash. unit in fen (10 = 1 jiao). */
  cashRounding: { mode: 'none' | 'down' | 'nearest'; unit: number };
  /** Line discounts above this percent need a manager PIN from a cashier. */
  maxCashierDiscountPercent: number;
  receiptWidth: 58 | 80;
  wecomQrUrl: string | null;
  /** The store's IANA time zone (footfall and conversion hours, day boundaries). */
  timeZone: string;
  wedge: { prefix: string; suffix: string; maxInterKeyMs: number; minLength: number };
  /** How the store's label scales print their labels (docs/barcodes.md). */
  scaleLabels: ScaleLabelConfig;
  /** Waste worth more than this at cost (fen) needs a manager's approval (报损审批线). */
  wasteApprovalFen: number;
}

/** A variable-measure label layout (validated by the barcode module's variableMeasureRuleSchema). */
export interface ScaleLabelRule {
  id: string;
  prefixes: string[];
  length?: 13 | 18;
  itemDigits: number;
  measure: 'weight' | 'price' | 'price-weight';
  valueDigits: number;
  decimals: number;
  weightDigits?: number;
  weightDecimals?: number;
  priceCheckDigit: boolean;
  sold?: 'weighed' | 'counted';
}

export interface ScaleLabelConfig {
  /** 'cn-scale' (default: 大华/顶尖 factory layouts), 'dahua', 'aclas', 'gs1-europe', or 'custom' (then `rules`). */
  preset: 'cn-scale' | 'dahua' | 'aclas' | 'gs1-europe' | 'custom';
  rules?: ScaleLabelRule[];
  /** How far a label's amount may differ from weight × price per kg before it is refused, in fen. */
  amountToleranceFen: number;
}

export interface TerminalStatus {
  terminalId: string;
  storeId: string;
  version: string;
  online: boolean;
  sync: {
    state: 'disabled' | 'ok' | 'pending' | 'error';
    pendingOps: number;
    lastSyncAt: string | null;
    lagSeconds: number | null;
    /** English, for API users; the screens translate `reason`. */
    message: string | null;
    /** Why the state is 'error': revoked (pair again), offline, diverged (checksums differ), clock-ahead (changes held). */
    reason?: 'revoked' | 'offline' | 'diverged' | 'clock-ahead' | null;
    heldOps?: number;
  };
  devices: { id: string; kind: string; status: string; message: string | null }[];
  /** Whether the till's sale records are whole (see SaleRecordsStatus); absent from older cores. */
  saleRecords?: SaleRecordsStatus;
}

/**
 * The sale journal's verdict at start-up: 'needs_technician' when acknowledged sales may be
 * missing from the database (damaged WAL, journal ahead of the database, damaged or unwritable
 * journal). Selling is refused (TILL_NEEDS_TECHNICIAN) until a technician acknowledges it.
 */
export interface SaleRecordsStatus {
  state: 'ok' | 'needs_technician';
  reason: 'wal_damaged' | 'sales_missing' | 'journal_damaged' | 'journal_unwritable' | null;
  message: string | null;
  /** Highest sale sequence the journal says was issued, and the database's highest. */
  journalHighWater: number;
  databaseHighWater: number;
  /** Acknowledged sales (ids) the database no longer has, at most 50. */
  missingSales: string[];
  /** Where the damaged WAL was copied for investigation, if it was. */
  walCopy: string | null;
}

/** Events pushed over SSE (`GET /api/events`) and Electron IPC. */
export type TillEvent =
  | { type: 'cart.changed'; cart: Cart }
  /**
   * A line's discount was taken off: a change of quantity, weight or price took it over the
   * cashier's limit and beyond what a manager approved. `amount` is the fen it would have been.
   * Followed by cart.changed; the till tells the cashier to apply it again (with a manager).
   */
  | {
      type: 'cart.discountRemoved';
      cartId: string;
      lineId: string;
      sku: string;
      name: string;
      nameEn: string;
      amount: number;
    }
  | { type: 'sale.completed'; saleId: string; saleNumber: string }
  /** A payment-code charge waits for the customer / the gateway; the till shows it with a cancel button. */
  | {
      type: 'payment.pending';
      payment: {
        outTradeNo: string;
        wallet: 'wechat' | 'alipay';
        amount: number;
        status: 'pending' | 'unknown';
        elapsedMs: number;
        deadlineMs: number;
      };
    }
  | { type: 'device.status'; device: { id: string; kind: string; status: string; message: string | null } }
  /** A scan from a hardware scanner the till reads directly (HID, serial), for the screen in front. */
  | { type: 'device.scan'; scan: { data: string; symbology: string | null; source: string } }
  | { type: 'sync.status'; sync: TerminalStatus['sync'] };

/** Waste (报损) reason codes: 变质, 过期, 破损, 试吃, 加工损耗, 盗损. */
export type WasteReason = 'spoiled' | 'expired' | 'damaged' | 'tasting' | 'processing' | 'theft';

export interface ReceivedLine {
  sku: string;
  name: string;
  unit: Unit;
  /** Items, or grams for weighed goods. */
  quantity: number;
  /** Unit cost in fen (per item or per kg). */
  unitCost: number;
  /** Line value at cost, fen. */
  value: number;
  ordered: number | null;
  /** received − ordered (negative: short); null without a purchase order. */
  variance: number | null;
}

export interface ReceiveResult {
  receiptId: string;
  po: string | null;
  lines: ReceivedLine[];
  outstanding: { sku: string; ordered: number }[];
  total: number;
}

export interface WasteResult {
  movementId: string;
  sku: string;
  quantity: number;
  reason: WasteReason;
  /** Value at cost, fen. */
  cost: number;
  onHandBefore: number;
  approvedBy: string | null;
}

export interface StocktakeSheetLine {
  sku: string;
  name: string;
  nameEn: string;
  unit: Unit;
  /** What was counted so far (never the expected level: the count is blind). */
  counted: number | null;
}

export interface StocktakeVarianceLine {
  sku: string;
  name: string;
  unit: Unit;
  expected: number;
  counted: number;
  variance: number;
  /** Variance at cost, fen. */
  value: number;
}
