// One handler per contract method. Inputs arrive already validated by the contract's zod
// schema and the caller's session and role already checked by the router.
import type { MethodName, MethodOutput, StaffView, TerminalStatus } from '../../contract';
import { PosError } from '../../contract';
import { listStaff, loginWithPin, requireManagerApproval, revokeSession } from '../auth';
import { listAudit, writeAudit } from '../audit';
import {
  addToCart, applyLineDiscount, getCart, parkCart, parkedCarts, recallCart, removeLine, scanIntoCart, setLineQuantity, voidCart,
} from '../cart';
import { getProduct, type ProductSearch } from '../catalog';
import { patchTillConfig, readTillConfig } from '../config';
import { createReturn, listSales, lookupReturnable, payCart, readSale, receiptForSale, type SaleRecordsGuard } from '../sales';
import { cashMovement, closeShift, currentShift, openShift, xReport } from '../shift';
import { getStockView } from '../stock';
import type { CoreContext } from '../context';
import type { DeviceSetting, TillDevices } from '../devices';
import { storeConversion } from '../footfall';
import type { TerminalSync } from '../../../sync/terminal';

export interface CallContext { staff: StaffView | null; token?: string }

export interface HandlerDeps {
  ctx: CoreContext;
  search: ProductSearch;
  version: string;
  status(): Promise<Pick<TerminalStatus, 'online' | 'sync' | 'devices'>>;
  /** When sync is on, stock comes from the store-wide replicated ledger. */
  sync: TerminalSync | null;
  /** The till's devices, when it has any (bound late: the device hub opens after the core). */
  devices(): TillDevices | null;
  /** Refuses selling while acknowledged sales may be lost (it journals sales through ctx.saleCommitted). */
  saleRecords: SaleRecordsGuard;
}

type Handler<M extends MethodName> = (input: never, call: CallContext) => Promise<MethodOutput<M>> | MethodOutput<M>;
export type HandlerTable = { [M in MethodName]: Handler<M> };

function who(call: CallContext): StaffView {
  if (!call.staff) throw new PosError('UNAUTHENTICATED');
  return call.staff;
}

export function createHandlers(deps: HandlerDeps): HandlerTable {
  const { ctx, search, saleRecords } = deps;
  const devices = (): TillDevices => {
    const d = deps.devices();
    if (!d) throw new PosError('DEVICE_UNAVAILABLE', { reason: 'no-devices' });
    return d;
  };
  const audited = (call: CallContext, action: string, detail: Record<string, unknown>, approvedById?: string) =>
    ctx.db.transaction(() => writeAudit(ctx.db, ctx.terminalId, ctx.clock(), { action, staffId: who(call).id, approvedById, detail }))();
  const h = {
    'auth.login': (i: { pin: string; staffId?: string }) => loginWithPin(ctx, i.pin, i.staffId),
    'auth.logout': (_i: object, call: CallContext) => {
      if (call.token) ctx.db.transaction(() => {
        revokeSession(ctx.db, call.token!, ctx.clock());
        writeAudit(ctx.db, ctx.terminalId, ctx.clock(), { action: 'auth.logout', staffId: call.staff?.id ?? null });
      })();
      return {};
    },
    'auth.whoami': (_i: object, call: CallContext) => ({ staff: who(call) }),

    'catalog.search': (i: { query: string; limit?: number }) => ({ products: search.search(i.query, i.limit ?? 20) }),
    'catalog.get': (i: { sku: string }) => ({ product: getProduct(ctx.db, i.sku) }),

    'cart.get': (_i: object, call: CallContext) => ({ cart: getCart(ctx, call.staff) }),
    'cart.scan': (i: { code: string }, call: CallContext) => { saleRecords.assertCanSell(); return scanIntoCart(ctx, who(call), i.code); },
    'cart.add': (i: { sku: string; quantity?: number; weightGrams?: number }, call: CallContext) => { saleRecords.assertCanSell(); return addToCart(ctx, who(call), i); },
    'cart.setQuantity': (i: { lineId: string; quantity?: number; weightGrams?: number }, call: CallContext) => ({ cart: setLineQuantity(ctx, who(call), i) }),
    'cart.remove': (i: { lineId: string }) => ({ cart: removeLine(ctx, i.lineId) }),
    'cart.lineDiscount': async (i: { lineId: string; kind: 'percent' | 'amount'; value: number; managerPin?: string }, call: CallContext) => ({ cart: await applyLineDiscount(ctx, who(call), i) }),
    'cart.park': (i: { label?: string }, call: CallContext) => parkCart(ctx, who(call), i.label),
    'cart.parked': () => ({ carts: parkedCarts(ctx) }),
    'cart.recall': (i: { parkedId: string }, call: CallContext) => ({ cart: recallCart(ctx, who(call), i.parkedId) }),
    'cart.void': async (i: { reason: string; managerPin?: string }, call: CallContext) => ({ cart: await voidCart(ctx, who(call), i) }),
    'cart.pay': (i: { tenders: Parameters<typeof payCart>[2] }, call: CallContext) => { saleRecords.assertCanSell(); return payCart(ctx, who(call), i.tenders); },

    'sales.get': (i: { id: string }) => ({ sale: readSale(ctx.db, i.id) }),
    'sales.list': (i: { limit?: number; before?: string }) => ({ sales: listSales(ctx.db, i.limit ?? 50, i.before) }),
    'sales.receipt': (i: { id: string }) => ({ receipt: receiptForSale(ctx, readSale(ctx.db, i.id), false) }),
    'sales.reprint': (i: { id: string }, call: CallContext) => {
      const sale = readSale(ctx.db, i.id);
      ctx.db.transaction(() => writeAudit(ctx.db, ctx.terminalId, ctx.clock(), { action: 'sale.reprint', staffId: who(call).id, detail: { saleId: sale.id, number: sale.number } }))();
      return { receipt: receiptForSale(ctx, sale, true) };
    },

    'returns.lookup': (i: { code: string }) => ({ sale: lookupReturnable(ctx, i.code) }),
    'returns.create': async (i: { saleId: string; lines: { lineId: string; quantity?: number; weightGrams?: number }[]; reason: string; managerPin?: string }, call: CallContext) =>
      ({ return: await createReturn(ctx, who(call), i) }),

    'shift.current': () => ({ shift: currentShift(ctx) }),
    'shift.open': (i: { float: number }, call: CallContext) => ({ shift: openShift(ctx, who(call), i.float) }),
    'shift.cashIn': async (i: { amount: number; reason: string }, call: CallContext) => ({ shift: await cashMovement(ctx, who(call), 'in', i.amount, i.reason) }),
    'shift.cashOut': async (i: { amount: number; reason: string; managerPin?: string }, call: CallContext) => ({ shift: await cashMovement(ctx, who(call), 'out', i.amount, i.reason, i.managerPin) }),
    'shift.xReport': () => ({ report: xReport(ctx) }),
    'shift.close': (i: { countedCash: number }, call: CallContext) => ({ report: closeShift(ctx, who(call), i.countedCash) }),

    'stock.get': async (i: { sku: string }) => {
      const local = getStockView(ctx.db, i.sku, ctx.clock());
      if (!deps.sync) return local;
      // Every terminal of the store plus online-order reservations, as far as this replica has synced.
      const s = await deps.sync.outbox.storage.stock(ctx.storeId, i.sku);
      return { ...local, onHand: s.onHand, reserved: s.reserved, available: s.available, negative: s.onHand < 0 };
    },

    'staff.list': () => ({ staff: listStaff(ctx.db) }),
    'audit.list': (i: { limit?: number }) => ({ entries: listAudit(ctx.db, i.limit ?? 100) }),
    'config.get': () => ({ config: readTillConfig(ctx.db, ctx.storeId, ctx.terminalId) }),
    'config.set': (i: { patch: Record<string, unknown> }, call: CallContext) => {
      const now = ctx.clock();
      const { config, changed } = ctx.db.transaction(() => {
        const r = patchTillConfig(ctx.db, ctx.storeId, ctx.terminalId, i.patch, now);
        writeAudit(ctx.db, ctx.terminalId, now, { action: 'config.change', staffId: who(call).id, detail: { changed: r.changed, patch: i.patch } });
        return r;
      })();
      ctx.logger.info({ changed }, 'config changed');
      return { config };
    },
    'devices.list': async () => ({ devices: await devices().list() }),
    'devices.configure': async (i: DeviceSetting, call: CallContext) => {
      const d = devices();
      await d.configure(i);
      audited(call, 'device.configure', { deviceId: i.deviceId, kind: i.kind, uri: i.uri });
      return { devices: await d.list() };
    },
    'devices.remove': async (i: { deviceId: string }, call: CallContext) => {
      const d = devices();
      await d.remove(i.deviceId);
      audited(call, 'device.remove', { deviceId: i.deviceId });
      return { devices: await d.list() };
    },
    'devices.testPrint': async (i: { deviceId?: string }, call: CallContext) => {
      const r = await devices().testPrint(i.deviceId);
      audited(call, 'device.testPrint', { deviceId: i.deviceId ?? null, jobId: r.jobId });
      return r;
    },
    'devices.openDrawer': async (i: { reason: string; managerPin?: string }, call: CallContext) => {
      const d = devices();
      const approver = await requireManagerApproval(ctx, who(call), i.managerPin, 'open-drawer');
      await d.openDrawer();
      audited(call, 'drawer.open', { reason: i.reason }, approver.id === who(call).id ? undefined : approver.id);
      return {};
    },
    'devices.readWeight': async () => ({ weight: await devices().readWeight() }),
    'display.link': () => ({ path: devices().customerDisplayPath() }),
    'footfall.conversion': async (i: { date?: string }) => ({ report: await storeConversion(ctx, deps.sync, i.date) }),

    'system.status': async () => ({ terminalId: ctx.terminalId, storeId: ctx.storeId, version: deps.version, ...(await deps.status()), saleRecords: saleRecords.status() }),
    'system.acknowledgeSaleLoss': (i: { note: string }, call: CallContext) => saleRecords.acknowledge(who(call), i.note),
  };
  return h as unknown as HandlerTable;
}
