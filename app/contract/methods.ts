// The one RPC contract between the renderer (or any HTTP client) and the terminal core.
// Each method has a zod input schema, the roles allowed to call it, and an output type.
// Electron IPC and the web host are thin adapters over the router that enforces this table.
import { z } from 'zod';
import type {
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
} from './types';

export const ROLES = ['cashier', 'manager', 'technician'] as const;
export type Role = (typeof ROLES)[number];

const fen = z.number().int().safe();
const positiveFen = fen.positive();
const id = z.string().min(1).max(80);
const pin = z.string().regex(/^\d{4,8}$/, 'PIN is 4 to 8 digits');
const reason = z.string().trim().min(1).max(200);

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
  'auth.whoami': {
    input: z.object({}),
    roles: ['cashier', 'manager', 'technician'],
    out: returns<{ staff: StaffView }>(),
  },

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
      managerPin: pin.optional(),
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
    input: z.object({ reason, managerPin: pin.optional() }),
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
    input: z.object({ saleId: id, lines: z.array(lineQuantity).min(1).max(200), reason, managerPin: pin.optional() }),
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
    input: z.object({ amount: positiveFen, reason, managerPin: pin.optional() }),
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

  'stock.get': { input: z.object({ sku: id }), roles: ['cashier', 'manager', 'technician'], out: returns<StockView>() },

  'staff.list': { input: z.object({}), roles: ['manager'], out: returns<{ staff: StaffView[] }>() },
  'audit.list': {
    input: z.object({ limit: z.number().int().min(1).max(1000).optional() }),
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
    input: z.object({ reason, managerPin: pin.optional() }),
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

  'system.status': { input: z.object({}), roles: ['cashier', 'manager', 'technician'], out: returns<TerminalStatus>() },
  // Setup's "retry sync": one sync round now instead of waiting for the back-off; answers the new status.
  'sync.retry': {
    input: z.object({}),
    roles: ['manager', 'technician'],
    out: returns<{ sync: TerminalStatus['sync']; online: boolean }>(),
  },
  // After lost sale records were investigated: resumes selling with numbering past every number
  // that may be on paper (journal high-water mark plus a gap). Technician only; audited.
  'system.acknowledgeSaleLoss': {
    input: z.object({ note: reason }),
    roles: ['technician'],
    out: returns<{ saleRecords: SaleRecordsStatus; nextSaleNumber: string }>(),
  },
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
