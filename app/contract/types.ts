// Shapes that cross the RPC boundary. Money is integer fen with its currency; weights are
// grams; times are ISO-8601 UTC strings. Names follow ../../../shared/GLOSSARY.md.
import type { Role } from './methods';

export type Currency = 'CNY';
export type Unit = 'each' | 'weighed';
export type TenderType = 'cash' | 'card' | 'payment_code' | 'stored_value' | 'points';
export type Lang = 'zh-CN' | 'en';

export interface StaffView {
  id: string;
  name: string;
  role: Role;
  /** A manager reset this PIN: the session may only set a new PIN (auth.setPin) until then. */
  mustChangePin?: boolean;
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
  discount: number; // fen, >= 0: promotions plus the cashier's line discount
  total: number; // gross - discount
  barcode: string | null;
  /** Fen before any promotion or line discount (= gross): the price the customer sees struck through. */
  originalPrice: number;
  /** What took money off this line: promotions (with their rule id) and the cashier's line discount (ruleId null). */
  discounts: LineDiscount[];
  /** Fen the customer saved on this line (= discount). */
  saved: number;
}

/** One discount on a line: a promotion (rule id and name) or the cashier's line discount (`manual`). */
export interface LineDiscount {
  ruleId: string | null;
  name: string;
  nameEn: string;
  kind:
    'member_price' | 'percent' | 'fixed_price' | 'threshold' | 'multi_buy' | 'nth_item' | 'gift' | 'manual' | 'coupon';
  amount: number;
}

/** A promotion that opened or closed while the cart was open: the cart was re-priced (shown until the next change). */
export interface PricingNote {
  ruleId: string;
  name: string;
  nameEn: string;
  change: 'opened' | 'closed';
}

/** A price rule as the back office lists it. */
export interface PriceRuleView {
  id: string;
  name: string;
  nameEn: string;
  origin: 'chain' | 'store';
  kind: LineDiscount['kind'];
  stacking: 'exclusive' | 'stackable';
  priority: number;
  /** Open right now in the store's time zone. */
  openNow: boolean;
  from: string | null;
  to: string | null;
  /** What it targets, in words the back office shows (SKUs, categories, brands). */
  target: { skus: string[]; categories: string[]; brands: string[] };
  /** Percent off, or the fixed price in fen, where the rule has one. */
  percentOff: number | null;
  price: number | null;
  rule: unknown;
}

export interface Cart {
  id: string;
  /** Whose sale this is: the cashier who started it, or took it over by recall or handover (交接班). */
  cashier?: { id: string; name: string } | null;
  lines: CartLine[];
  itemCount: number;
  subtotal: number; // sum of gross
  discount: number; // sum of line discounts
  total: number; // amount due before cash rounding
  currency: Currency;
  updatedAt: string;
  /** The member attached to this sale (cart.setMember, or a scanned member code); pricing reads level and tags. */
  member: CartMember | null;
  /** Fen saved in total (= discount). */
  saved: number;
  /** Promotions that opened or closed since the cashier last changed the cart. */
  pricingNotes: PricingNote[];
  /** Open 满减 the cart has not reached yet: how many fen more, and how much it would take off. */
  nearThresholds: { ruleId: string; name: string; nameEn: string; missing: number; off: number }[];
  /** The coupon on the cart (cart.applyCoupon), with what it takes off now. */
  coupon?: CartCoupon | null;
}

/** What the cart (and the pricing engine) knows of its member. */
export interface CartMember {
  id: string;
  level: string | null;
  tags: string[];
  /** For the customer display: the masked name and the points balance when the member was attached. */
  maskedName: string | null;
  points: number;
}

export interface ScanResult {
  cart: Cart;
  /** The line added; '' when the scan was a member code (then `member` is set and no line was added). */
  lineId: string;
  /** What the barcode parser understood, for the cashier and for tests (`member-code` for a member code). */
  parsed: { kind: string; gtin?: string; weightGrams?: number; price?: number };
  /** Set when the scanned code was a member code: the member now attached to the cart. */
  member?: MemberPanel;
}

/** Consent of one purpose under PIPL: when, through which channel, and which text the member agreed to. */
export interface MemberConsent {
  granted: boolean;
  at: string | null;
  channel: string | null;
  textVersion: string | null;
}

/** The member panel at the till: minimised (masked name and phone, no full identities). */
export interface MemberPanel {
  id: string;
  maskedName: string | null;
  /** Masked as 138****5678; null when the till does not know the phone. */
  maskedPhone: string | null;
  level: string | null;
  points: number;
  tags: string[];
  consent: Record<string, boolean>;
  /** The member added the store's WeCom contact (已加企微). */
  wecomLinked: boolean;
  /** False for another store's member found through the cloud (no history here). */
  local: boolean;
  /** Last five visits at this till, newest first. */
  visits: { saleId: string; number: string; total: number; createdAt: string }[];
  /** Items the member buys most often (at least twice), with their typical interval between purchases. */
  usualItems: {
    sku: string;
    name: string;
    nameEn: string;
    times: number;
    lastBoughtAt: string;
    intervalDays: number | null;
  }[];
  /** Usual items whose typical interval has passed since the last purchase: a hint, with its reason. */
  repurchaseDue: { sku: string; name: string; nameEn: string; intervalDays: number; daysSince: number }[];
}

export interface ParkedCartSummary {
  parkedId: string;
  label: string;
  /** Who parked it: a parked sale shows whose it is (issue 13 item 16). */
  cashierName?: string | null;
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

export interface SaleLine extends Omit<CartLine, 'originalPrice' | 'discounts' | 'saved'> {
  /** What took money off the line when it was sold (absent on sales from before promotions). */
  discounts?: LineDiscount[];
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
  /** The member the sale was credited to (masked), or null for a guest sale. */
  /** Set by sales.get / readSale (absent only in hand-built fixtures). */
  member?: { id: string; maskedName: string | null } | null;
  /** Points the sale earned; pointsReturned of them were taken back by returns. */
  pointsEarned?: number;
  pointsReturned?: number;
  /** A member's sale: the `state` of its WeCom contact QR (docs/members.md). */
  wecomState?: string | null;
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
  /** The product's cost on this till (fen per item or per kg; the latest receiving), null: never received here. */
  unitCost: number | null;
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

/** Why a replenishment line asks for what it asks (words are the renderer's; these are the facts). */
export interface ReplenishmentReason {
  /** 0 = Monday … 6 = Sunday, of the day the order is for. */
  dow: number;
  holiday: string | null;
  /** 1–3 days before this festival, else 0 / null. */
  preHoliday: number;
  preHolidayOf: string | null;
  swappedWorkday: boolean;
  tempC: number | null;
  rainMm: number | null;
  /** Group-buy pre-orders for the covered days. */
  groupBuy: number;
  /** Deepest promotion discount on the covered days (0 … 1; averaged over the trading hours). */
  promo: number;
  /** The price rule behind `promo`, for the words; null when none. */
  promoRule: { name: string; nameEn: string } | null;
  /** Largest model effects, as multipliers (e.g. { feature: 'sat', factor: 1.18 }). */
  effects: { feature: string; factor: number }[];
}

export interface ReplenishmentLine {
  sku: string;
  name: string;
  nameEn: string;
  category: string;
  supplier: string;
  unit: Unit;
  family: string;
  casePack: number;
  shelfLifeDays: number;
  /** Forecast demand over the covered days (items, or grams for weighed products). */
  forecast: number;
  safety: number;
  onHand: number;
  inTransit: number;
  reserved: number;
  /** Suggested order (a multiple of the case pack). */
  suggested: number;
  method: 'seasonal_naive' | 'holt_winters' | 'ridge';
  criticalRatio: number;
  /** Days of sales history the forecast had. */
  historyDays: number;
  reason: ReplenishmentReason;
}

export interface ReplenishmentSuggestion {
  /** The day the order is for (delivery), YYYY-MM-DD, store-local. */
  day: string;
  /** Days the order covers (lead time + review period). */
  coverDays: number;
  /** False when no published holiday schedule covers that year: holidays are not accounted for. */
  holidayTableKnown: boolean;
  weather: { tempC: number; rainMm: number } | null;
  lines: ReplenishmentLine[];
}

/** A product's ordering parameters (replenishment_items). */
export interface ReplenishmentItem {
  sku: string;
  name: string;
  nameEn: string;
  unit: Unit;
  family: string;
  supplier: string;
  /** Items, or grams for weighed products. */
  casePack: number;
  leadDays: number;
  shelfLifeDays: number;
  /** Fen per item, or per kg. */
  unitCost: number;
  /** The manager's service level (0.5 … 0.98), or null for the newsvendor ratio. */
  serviceLevel: number | null;
  /** The ratio the suggestion uses now (the service level, or the newsvendor ratio). */
  criticalRatio: number;
}

export interface PurchaseOrder {
  id: string;
  day: string;
  createdAt: string;
  staffId: string;
  /** `partly_received`: some goods were received against it (stock.receive with its id), not all. */
  status: 'sent' | 'partly_received' | 'received' | 'cancelled';
  /** `store`: sent from a till's back office; `hq`: sent by head office through the cloud (staffId `hq`). */
  origin: 'store' | 'hq';
  /** The supplier head office named for the whole order, if any. */
  supplier: string | null;
  /**
   * `quantity`: items, or grams when `unit` is `weighed`. `received`: units received so far
   * against this line by every till of the store (the rest is still in transit). `unitCost` in fen.
   */
  lines: {
    sku: string;
    quantity: number;
    supplier: string;
    received: number;
    unit?: 'each' | 'weighed';
    unitCost?: number;
  }[];
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
  /**
   * The store's WeCom 获客链接, set by HQ through the cloud (store-wide config). A member's receipt
   * QR is this URL with `customer_channel=<sale state>`, which WeCom returns in its callback.
   */
  wecomLinkUrl: string | null;
  /** The store's IANA time zone (footfall and conversion hours, day boundaries). */
  timeZone: string;
  wedge: { prefix: string; suffix: string; maxInterKeyMs: number; minLength: number };
  /** 积分: fenPerPoint fen paid earn one point, times the level's percentage (members/points-rule.ts). */
  pointsRule: { fenPerPoint: number; levelPercent: Record<string, number> };
  /** How the store's label scales print their labels (docs/barcodes.md). */
  scaleLabels: ScaleLabelConfig;
  /** Waste worth more than this at cost (fen) needs a manager's approval (报损审批线). */
  wasteApprovalFen: number;
  /** 储值: top-up limits, bonus tiers (充200送50: the best tier reached applies), offline daily spend cap per member. */
  storedValue: StoredValueConfig;
  /** 积分抵现: one point pays fenPerPoint fen. */
  pointsRedemption: { fenPerPoint: number };
  /** Preset reasons a cashier picks by digit for a void and a no-sale (plus "other" with free text). */
  reasons: { void: ReasonPreset[]; noSale: ReasonPreset[] };
}

/**
 * The store settings a manager changes on the back office's Settings tab (settings.set): the
 * same fields as in TillConfig, replicated to every till of the store.
 */
export type StoreSettings = Pick<
  TillConfig,
  | 'cashRounding'
  | 'maxCashierDiscountPercent'
  | 'receiptWidth'
  | 'wecomQrUrl'
  | 'wedge'
  | 'timeZone'
  | 'wasteApprovalFen'
  | 'reasons'
>;

export interface StoredValueConfig {
  minTopUp: number;
  maxTopUp: number;
  /** Tiers: a top-up of at least `minTopUp` fen earns `bonus` fen (the highest tier reached, once). */
  bonusRules: { minTopUp: number; bonus: number }[];
  /** While the till cannot reach the hub or cloud, a member may spend at most this much (fen) per store day. */
  offlineDailyCapFen: number;
}

/** A preset reason: a stable code (kept in the audit) and its words in both languages. */
export interface ReasonPreset {
  code: string;
  zh: string;
  en: string;
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
  /** Online orders arrived or changed through sync: the status bar count and the pick queue's sound. */
  | { type: 'orders.changed'; newCount: number; conflictCount: number }
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

// ---- Store-wide reports (issue 17): every till's replicated facts, store-local dates ----

export type SalesGroupBy = 'hour' | 'category' | 'product' | 'tender' | 'staff';

/** One group of a sales report. Money in fen; cost and margin only where every line's cost is known. */
export interface SalesReportRow {
  /** Hour label (`09:00`), category, sku, tender (`cash`, `card`, `wechat`, `alipay`) or staff id. */
  key: string;
  label: string;
  labelEn: string;
  transactions: number;
  /** Items sold (each) — weighed lines count once. */
  items: number;
  /** Grams sold of weighed lines. */
  weightGrams: number;
  /** Sold amount after line discounts (tender rows: amount taken in that tender). */
  sales: number;
  /** Refunded amount for this group (by return time). */
  returns: number;
  net: number;
  /** Cost of the sold lines whose cost is known; null when none is. */
  cost: number | null;
  /** Sales minus cost over the lines with a known cost; null when none is. */
  margin: number | null;
  /** Share of the report's sales (0..1). */
  share: number;
  /** hour only: footfall entries and conversion (transactions ÷ entries). */
  entries?: number;
  conversion?: number | null;
  /** staff only: carts voided (count and amount) by this staff member. */
  voids?: number;
  voidAmount?: number;
}

export interface SalesReportTotals {
  transactions: number;
  items: number;
  weightGrams: number;
  /** Sum of sale totals (after discounts and cash rounding). */
  sales: number;
  discount: number;
  returnsCount: number;
  returns: number;
  net: number;
  averageBasket: number | null;
  /** Cost and margin over the lines whose cost is known; `costCoverage` is the share of line sales they make. */
  cost: number | null;
  margin: number | null;
  marginRate: number | null;
  costCoverage: number;
  voids: number;
  voidAmount: number;
  entries: number;
  conversion: number | null;
}

export interface SalesReport {
  storeId: string;
  from: string;
  to: string;
  timeZone: string;
  groupBy: SalesGroupBy;
  rows: SalesReportRow[];
  totals: SalesReportTotals;
  /** Per store-local day: sales, transactions, waste at cost and loss rate (for the trend chart). */
  days: { date: string; sales: number; transactions: number; waste: number; lossRate: number | null }[];
  /** Terminals whose sales are in the report. */
  terminals: string[];
  /** Where the figures come from: the store's replicated ledger (sync on) or this till alone. */
  source: 'replica' | 'this-till';
}

/** Waste (报损) reason codes: 变质, 过期, 破损, 试吃, 加工损耗, 盗损 (stock ledger bodies: docs/back-office.md). */
export type WasteReason = 'spoiled' | 'expired' | 'damaged' | 'tasting' | 'processing' | 'theft';

export interface WasteReportRow {
  key: string;
  label: string;
  labelEn: string;
  movements: number;
  /** Items (each) and grams (weighed) written off. */
  items: number;
  weightGrams: number;
  /** Value at cost, fen. */
  cost: number;
  /** byCategory only: waste ÷ the category's sales at cost (null when its cost is unknown). */
  lossRate?: number | null;
}

export interface WasteReport {
  storeId: string;
  from: string;
  to: string;
  timeZone: string;
  byReason: WasteReportRow[];
  byCategory: WasteReportRow[];
  totals: { movements: number; cost: number; salesAtCost: number | null; lossRate: number | null };
  days: { date: string; waste: number; salesAtCost: number | null; lossRate: number | null }[];
  source: 'replica' | 'this-till';
}

/** One closed shift (Z report) of any till of the store. */
export interface ZHistoryEntry {
  shiftId: string;
  terminalId: string;
  staff: StaffView | null;
  staffId: string;
  report: ShiftReport;
}

export interface ZHistory {
  storeId: string;
  from: string;
  to: string;
  timeZone: string;
  entries: ZHistoryEntry[];
  /** Cash over (+) / short (−) per cashier over the period. */
  byCashier: { staffId: string; staff: StaffView | null; shifts: number; overShort: number }[];
}

export type ReportName = 'sales' | 'waste' | 'zHistory';

export interface ReportFile {
  fileName: string;
  contentType: string;
  /** The file's bytes, base64 (JSON carries no binary). */
  base64: string;
}

/** A staff member as the back office's staff list shows them (disabled ones too). */
export interface StaffMember {
  id: string;
  name: string;
  nameEn: string;
  role: Role;
  active: boolean;
  mustChangePin: boolean;
  createdAt: string;
  disabledAt: string | null;
}

/** One member the face lookup offers; the cashier confirms (never automatic). */
export interface FaceCandidate {
  memberId: string;
  /** First character of the name, the rest masked (王**). */
  maskedName: string;
  level: string | null;
  /** Cosine similarity of the FaceRes templates, ≥ the calibrated threshold. */
  score: number;
}

/** `members.identifyFace`: at most 3 candidates, best first; `reason` when the frame was refused. */
export interface FaceIdentifyResult {
  candidates: FaceCandidate[];
  reason?: 'no-face' | 'several-faces' | 'spoof' | 'not-live';
}

/** Status of an online order (docs/orders.md): new → accepted → picking → ready → an end state. */
export type OrderStatus =
  'new' | 'accepted' | 'picking' | 'ready' | 'collected' | 'handed_over' | 'expired' | 'cancelled';

export interface OrderLineView {
  lineId: string;
  sku: string;
  name: string;
  category: string;
  /** Items ordered (counted line) or null. */
  quantity: number | null;
  /** Grams ordered (weighed line) or null. */
  grams: number | null;
  /** Fen per item, or per kg when weighed. */
  unitPrice: number;
  /** Paid for the line (fen). */
  amount: number;
  /** What went into the bag: latest pick (re-weighed grams, counted items; 0 = out of stock). */
  picked: {
    quantity: number | null;
    grams: number | null;
    amount: number;
    /** Another product put in the bag instead (the line was out of stock). */
    substitute: { sku: string; name: string } | null;
  } | null;
}

/** A second end state recorded elsewhere (e.g. a second offline handover): for the manager. */
export interface OrderConflictView {
  status: OrderStatus;
  at: string;
  terminalId: string | null;
  offline: boolean;
}

export interface OrderView {
  id: string;
  status: OrderStatus;
  fulfilment: 'pickup' | 'delivery' | 'group_buy';
  /** Customer name as masked by the cloud (张*). */
  maskedName: string;
  leaderId: string | null;
  slotStart: string | null;
  slotEnd: string | null;
  createdAt: string;
  lines: OrderLineView[];
  paid: number;
  settledAmount: number;
  /** Paid − settled: refunded to the original payment (recorded, the cloud pays it back). */
  refund: number;
  bags: number | null;
  handover: { status: OrderStatus; at: string; terminalId: string | null; offline: boolean } | null;
  conflicts: OrderConflictView[];
}

/** A printed document (pick list, bag label, leader manifest): text as on paper, optional QR. */
export interface OrderPrintout {
  text: string;
  qr: string | null;
  /** The receiptline document the text was rendered from; the till sends it to the receipt printer. */
  document: string;
  /** Whether it went to the receipt printer (false: no printer; the screen shows the text). */
  printed: boolean;
}

/** A refund owed to an online order's customer, as this till's journal holds it (orders.refunds). */
export interface OrderRefundView {
  orderId: string;
  /**
   * owed: the gateway is (re)asked; declined: the gateway refused; manual: no wallet from the mall;
   * paid. other-till: not paid yet and journalled by another till (`terminalId`; null when the hub
   * has not picked the till yet) — settle it there.
   */
  status: 'owed' | 'declined' | 'manual' | 'paid' | 'other-till';
  /** The till that journals and pays it. */
  terminalId: string | null;
  /** fen */
  amount: number;
  /** Why it is owed: how the order ended (picked up or delivered with a difference, cancelled, expired). */
  reason: 'collected' | 'handed_over' | 'cancelled' | 'expired';
  wallet: 'wechat' | 'alipay' | null;
  attempts: number;
  /** The gateway's last refusal or failure (a code or its words), for the manager. */
  lastError: string | null;
  /** Once paid: through the gateway, or by hand at the store (with the manager's note). */
  paidBy: 'gateway' | 'manual' | null;
  note: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ReceivedLine {
  sku: string;
  name: string;
  nameEn: string;
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

/** The receiving note (收货单) printed on the receipt printer after `stock.receive`. */
export interface ReceivingNotePrintout {
  /** The note as on paper (58 mm text rendering). */
  text: string;
  /** The receiptline document; the till sends it to the receipt printer. */
  document: string;
  /** Whether it went to the receipt printer (false: no printer, or `print: false`). */
  printed: boolean;
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

/** A stocktake session as listed for counting (盘点): what it covers and how far the count is. */
export interface StocktakeSummary {
  id: string;
  /** `category`: every active product of `scope`; `skus`: a list of `lines` products. */
  scopeKind: 'category' | 'shelf' | 'skus';
  /** The category (or shelf) counted; empty for a list of SKUs. */
  scope: string;
  status: 'open' | 'posted';
  startedAt: string;
  postedAt: string | null;
  /** Products on the sheet, and how many of them have been counted. */
  lines: number;
  counted: number;
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

/** Other stores' stock of one SKU (库存共享池, `stock.nearby`): counts only, with their age. */
export interface StockNearby {
  sku: string;
  stores: {
    storeId: string;
    onHand: number;
    available: number;
    /** Time of the store's latest movement of the SKU the cloud holds; null: none. */
    asOf: string | null;
    /** Seconds since the store last synced with the cloud; null: never. */
    staleSeconds: number | null;
  }[];
  /** Some store's count is older than 5 minutes (or it never synced): it may have changed. */
  stale: boolean;
}

/** A transfer between two stores (调拨, docs/back-office.md "Transfers"). Quantities: items, or grams. */
export interface TransferView {
  id: string;
  fromStore: string;
  toStore: string;
  sku: string;
  /** Requested quantity. */
  quantity: number;
  status: 'requested' | 'shipped' | 'received';
  requestedAt: string;
  shippedQuantity: number | null;
  shippedAt: string | null;
  receivedQuantity: number | null;
  receivedAt: string | null;
  /** received − shipped (negative: short on arrival); null until received. */
  variance: number | null;
}

/** A coupon on the cart: its name, what it takes off now (fen) and how far the cart is below its minimum spend. */
export interface CartCoupon {
  code: string;
  name: string;
  nameEn: string;
  kind: 'value' | 'percent' | 'gift';
  /** Fen off now (0 while the cart is below the minimum spend or has nothing in scope). */
  amount: number;
  minSpend: number;
  /** Fen more the lines in scope need before the coupon applies (0 when it applies). */
  shortBy: number;
  /** Held by the store hub (online), or accepted by this till alone (offline, the member's own coupon). */
  held: 'hub' | 'offline';
}

/** One coupon redeemed twice (tills cut off from each other): the sale that counts and the later one(s). */
export interface CouponConflict {
  code: string;
  flaggedAt: string;
  sales: {
    saleId: string;
    saleNumber: string | null;
    terminalId: string | null;
    at: string;
    amount: number;
    offline: boolean;
    counts: boolean;
  }[];
}

/** A member's stored value (储值) and points as this till last saw them (a ledger; may be negative after a merge). */
export interface StoredValueBalance {
  memberId: string;
  /** Paid money left (fen). */
  principal: number;
  /** Bonus money left (fen). */
  bonus: number;
  balance: number;
  points: number;
  /** What the points pay at the store's rate (fen). */
  pointsValue: number;
  pinSet: boolean;
  /** Offline spending today (store day) and the cap. */
  offlineSpentToday: number;
  offlineDailyCap: number;
}

export interface TopUpResult {
  topUpId: string;
  amount: number;
  bonus: number;
  tenders: TenderRecord[];
  balance: StoredValueBalance;
}

/** Back office: the store's outstanding stored value and the balances merges left negative. */
export interface StoredValueReport {
  /** Outstanding liability: principal (refundable) and bonus, over every member with a positive balance. */
  principal: number;
  bonus: number;
  members: number;
  toppedUpToday: number;
  spentToday: number;
  /** Flagged for the manager: balances that went below zero (two tills spent the same money offline). */
  flagged: StoredValueFlag[];
}

export interface StoredValueFlag {
  kind: 'stored_value' | 'points';
  memberId: string;
  maskedName: string | null;
  /** Fen for stored value, points for points. */
  balance: number;
  /** The spends (sales) on this member's ledger on the day it went negative. */
  sales: { saleId: string; terminalId: string; amount: number; at: string }[];
}
