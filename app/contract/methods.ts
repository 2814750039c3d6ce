// The one RPC contract between the renderer (or any HTTP client) and the terminal core.
// Each method has a zod input schema, the roles allowed to call it, and an output type.
// Electron IPC and the web host are thin adapters over the router that enforces this table.
import { z } from 'zod';
import type {
  StoreSettings,
  Cart,
  ParkedCartSummary,
  ProductView,
  Sale,
  SaleSummary,
  ReturnableSale,
  ReturnRecord,
  Shift,
  ShiftReport,
  StaffView,
  AuditEntry,
  StockView,
  TerminalStatus,
  ReceiptView,
  PaymentResult,
  TillConfig,
  ScanResult,
  DeviceView,
  WeightReading,
  ConversionReport,
  SaleRecordsStatus,
  PaymentIntentView,
  ReconcileLine,
  ReplenishmentSuggestion,
  ReplenishmentItem,
  PurchaseOrder,
  SalesReport,
  WasteReport,
  ZHistory,
  ReportFile,
  StaffMember,
  MemberPanel,
  FaceIdentifyResult,
  OrderView,
  OrderPrintout,
  OrderRefundView,
  PriceRuleView,
  ReceiveResult,
  ReceivingNotePrintout,
  WasteResult,
  StocktakeSheetLine,
  StocktakeSummary,
  StocktakeVarianceLine,
  TransferView,
  StockNearby,
  CouponConflict,
  StoredValueBalance,
  StoredValueReport,
  TopUpResult,
} from './types';

export const ROLES = ['cashier', 'manager', 'technician'] as const;
/** Label scale brands whose PC software imports the PLU file (docs/barcodes.md, PLU export). */
export const PLU_SCALE_BRANDS = ['dahua', 'aclas'] as const;
export type PluScaleBrand = (typeof PLU_SCALE_BRANDS)[number];
export type Role = (typeof ROLES)[number];

const fen = z.number().int().safe();
const positiveFen = fen.positive();
const id = z.string().min(1).max(80);
const pin = z.string().regex(/^\d{4,8}$/, 'PIN is 4 to 8 digits');
const reason = z.string().trim().min(1).max(200);
// A manager override: the PIN, and the manager the prompt named (their own lockout counter counts a wrong PIN).
const approval = { managerPin: pin.optional(), managerId: id.optional() };
// A preset reason's code from the store's config (issue 13 item 15); `reason` then holds its words.
const reasonCode = z.string().regex(/^[a-z0-9-]{1,40}$/, 'a reason code is a-z, 0-9 and -');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'day is YYYY-MM-DD');
const storeDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date is YYYY-MM-DD');
/** A store-local date range, both ends included; a missing end means today (or the one day given). */
const reportRange = { from: storeDate.optional(), to: storeDate.optional() };
const salesGroupBy = z.enum(['hour', 'category', 'product', 'tender', 'staff']);
// A camera frame: base64 (or a data: URL) of a JPEG/PNG, at most ~700 KB of bytes.
const faceImage = z
  .string()
  .max(1_000_000)
  .regex(/^(data:image\/(jpeg|png|webp);base64,)?[A-Za-z0-9+/]+={0,2}$/, 'image is base64 JPEG/PNG');

export const tenderInput = z.discriminatedUnion('type', [
  z.object({ type: z.literal('cash'), amount: positiveFen }),
  // Card runs on a separate bank terminal; the cashier confirms its approval code.
  z.object({ type: z.literal('card'), amount: positiveFen, reference: z.string().trim().min(1).max(40).optional() }),
  // WeChat/Alipay payment code scanned from the customer's phone.
  z.object({
    type: z.literal('payment_code'),
    amount: positiveFen,
    code: z.string().regex(/^\d{16,24}$/, 'payment code is 16 to 24 digits'),
  }),
  // 储值: the cart's member pays from the balance; present by a member code scanned on this cart, or the member PIN.
  z.object({ type: z.literal('stored_value'), amount: positiveFen, memberPin: pin.optional() }),
  // 积分抵现: the cart's member pays with points at the store's rate.
  z.object({ type: z.literal('points'), amount: positiveFen }),
]);
export type TenderInput = z.infer<typeof tenderInput>;

const lineQuantity = z.object({
  lineId: id,
  quantity: z.number().int().positive().max(9999).optional(),
  weightGrams: z.number().int().positive().max(1_000_000).optional(),
});

/**
 * The output type of a method, carried by the table at the type level only (the router sends
 * whatever the handler returned). `returns<T>()` keeps the table one literal with no casts:
 * a phantom field that is always undefined at run time.
 */
interface Returns<T> {
  readonly output?: T;
}
const returns = <T>(): Returns<T> => ({});

/** One row of the table: add a method by adding a row; its handler's types follow from it. */
interface MethodSpec {
  input: z.ZodType;
  roles: 'public' | readonly Role[];
  out: Returns<unknown>;
}

/**
 * Method table. `roles` lists who may call; `public` methods need no session.
 * Outputs are objects; over HTTP a success is `{ ok: true, ...output }`.
 */
export const methods = {
  // staffId: the staff member picked on the login screen; their own lockout counter then applies.
  'auth.login': {
    input: z.object({ pin, staffId: id.optional() }),
    roles: 'public',
    out: returns<{ token: string; staff: StaffView }>(),
  },
  'auth.logout': {
    input: z.object({}),
    roles: ['cashier', 'manager', 'technician'],
    out: returns<Record<string, never>>(),
  },
  // Sets one's own PIN: right after logging in with a reset PIN, or later with the current PIN.
  'auth.setPin': {
    input: z.object({ pin, currentPin: pin.optional() }),
    roles: ['cashier', 'manager', 'technician'],
    out: returns<{ staff: StaffView }>(),
  },
  'auth.whoami': {
    input: z.object({}),
    roles: ['cashier', 'manager', 'technician'],
    out: returns<{ staff: StaffView }>(),
  },
  // The names on the login screen and in the manager prompt (pick your name: your own lockout counter).
  'auth.staffNames': { input: z.object({}), roles: 'public', out: returns<{ staff: StaffView[] }>() },

  'catalog.search': {
    input: z.object({ query: z.string().trim().min(1).max(64), limit: z.number().int().min(1).max(100).optional() }),
    roles: ['cashier', 'manager'],
    out: returns<{ products: ProductView[] }>(),
  },
  'catalog.get': {
    input: z.object({ sku: id }),
    roles: ['cashier', 'manager', 'technician'],
    out: returns<{ product: ProductView }>(),
  },

  'cart.get': { input: z.object({}), roles: ['cashier', 'manager'], out: returns<{ cart: Cart }>() },
  'cart.scan': {
    input: z.object({ code: z.string().min(1).max(512) }),
    roles: ['cashier', 'manager'],
    out: returns<ScanResult>(),
  },
  'cart.add': {
    input: z.object({
      sku: id,
      quantity: z.number().int().positive().max(9999).optional(),
      weightGrams: z.number().int().positive().max(1_000_000).optional(),
    }),
    roles: ['cashier', 'manager'],
    out: returns<{ cart: Cart; lineId: string }>(),
  },
  'cart.setQuantity': { input: lineQuantity, roles: ['cashier', 'manager'], out: returns<{ cart: Cart }>() },
  'cart.remove': { input: z.object({ lineId: id }), roles: ['cashier', 'manager'], out: returns<{ cart: Cart }>() },
  'cart.lineDiscount': {
    input: z.object({
      lineId: id,
      kind: z.enum(['percent', 'amount']),
      value: z.number().int().min(0),
      ...approval,
    }),
    roles: ['cashier', 'manager'],
    out: returns<{ cart: Cart }>(),
  },
  'cart.park': {
    input: z.object({ label: z.string().trim().max(40).optional() }),
    roles: ['cashier', 'manager'],
    out: returns<{ parkedId: string; cart: Cart }>(),
  },
  'cart.parked': { input: z.object({}), roles: ['cashier', 'manager'], out: returns<{ carts: ParkedCartSummary[] }>() },
  'cart.recall': { input: z.object({ parkedId: id }), roles: ['cashier', 'manager'], out: returns<{ cart: Cart }>() },
  'cart.void': {
    input: z.object({ reason, reasonCode: reasonCode.optional(), ...approval }),
    roles: ['cashier', 'manager'],
    out: returns<{ cart: Cart }>(),
  },
  'cart.pay': {
    input: z.object({ tenders: z.array(tenderInput).min(1).max(8) }),
    roles: ['cashier', 'manager'],
    out: returns<PaymentResult>(),
  },
  /** Cashier's cancel while a payment code is pending/unknown: the order is reversed (now, or queued if the gateway does not answer). */
  'payment.cancel': {
    input: z.object({}),
    roles: ['cashier', 'manager'],
    out: returns<{ inFlight: boolean; reversed: number; reversing: number }>(),
  },
  /** Charges on the open cart that are not settled yet (the till shows them as pending). */
  'payment.pending': {
    input: z.object({}),
    roles: ['cashier', 'manager'],
    out: returns<{ payments: PaymentIntentView[] }>(),
  },
  /** Manager queue: reversals the gateway has not confirmed and outcomes still unknown. */
  'payment.queue': { input: z.object({}), roles: ['manager'], out: returns<{ payments: PaymentIntentView[] }>() },
  /** Matches a gateway's daily statement (WeChat trade bill / Alipay account statement text) against the store's sales and returns. */
  'payment.reconcile': {
    input: z.object({
      wallet: z.enum(['wechat', 'alipay']),
      day: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
      statement: z.string().min(1).max(5_000_000),
    }),
    roles: ['manager'],
    out: returns<{ matched: number; lines: ReconcileLine[]; csv: string }>(),
  },

  'members.identify': {
    input: z.union([
      z.object({ code: z.string().trim().min(1).max(600) }).strict(),
      z
        .object({
          phone: z
            .string()
            .trim()
            .regex(/^\+?\d{6,15}$/, 'phone is 6 to 15 digits'),
        })
        .strict(),
    ]),
    roles: ['cashier', 'manager'],
    out: returns<{ member: MemberPanel }>(),
  },
  'members.panel': {
    input: z.object({ memberId: id }),
    roles: ['cashier', 'manager'],
    out: returns<{ member: MemberPanel }>(),
  },
  'members.signUp': {
    input: z.object({
      phone: z
        .string()
        .trim()
        .regex(/^\+?\d{6,15}$/, 'phone is 6 to 15 digits'),
      name: z.string().trim().min(1).max(40).optional(),
      consent: z.object({
        marketing: z.boolean(),
        /** Where the member agreed: the customer display, a paper form, the mini-program. */
        channel: z.enum(['customer-display', 'paper', 'mini-program', 'till']),
        /** Version of the consent text shown. */
        textVersion: z.string().trim().min(1).max(20),
      }),
    }),
    roles: ['cashier', 'manager'],
    out: returns<{ member: MemberPanel }>(),
  },
  'cart.setMember': {
    input: z.object({ memberId: id.nullable() }),
    roles: ['cashier', 'manager'],
    out: returns<{ cart: Cart }>(),
  },

  'sales.get': {
    input: z.object({ id: z.string().min(1).max(200) }),
    roles: ['cashier', 'manager'],
    out: returns<{ sale: Sale }>(),
  },
  'sales.list': {
    input: z.object({ limit: z.number().int().min(1).max(500).optional(), before: z.string().optional() }),
    roles: ['manager'],
    out: returns<{ sales: SaleSummary[] }>(),
  },
  'sales.receipt': {
    input: z.object({ id: z.string().min(1).max(200) }),
    roles: ['cashier', 'manager'],
    out: returns<{ receipt: ReceiptView }>(),
  },
  'sales.reprint': {
    input: z.object({ id: z.string().min(1).max(200) }),
    roles: ['cashier', 'manager'],
    out: returns<{ receipt: ReceiptView }>(),
  },

  'returns.lookup': {
    input: z.object({ code: z.string().min(1).max(512) }),
    roles: ['cashier', 'manager'],
    out: returns<{ sale: ReturnableSale }>(),
  },
  'returns.create': {
    input: z.object({ saleId: id, lines: z.array(lineQuantity).min(1).max(200), reason, ...approval }),
    roles: ['cashier', 'manager'],
    out: returns<{ return: ReturnRecord }>(),
  },

  'shift.current': { input: z.object({}), roles: ['cashier', 'manager'], out: returns<{ shift: Shift | null }>() },
  'shift.open': {
    input: z.object({ float: fen.min(0) }),
    roles: ['cashier', 'manager'],
    out: returns<{ shift: Shift }>(),
  },
  'shift.cashIn': {
    input: z.object({ amount: positiveFen, reason }),
    roles: ['cashier', 'manager'],
    out: returns<{ shift: Shift }>(),
  },
  'shift.cashOut': {
    input: z.object({ amount: positiveFen, reason, ...approval }),
    roles: ['cashier', 'manager'],
    out: returns<{ shift: Shift }>(),
  },
  // Managers only: expected cash (and the tender totals it is made of) would unblind the cashier's count.
  'shift.xReport': { input: z.object({}), roles: ['manager'], out: returns<{ report: ShiftReport }>() },
  // Blind count: the cashier enters counted cash before seeing what was expected.
  'shift.close': {
    input: z.object({ countedCash: fen.min(0) }),
    roles: ['cashier', 'manager'],
    out: returns<{ report: ShiftReport }>(),
  },
  // Cashier change (交接班): the caller takes over the open shift of another cashier, confirmed by
  // that cashier's PIN (outgoingPin) or a manager; their unfinished sale is parked under their name.
  'shift.handover': {
    input: z.object({ outgoingPin: pin.optional(), ...approval }),
    roles: ['cashier', 'manager'],
    out: returns<{ shift: Shift }>(),
  },

  'stock.get': { input: z.object({ sku: id }), roles: ['cashier', 'manager', 'technician'], out: returns<StockView>() },

  // Online orders picked in the store (docs/orders.md). Every write is audited.
  'orders.list': {
    input: z.object({
      status: z
        .enum(['new', 'accepted', 'picking', 'ready', 'collected', 'handed_over', 'expired', 'cancelled', 'open'])
        .optional(),
    }),
    roles: ['cashier', 'manager'],
    out: returns<{ orders: OrderView[]; newCount: number; conflictCount: number }>(),
  },
  'orders.get': { input: z.object({ id }), roles: ['cashier', 'manager'], out: returns<{ order: OrderView }>() },
  'orders.accept': { input: z.object({ id }), roles: ['cashier', 'manager'], out: returns<{ order: OrderView }>() },
  // Re-weighed (grams) or counted (quantity; 0 = out of stock, refunded) line.
  'orders.pick': {
    input: z
      .object({
        orderId: id,
        lineId: id,
        quantity: z.number().int().min(0).max(100_000).optional(),
        grams: z.number().int().min(0).max(1_000_000).optional(),
        /** The scanned barcode confirming the item (checked against the line's product). */
        code: z.string().trim().min(1).max(512).optional(),
      })
      .refine((i) => (i.quantity === undefined) !== (i.grams === undefined), 'give quantity or grams'),
    roles: ['cashier', 'manager'],
    out: returns<{ order: OrderView; refund: number }>(),
  },
  // One scanned item: a counted line +1, a scale label's weight; `weigh: true` = put it on the scale
  // and send the grams with the same code to orders.pick. A wrong item is ORDER_WRONG_ITEM.
  'orders.scan': {
    input: z.object({ orderId: id, code: z.string().trim().min(1).max(512) }),
    roles: ['cashier', 'manager'],
    out: returns<{ order: OrderView; lineId: string; refund: number; weigh: boolean }>(),
  },
  // An out-of-stock line replaced by the scanned product (quantity, or grams when sold by weight).
  // A product sold by weight without grams (and no weight on its scale label) records nothing and
  // answers `weigh`: put it on the scale and send the grams with the same code.
  'orders.substitute': {
    input: z.object({
      orderId: id,
      lineId: id,
      code: z.string().trim().min(1).max(512),
      quantity: z.number().int().min(1).max(100_000).optional(),
      grams: z.number().int().min(1).max(1_000_000).optional(),
    }),
    roles: ['cashier', 'manager'],
    out: returns<{
      order: OrderView;
      refund: number;
      weigh: { sku: string; name: string; nameEn: string; pricePerKg: number } | null;
    }>(),
  },
  'orders.pickList': {
    input: z.object({ id, print: z.boolean().default(true) }),
    roles: ['cashier', 'manager'],
    out: returns<{ printout: OrderPrintout }>(),
  },
  'orders.ready': {
    input: z.object({ id, bags: z.number().int().min(1).max(50).default(1), print: z.boolean().default(true) }),
    roles: ['cashier', 'manager'],
    out: returns<{ order: OrderView; label: OrderPrintout }>(),
  },
  // Pickup or rider handover: the scanned pickup QR or the typed code.
  'orders.handover': {
    input: z.object({ code: z.string().trim().min(4).max(200) }),
    roles: ['cashier', 'manager'],
    out: returns<{ order: OrderView; offline: boolean }>(),
  },
  // Without confirm: the leader's ready orders; with confirm: hands them all over and prints the manifest.
  'orders.leaderPickup': {
    input: z.object({ leaderCode: z.string().trim().min(2).max(40), confirm: z.boolean().default(false) }),
    roles: ['cashier', 'manager'],
    out: returns<{ orders: OrderView[]; handedOver: string[]; manifest: OrderPrintout | null }>(),
  },

  // Refunds owed to online-order customers (this till's journal; docs/orders.md, Refunds). Managers:
  // retry one the gateway refused or has not answered (same refund number: paid once), or record
  // one paid back by hand (declined or no wallet) with a note. Audited.
  'orders.refunds': {
    input: z.object({
      status: z.enum(['owed', 'declined', 'manual', 'paid', 'open']).optional(),
      limit: z.number().int().min(1).max(500).default(200),
    }),
    roles: ['manager'],
    out: returns<{ refunds: OrderRefundView[] }>(),
  },
  'orders.refundRetry': {
    input: z.object({ orderId: id }),
    roles: ['manager'],
    out: returns<{ refund: OrderRefundView }>(),
  },
  'orders.refundPaid': {
    input: z.object({ orderId: id, note: reason }),
    roles: ['manager'],
    out: returns<{ refund: OrderRefundView }>(),
  },

  'staff.list': { input: z.object({}), roles: ['manager'], out: returns<{ staff: StaffView[] }>() },
  // Staff administration (back office). Managers run cashiers and managers; every change is audited.
  'staff.members': { input: z.object({}), roles: ['manager'], out: returns<{ staff: StaffMember[] }>() },
  'staff.add': {
    input: z.object({
      name: z.string().trim().min(1).max(40),
      nameEn: z.string().trim().min(1).max(60).optional(),
      role: z.enum(ROLES),
      pin,
    }),
    roles: ['manager'],
    out: returns<{ member: StaffMember }>(),
  },
  'staff.disable': { input: z.object({ staffId: id }), roles: ['manager'], out: returns<{ member: StaffMember }>() },
  'staff.enable': { input: z.object({ staffId: id }), roles: ['manager'], out: returns<{ member: StaffMember }>() },
  'staff.setRole': {
    input: z.object({ staffId: id, role: z.enum(ROLES) }),
    roles: ['manager'],
    out: returns<{ member: StaffMember }>(),
  },
  /** A temporary PIN the manager hands over; the staff member must choose a new PIN at next login. */
  'staff.resetPin': {
    input: z.object({ staffId: id, pin }),
    roles: ['manager'],
    out: returns<{ member: StaffMember }>(),
  },
  'audit.list': {
    input: z.object({
      limit: z.number().int().min(1).max(1000).optional(),
      // Filters (all optional): who acted or approved, an action or family (`staff` = `staff.*`), store-local dates.
      staffId: id.optional(),
      action: z
        .string()
        .regex(/^[a-z_]+(\.[A-Za-z_]+)?$/, 'action is like sale.completed or a family like staff')
        .optional(),
      ...reportRange,
    }),
    roles: ['manager'],
    out: returns<{ entries: AuditEntry[] }>(),
  },
  'config.get': {
    input: z.object({}),
    roles: ['cashier', 'manager', 'technician'],
    out: returns<{ config: TillConfig }>(),
  },
  'config.set': {
    input: z.object({ patch: z.record(z.string(), z.unknown()) }),
    roles: ['manager', 'technician'],
    out: returns<{ config: TillConfig }>(),
  },
  'settings.get': {
    input: z.object({}),
    roles: ['manager', 'technician'],
    out: returns<{ settings: StoreSettings }>(),
  },
  'settings.set': {
    input: z.object({ patch: z.record(z.string(), z.unknown()) }),
    roles: ['manager', 'technician'],
    out: returns<{ settings: StoreSettings; changed: string[] }>(),
  },
  'devices.list': { input: z.object({}), roles: ['manager', 'technician'], out: returns<{ devices: DeviceView[] }>() },
  'devices.configure': {
    input: z.object({
      deviceId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'device id is lower-case letters, digits and dashes'),
      kind: z.enum(['printer', 'scanner', 'scale', 'display', 'drawer']),
      uri: z
        .string()
        .trim()
        .regex(/^(tcp:\/\/|serial:|usb:|hid:)/, 'device URI starts with tcp://, serial:, usb: or hid:')
        .max(300),
      options: z.record(z.string(), z.union([z.string().max(200), z.number(), z.boolean()])).optional(),
    }),
    roles: ['technician'],
    out: returns<{ devices: DeviceView[] }>(),
  },
  'devices.remove': {
    input: z.object({ deviceId: id }),
    roles: ['technician'],
    out: returns<{ devices: DeviceView[] }>(),
  },
  'devices.testPrint': {
    input: z.object({ deviceId: id.optional() }),
    roles: ['manager', 'technician'],
    out: returns<{ jobId: string }>(),
  },
  // No-sale drawer open (开钱箱): a cashier or technician needs a manager PIN. Audited.
  'devices.openDrawer': {
    input: z.object({ reason, reasonCode: reasonCode.optional(), ...approval }),
    roles: ['cashier', 'manager', 'technician'],
    out: returns<Record<string, never>>(),
  },
  'devices.readWeight': {
    input: z.object({}),
    roles: ['cashier', 'manager', 'technician'],
    out: returns<{ weight: WeightReading }>(),
  },
  // Where the customer display (second screen) is served, with its read-only key.
  'display.link': {
    input: z.object({}),
    roles: ['cashier', 'manager', 'technician'],
    out: returns<{ path: string }>(),
  },
  // A new display key (a leaked link): the paired display must be opened again from the new link.
  'display.rotateKey': {
    input: z.object({}),
    roles: ['technician'],
    out: returns<{ path: string }>(),
  },

  'footfall.conversion': {
    input: z.object({
      date: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'date is YYYY-MM-DD')
        .optional(),
    }),
    roles: ['manager'],
    out: returns<{ report: ConversionReport }>(),
  },

  // Replenishment (docs/replenishment.md): tomorrow's suggested order with its reasons; the
  // manager edits and sends it as a purchase order; the weather forecast the store received.
  'replenishment.suggest': {
    input: z.object({ day: day.optional() }),
    roles: ['manager'],
    out: returns<{ suggestion: ReplenishmentSuggestion }>(),
  },
  'replenishment.submit': {
    input: z.object({
      day,
      lines: z
        .array(z.object({ sku: id, quantity: z.number().int().positive().max(1_000_000) }))
        .min(1)
        .max(2000),
    }),
    roles: ['manager'],
    out: returns<{ order: PurchaseOrder }>(),
  },
  'replenishment.orders': {
    input: z.object({ limit: z.number().int().min(1).max(200).default(20) }),
    roles: ['manager'],
    out: returns<{ orders: PurchaseOrder[] }>(),
  },
  'replenishment.setWeather': {
    input: z.object({ day, tempC: z.number().min(-50).max(60), rainMm: z.number().min(0).max(1000) }),
    roles: ['manager', 'technician'],
    out: returns<Record<string, never>>(),
  },
  // The ordering parameters per product the manager may change (case pack, lead time, service level).
  'replenishment.items': {
    input: z.object({}),
    roles: ['manager'],
    out: returns<{ items: ReplenishmentItem[] }>(),
  },
  'replenishment.setItem': {
    input: z
      .object({
        sku: id,
        /** Items, or grams for weighed products. */
        casePack: z.number().int().min(1).max(100_000).optional(),
        leadDays: z.number().int().min(0).max(14).optional(),
        /** null: back to the newsvendor ratio from the product's margin and shelf life. */
        serviceLevel: z.number().min(0.5).max(0.98).nullable().optional(),
      })
      .strict(),
    roles: ['manager'],
    out: returns<{ item: ReplenishmentItem }>(),
  },

  // Store-wide reports over every till's replicated facts (docs/reports.md).
  'reports.sales': {
    input: z.object({ ...reportRange, groupBy: salesGroupBy.default('hour') }),
    roles: ['manager'],
    out: returns<{ report: SalesReport }>(),
  },
  'reports.waste': { input: z.object(reportRange), roles: ['manager'], out: returns<{ report: WasteReport }>() },
  'reports.zHistory': { input: z.object(reportRange), roles: ['manager'], out: returns<{ report: ZHistory }>() },
  'reports.export': {
    input: z.object({
      ...reportRange,
      report: z.enum(['sales', 'waste', 'zHistory']),
      format: z.enum(['csv', 'xlsx']),
      groupBy: salesGroupBy.default('hour'),
    }),
    roles: ['manager'],
    out: returns<{ file: ReportFile }>(),
  },
  // Face lookup (刷脸识别): one camera frame (base64 JPEG/PNG, optionally a data: URL) → at most
  // three candidates above the calibrated threshold among members who consented; the cashier
  // confirms one (never automatic). `reason` says why there are none (no face, several faces,
  // spoof, not live). docs/members-face.md.
  'members.identifyFace': {
    input: z.object({ image: faceImage }),
    roles: ['cashier', 'manager'],
    out: returns<FaceIdentifyResult>(),
  },
  // The cashier confirmed a face candidate: audited (member id and score only).
  'members.confirmFace': {
    input: z.object({ memberId: id, score: z.number().min(-1).max(1) }),
    roles: ['cashier', 'manager'],
    out: returns<Record<string, never>>(),
  },
  // Face enrolment at the till, after the customer confirmed consent (on the customer display
  // when there is one). Replaces an earlier template of the member. Audited.
  'members.enrollFace': {
    input: z.object({
      memberId: id,
      image: faceImage,
      consent: z.object({
        /** The customer confirmed consent to face lookup (must be true). */
        face: z.boolean(),
        /** The customer also allowed recognition in the chain's other stores. */
        chainWide: z.boolean().default(false),
        channel: z.enum(['customer-display', 'till']),
        textVersion: z.string().trim().min(1).max(40),
      }),
    }),
    roles: ['cashier', 'manager'],
    out: returns<{ memberId: string; enrolledAt: string }>(),
  },
  // Deletes a member's face template on this till (the member withdrew consent). Audited.
  'members.removeFace': {
    input: z.object({ memberId: id }),
    roles: ['cashier', 'manager'],
    out: returns<{ removed: boolean }>(),
  },
  /** Price rules of this till that are open now or open later (chain promotions, member prices, markdowns). */
  'pricing.rules': { input: z.object({}), roles: ['manager'], out: returns<{ rules: PriceRuleView[] }>() },
  /**
   * Evening markdown (晚间打折): from `from` (store-local HH:MM) until the end of today, the listed
   * categories and/or products, −percentOff % or a fixed price (fen per item, per kg for weighed
   * items). Replicates to every till of the store through the hub (works with the cloud offline).
   */
  'pricing.markdown': {
    input: z
      .object({
        from: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'from is HH:MM'),
        categories: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
        skus: z.array(z.string().trim().min(1).max(64)).max(500).optional(),
        percentOff: z.number().int().min(1).max(90).optional(),
        price: z.number().int().min(0).max(100_000_000).optional(),
        name: z.string().trim().max(80).optional(),
        nameEn: z.string().trim().max(80).optional(),
      })
      .refine((m) => (m.percentOff === undefined) !== (m.price === undefined), {
        message: 'give either percentOff or price',
        path: ['percentOff'],
      })
      .refine((m) => (m.categories?.length ?? 0) + (m.skus?.length ?? 0) > 0, {
        message: 'name at least one category or product',
        path: ['categories'],
      }),
    roles: ['manager'],
    out: returns<{ rule: PriceRuleView }>(),
  },
  /** Ends a markdown now, on every till of the store. */
  'pricing.endMarkdown': { input: z.object({ id }), roles: ['manager'], out: returns<{ ended: string }>() },
  /**
   * Store price change (门店调价): the listed products and/or categories at `price` (fen per item,
   * per kg for weighed items; at most the chain price) or −percentOff %, from `from` (ISO instant;
   * absent = now). A store rule `sp-…` that replicates to every till of the store; a newer change
   * for the same products ends the older one. Audited (`prices.set`).
   */
  'prices.set': {
    input: z
      .object({
        skus: z.array(z.string().trim().min(1).max(64)).max(500).optional(),
        categories: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
        price: z.number().int().min(0).max(100_000_000).optional(),
        percentOff: z.number().int().min(1).max(90).optional(),
        from: z.string().datetime({ offset: true }).optional(),
      })
      .refine((m) => (m.percentOff === undefined) !== (m.price === undefined), {
        message: 'give either percentOff or price',
        path: ['percentOff'],
      })
      .refine((m) => (m.categories?.length ?? 0) + (m.skus?.length ?? 0) > 0, {
        message: 'name at least one category or product',
        path: ['categories'],
      }),
    roles: ['manager'],
    out: returns<{ rule: PriceRuleView }>(),
  },
  /**
   * Prints shelf labels on the store's label printer: the given SKUs, or those whose store price
   * changed since `changedSince` (ISO instant), and/or the markdown labels of evening markdown
   * `markdownId` (old price struck through, new price; NOT_FOUND if no such markdown). Audited
   * (`labels.print`).
   */
  'labels.print': {
    input: z
      .object({
        skus: z.array(z.string().trim().min(1).max(64)).max(200).optional(),
        changedSince: z.string().datetime({ offset: true }).optional(),
        copies: z.number().int().min(1).max(20).default(1),
        markdownId: z.string().trim().min(1).max(100).optional(),
      })
      .refine((m) => (m.skus?.length ?? 0) > 0 || m.changedSince !== undefined || m.markdownId !== undefined, {
        message: 'name products, changedSince or markdownId',
        path: ['skus'],
      }),
    roles: ['manager'],
    out: returns<{ printed: string[]; bytes: number }>(),
  },
  /** The PLU file a label scale's PC software imports (GB18030 CSV). Audited (`labels.pluExport`). */
  'labels.pluExport': {
    input: z.object({ brand: z.enum(PLU_SCALE_BRANDS) }),
    roles: ['manager'],
    out: returns<{ file: ReportFile; products: number }>(),
  },

  'system.status': { input: z.object({}), roles: ['cashier', 'manager', 'technician'], out: returns<TerminalStatus>() },
  // Setup's "retry sync": one sync round now instead of waiting for the back-off; answers the new status.
  'sync.retry': {
    input: z.object({}),
    roles: ['manager', 'technician'],
    out: returns<{ sync: TerminalStatus['sync']; online: boolean }>(),
  },
  // After lost sale records were investigated: resumes selling with numbering past every number
  // that may be on paper (journal high-water mark plus a gap). Technician only; audited.
  // Stock work (docs/back-office.md). Quantities are items, or grams for weighed goods.
  'stock.receive': {
    input: z.object({
      lines: z
        .array(
          z.object({
            sku: id,
            quantity: z.number().int().positive().max(1_000_000).optional(),
            weightGrams: z.number().int().positive().max(10_000_000).optional(),
            unitCost: fen.nonnegative().max(100_000_000),
          }),
        )
        .min(1)
        .max(500),
      po: z
        .object({
          id,
          lines: z.array(z.object({ sku: id, quantity: z.number().int().positive().max(10_000_000) })).max(500),
        })
        .optional(),
      // The receiving note goes to the receipt printer unless `print: false`.
      print: z.boolean().optional(),
    }),
    roles: ['cashier', 'manager'],
    out: returns<ReceiveResult & { note: ReceivingNotePrintout }>(),
  },
  'stock.waste': {
    input: z.object({
      sku: id,
      quantity: z.number().int().positive().max(1_000_000).optional(),
      weightGrams: z.number().int().positive().max(10_000_000).optional(),
      reason: z.enum(['spoiled', 'expired', 'damaged', 'tasting', 'processing', 'theft']),
      ...approval,
      confirmShortage: z.boolean().optional(),
    }),
    roles: ['cashier', 'manager'],
    out: returns<WasteResult>(),
  },
  'stocktake.start': {
    input: z.object({ category: id.optional(), skus: z.array(id).min(1).max(5000).optional() }),
    roles: ['manager'],
    out: returns<{ stocktakeId: string; lines: StocktakeSheetLine[] }>(),
  },
  // Open sessions (and the last posted ones) for the counting page, and the categories a session may cover.
  'stocktake.list': {
    input: z.object({}),
    roles: ['cashier', 'manager'],
    out: returns<{ stocktakes: StocktakeSummary[]; categories: { category: string; products: number }[] }>(),
  },
  'stocktake.sheet': {
    input: z.object({ stocktakeId: id }),
    roles: ['cashier', 'manager'],
    out: returns<{ lines: StocktakeSheetLine[] }>(),
  },
  'stocktake.count': {
    input: z.object({
      stocktakeId: id,
      sku: id,
      quantity: z.number().int().nonnegative().max(1_000_000).optional(),
      weightGrams: z.number().int().nonnegative().max(10_000_000).optional(),
      add: z.boolean().optional(),
    }),
    roles: ['cashier', 'manager'],
    out: returns<{ sku: string; counted: number }>(),
  },
  'stocktake.variance': {
    input: z.object({ stocktakeId: id }),
    roles: ['manager'],
    out: returns<{ lines: StocktakeVarianceLine[]; value: number }>(),
  },
  'stocktake.post': {
    input: z.object({ stocktakeId: id }),
    roles: ['manager'],
    out: returns<{ stocktakeId: string; posted: number; lines: StocktakeVarianceLine[]; value: number }>(),
  },
  // Transfers between stores (调拨, docs/back-office.md "Transfers"): the receiving store
  // requests, the sending store ships, the receiving store records what arrived.
  'stock.nearby': { input: z.object({ sku: id }), roles: ['manager'], out: returns<StockNearby>() },
  'transfers.list': {
    input: z.object({}),
    roles: ['manager'],
    out: returns<{ transfers: TransferView[] }>(),
  },
  'transfers.request': {
    input: z.object({
      fromStore: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
      sku: id,
      quantity: z.number().int().positive().max(10_000_000),
      id: id.optional(),
    }),
    roles: ['manager'],
    out: returns<{ transfer: TransferView }>(),
  },
  'transfers.ship': {
    input: z.object({ id, quantity: z.number().int().positive().max(10_000_000).optional() }),
    roles: ['manager'],
    out: returns<{ transfer: TransferView }>(),
  },
  'transfers.receive': {
    input: z.object({ id, quantity: z.number().int().nonnegative().max(10_000_000) }),
    roles: ['manager'],
    out: returns<{ transfer: TransferView }>(),
  },
  // 储值 top-up at the till: paid in cash, card or payment code; the bonus tier (充200送50) is added
  // separately. The first top-up may set the member's stored-value PIN (pays by phone + PIN later).
  'members.topUp': {
    input: z.object({
      memberId: id,
      amount: positiveFen.max(10_000_000),
      tenders: z
        .array(tenderInput)
        .min(1)
        .max(4)
        .refine((ts) => ts.every((t) => t.type === 'cash' || t.type === 'card' || t.type === 'payment_code'), {
          message: 'top-up tenders are cash, card or payment code',
        }),
      pin: pin.optional(),
    }),
    roles: ['cashier', 'manager'],
    out: returns<TopUpResult>(),
  },
  'members.storedValue': {
    input: z.object({ memberId: id }),
    roles: ['cashier', 'manager'],
    out: returns<{ balance: StoredValueBalance }>(),
  },
  /** Back office: outstanding stored-value liability (principal vs bonus) and flagged negative balances. */
  'storedValue.report': { input: z.object({}), roles: ['manager'], out: returns<{ report: StoredValueReport }>() },
  'system.acknowledgeSaleLoss': {
    input: z.object({ note: reason }),
    roles: ['technician'],
    out: returns<{ saleRecords: SaleRecordsStatus; nextSaleNumber: string }>(),
  },
  /** A coupon code (typed, or scanned from the member's QR `coupon:<code>`) onto the open cart; checked and held. */
  'cart.applyCoupon': {
    input: z.object({
      code: z
        .string()
        .trim()
        .min(1)
        .max(60)
        .transform((c) => c.replace(/^coupon:/i, '').toUpperCase()),
    }),
    roles: ['cashier', 'manager'],
    out: returns<{ cart: Cart }>(),
  },
  'cart.removeCoupon': { input: z.object({}), roles: ['cashier', 'manager'], out: returns<{ cart: Cart }>() },
  /** Coupons redeemed twice by tills cut off from each other, with both sales (manager). */
  'coupons.conflicts': { input: z.object({}), roles: ['manager'], out: returns<{ conflicts: CouponConflict[] }>() },
} as const satisfies Record<string, MethodSpec>;

export type MethodName = keyof typeof methods;
/** What a client sends (defaults and transforms not yet applied). */
export type MethodInput<M extends MethodName> = z.input<(typeof methods)[M]['input']>;
/** What a handler receives: the input after the router parsed it with the method's schema. */
export type MethodParams<M extends MethodName> = z.output<(typeof methods)[M]['input']>;
export type MethodOutput<M extends MethodName> = (typeof methods)[M]['out'] extends Returns<infer T> ? T : never;
export const methodNames = Object.keys(methods) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

// The same table seen as "method -> schema of its params": checked here once for every method,
// so a lookup with a generic method name keeps its type (no cast in the router).
const inputSchemas: { [M in MethodName]: { input: z.ZodType<MethodParams<M>> } } = methods;

/** Parses a call's input with its method's schema; the result is typed for that method's handler. */
export function parseMethodInput<M extends MethodName>(
  method: M,
  input: unknown,
): z.ZodSafeParseResult<MethodParams<M>> {
  return inputSchemas[method].input.safeParse(input);
}
