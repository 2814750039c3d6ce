// One handler per contract method. Inputs arrive already validated by the contract's zod
// schema and the caller's session and role already checked by the router.
import type { MethodName, MethodOutput, MethodParams, StaffView, TerminalStatus } from '../../contract';
import { PosError } from '../../contract';
import {
  addStaff,
  listStaff,
  listStaffMembers,
  loginWithPin,
  requireManagerApproval,
  resetStaffPin,
  revokeSession,
  setOwnPin,
  setStaffActive,
  setStaffRole,
} from '../auth';
import { listAudit, writeAudit } from '../audit';
import {
  addToCart,
  applyLineDiscount,
  getCart,
  openCartRow,
  parkCart,
  parkedCarts,
  recallCart,
  removeLine,
  repriceOpenCart,
  scanIntoCart,
  setLineQuantity,
  voidCart,
  cartCoupon,
  requireOwnCart,
} from '../cart';
import { applyCouponToCart, couponConflicts, removeCouponFromCart, tellHub } from '../coupons';
import { getProduct, type ProductSearch } from '../catalog';
import {
  createMarkdown,
  endMarkdown,
  listRules,
  setStorePrice,
  shelfLabelsFor,
  markdownLabelsFor,
  pluFileFor,
  skusWithPriceChangedSince,
} from '../price-rules';
import { patchTillConfig, presetReason, readTillConfig, setStoreSettings, storeSettingsOf } from '../config';
import {
  cancelOpenCartPayment,
  createReturn,
  intentView,
  storeOrdersForReconcile,
  listSales,
  lookupReturnable,
  openCartPayments,
  payCart,
  paymentQueue,
  readSale,
  receiptForSale,
  type SaleRecordsGuard,
} from '../sales';
import { cashMovement, closeShift, currentShift, handOverShift, openShift, xReport } from '../shift';
import {
  countStocktake,
  getStockView,
  listStocktakes,
  receivingNote,
  postStocktake,
  receiveStock,
  listTransfers,
  stockNearby,
  receiveTransfer,
  requestTransfer,
  shipTransfer,
  recordWaste,
  startStocktake,
  stocktakeSheet,
  stocktakeVariance,
} from '../stock';
import { parseAlipayStatement, parseWechatBill, reconcile, reconcileCsv } from '../payment';
import type { CoreContext } from '../context';
import type { ShelfLabelPrinter, TillDevices } from '../devices';
import { storeConversion } from '../footfall';
import {
  listPurchaseOrders,
  listReplenishmentItems,
  recordPurchaseOrderReceipt,
  setReplenishmentItem,
  setWeatherForecast,
  submitPurchaseOrder,
  suggestReplenishment,
} from '../replenishment';
import { exportReport, reportSpan, salesReport, wasteReport, zHistory, type ReportOptions } from '../reports';
import {
  identifyByCode,
  identifyByPhone,
  looksLikeMemberCode,
  memberPanel,
  setCartMember,
  signUpMember,
  type MemberLookupDeps,
} from '../members';
import {
  acceptOrder,
  bagLabelPrintout,
  handoverByCode,
  leaderHandover,
  leaderManifestPrintout,
  leaderOrders,
  listOrders,
  loadOrder,
  markReady,
  orderView,
  pickLine,
  scanPick,
  substituteLine,
  payOrderRefunds,
  pickListPrintout,
  pickupQrOf,
  listOrderRefunds,
  markOrderRefundPaid,
  retryOrderRefund,
} from '../orders';
import { balanceView, endLoyaltyHolds, markMemberPresent, storedValueReport, topUp } from '../stored-value';
import type { TerminalSync } from '../../../sync/terminal';
import type { FaceService } from '../face';

export interface CallContext {
  staff: StaffView | null;
  token?: string;
}

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
  /** Member code key and the on-demand cloud lookup. */
  members: MemberLookupDeps;
  /** Face lookup of members (templates, matcher, consent). */
  face: FaceService;
  /** The store's label printer for shelf labels, when one is set up. */
  labelPrinter(): ShelfLabelPrinter | null;
  /** Reports read sales from the per-day rollup (default) or from every sale fact. */
  reports?: ReportOptions;
}

/**
 * A handler gets its method's parsed input (`z.output` of the contract schema) and must return
 * the contract's output, so a schema change that a handler does not follow fails `tsc`.
 */
export type Handler<M extends MethodName> = (
  input: MethodParams<M>,
  call: CallContext,
) => MethodOutput<M> | Promise<MethodOutput<M>>;
export type HandlerTable = { [M in MethodName]: Handler<M> };

function who(call: CallContext): StaffView {
  if (!call.staff) throw new PosError('UNAUTHENTICATED');
  return call.staff;
}

export function createHandlers(deps: HandlerDeps): HandlerTable {
  const { ctx, search, saleRecords } = deps;
  const orderDeps = { ctx, sync: deps.sync };
  // A handover's refund (short pick, cheaper substitute) is paid after the answer, off the request path.
  const refundsAfterHandover = (orderIds: string[]) =>
    void payOrderRefunds(orderDeps, orderIds).catch((err: unknown) =>
      ctx.logger.error({ err }, 'online order refund pass failed'),
    );
  const heldCoupon = () => {
    const open = openCartRow(ctx.db);
    const row = open ? cartCoupon(ctx.db, open.id) : null;
    return open && row ? { cartId: open.id, row } : null;
  };
  const devices = (): TillDevices => {
    const d = deps.devices();
    if (!d) throw new PosError('DEVICE_UNAVAILABLE', { reason: 'no-devices' });
    return d;
  };
  // A cashier changes only their own sale; another cashier's is handed over first (issue 13 item 16).
  const own = (call: CallContext): StaffView => {
    requireOwnCart(ctx, who(call));
    return who(call);
  };
  const audited = (call: CallContext, action: string, detail: Record<string, unknown>, approvedById?: string) =>
    ctx.db.transaction(() =>
      writeAudit(ctx.db, ctx.terminalId, ctx.clock(), { action, staffId: who(call).id, approvedById, detail }),
    )();
  return {
    'auth.login': (i) => loginWithPin(ctx, i.pin, i.staffId),
    'auth.logout': (_i, call) => {
      if (call.token)
        ctx.db.transaction(() => {
          revokeSession(ctx.db, call.token!, ctx.clock());
          writeAudit(ctx.db, ctx.terminalId, ctx.clock(), { action: 'auth.logout', staffId: call.staff?.id ?? null });
        })();
      return {};
    },
    'auth.setPin': async (i, call) => ({ staff: await setOwnPin(ctx, who(call), i) }),
    'auth.whoami': (_i, call) => ({ staff: who(call) }),
    'auth.staffNames': () => ({ staff: listStaff(ctx.db) }),

    'catalog.search': (i) => ({ products: search.search(i.query, i.limit ?? 20) }),
    'catalog.get': (i) => ({ product: getProduct(ctx.db, i.sku) }),

    'cart.get': (_i, call) => ({ cart: getCart(ctx, call.staff) }),
    'cart.scan': async (i, call) => {
      saleRecords.assertCanSell();
      // The member's dynamic QR scanned mid-sale attaches the member instead of adding a line.
      if (looksLikeMemberCode(i.code)) {
        const member = await identifyByCode(ctx, deps.members, own(call), i.code);
        const cart = setCartMember(ctx, who(call), member.id);
        markMemberPresent(ctx, member.id, cart.id);
        return { cart, lineId: '', parsed: { kind: 'member-code' }, member };
      }
      return scanIntoCart(ctx, own(call), i.code);
    },
    'cart.setMember': (i, call) => ({ cart: setCartMember(ctx, own(call), i.memberId) }),
    'members.identify': async (i, call) => {
      if (!('code' in i)) return { member: await identifyByPhone(ctx, deps.members, who(call), i.phone) };
      const member = await identifyByCode(ctx, deps.members, who(call), i.code);
      // The member showed their own code: present for a stored-value payment (docs/members.md).
      markMemberPresent(ctx, member.id, openCartRow(ctx.db)?.id ?? null);
      return { member };
    },
    'members.panel': (i) => ({ member: memberPanel(ctx, i.memberId) }),
    'members.signUp': (i, call) => ({ member: signUpMember(ctx, who(call), i) }),
    'cart.add': (i, call) => {
      saleRecords.assertCanSell();
      return addToCart(ctx, own(call), i);
    },
    'cart.setQuantity': (i, call) => ({ cart: setLineQuantity(ctx, own(call), i) }),
    'cart.remove': (i, call) => {
      own(call);
      return { cart: removeLine(ctx, i.lineId) };
    },
    'cart.lineDiscount': async (i, call) => ({ cart: await applyLineDiscount(ctx, own(call), i) }),
    'cart.park': (i, call) => parkCart(ctx, own(call), i.label),
    'cart.parked': () => ({ carts: parkedCarts(ctx) }),
    'cart.recall': (i, call) => ({ cart: recallCart(ctx, who(call), i.parkedId) }),
    'cart.void': async (i, call) => {
      const held = heldCoupon();
      const voided = openCartRow(ctx.db)?.id ?? null;
      const cart = await voidCart(ctx, own(call), i);
      if (held) await tellHub(deps.sync, 'release', held.row, held.cartId);
      // Stored value or points a payment still in flight held at the hub (complete-sale.ts).
      if (voided) await endLoyaltyHolds(ctx, voided, 'release');
      return { cart };
    },
    'cart.pay': async (i, call) => {
      saleRecords.assertCanSell();
      const held = heldCoupon();
      const paid = await payCart(ctx, own(call), i.tenders);
      // The redemption fact follows by sync; the confirmation keeps the hub from a gap meanwhile.
      if (held) void tellHub(deps.sync, 'confirm', held.row, held.cartId, paid.saleNumber);
      return paid;
    },
    'payment.cancel': (_i, call) => cancelOpenCartPayment(ctx, who(call).id),
    'payment.pending': () => ({ payments: openCartPayments(ctx) }),
    'payment.queue': () => ({ payments: paymentQueue(ctx.db).map(intentView) }),
    'payment.reconcile': (i) => {
      let theirs;
      try {
        theirs = i.wallet === 'wechat' ? parseWechatBill(i.statement) : parseAlipayStatement(i.statement);
      } catch (err) {
        throw new PosError('BAD_INPUT', {
          reason: 'statement',
          wallet: i.wallet,
          why: err instanceof Error ? err.message : String(err),
        });
      }
      const r = reconcile(storeOrdersForReconcile(ctx.db, i.wallet, i.day), theirs);
      return { ...r, csv: reconcileCsv(r.lines) };
    },

    'sales.get': (i) => ({ sale: readSale(ctx.db, i.id) }),
    'sales.list': (i) => ({ sales: listSales(ctx.db, i.limit ?? 50, i.before) }),
    'sales.receipt': (i) => ({ receipt: receiptForSale(ctx, readSale(ctx.db, i.id), false) }),
    'sales.reprint': (i, call) => {
      const sale = readSale(ctx.db, i.id);
      ctx.db.transaction(() =>
        writeAudit(ctx.db, ctx.terminalId, ctx.clock(), {
          action: 'sale.reprint',
          staffId: who(call).id,
          detail: { saleId: sale.id, number: sale.number },
        }),
      )();
      return { receipt: receiptForSale(ctx, sale, true) };
    },

    'returns.lookup': (i) => ({ sale: lookupReturnable(ctx, i.code) }),
    'returns.create': async (i, call) => ({ return: await createReturn(ctx, who(call), i) }),

    'shift.current': () => ({ shift: currentShift(ctx) }),
    'shift.open': (i, call) => ({ shift: openShift(ctx, who(call), i.float) }),
    'shift.cashIn': async (i, call) => ({ shift: await cashMovement(ctx, who(call), 'in', i.amount, i.reason) }),
    'shift.cashOut': async (i, call) => ({
      shift: await cashMovement(ctx, who(call), 'out', i.amount, i.reason, i),
    }),
    'shift.xReport': () => ({ report: xReport(ctx) }),
    'shift.close': (i, call) => ({ report: closeShift(ctx, who(call), i.countedCash) }),
    'shift.handover': async (i, call) => ({ shift: await handOverShift(ctx, who(call), i) }),

    'stock.get': async (i) => {
      const local = getStockView(ctx.db, i.sku, ctx.clock());
      if (!deps.sync) return local;
      // Every terminal of the store plus online-order reservations, as far as this replica has synced.
      const s = await deps.sync.outbox.storage.stock(ctx.storeId, i.sku);
      return { ...local, onHand: s.onHand, reserved: s.reserved, available: s.available, negative: s.onHand < 0 };
    },

    'orders.list': (i) => listOrders(orderDeps, i.status),
    'orders.get': (i) => ({ order: orderView(loadOrder(orderDeps, i.id)) }),
    'orders.accept': (i, call) => ({ order: acceptOrder(orderDeps, who(call), i.id) }),
    'orders.pick': (i, call) => pickLine(orderDeps, who(call), i),
    'orders.scan': (i, call) => scanPick(orderDeps, who(call), i),
    'orders.substitute': (i, call) => substituteLine(orderDeps, who(call), i),
    // `printed` is set by the till when it queues the document on the receipt printer (app/till).
    'orders.pickList': (i) => ({ printout: pickListPrintout(orderView(loadOrder(orderDeps, i.id))) }),
    'orders.ready': (i, call) => {
      const order = markReady(orderDeps, who(call), i.id, i.bags);
      return { order, label: bagLabelPrintout(order, pickupQrOf(orderDeps, i.id)) };
    },
    'orders.handover': async (i, call) => {
      const r = await handoverByCode(orderDeps, who(call), i.code);
      refundsAfterHandover([r.order.id]);
      return r;
    },
    'orders.leaderPickup': async (i, call) => {
      const ready = leaderOrders(orderDeps, i.leaderCode);
      if (ready.length === 0) throw new PosError('ORDER_NOT_FOUND', { reason: 'leader', leaderCode: i.leaderCode });
      if (!i.confirm) return { orders: ready.map(orderView), handedOver: [], manifest: null };
      const done = await leaderHandover(orderDeps, who(call), i.leaderCode);
      refundsAfterHandover(done.map((o) => o.id));
      const leaderId = ready[0]!.order.leaderId ?? i.leaderCode;
      return {
        orders: done,
        handedOver: done.map((o) => o.id),
        manifest: leaderManifestPrintout(leaderId, done),
      };
    },
    'orders.refunds': (i) => ({ refunds: listOrderRefunds(orderDeps, i) }),
    'orders.refundRetry': async (i, call) => ({ refund: await retryOrderRefund(orderDeps, who(call), i.orderId) }),
    'orders.refundPaid': (i, call) => ({ refund: markOrderRefundPaid(orderDeps, who(call), i.orderId, i.note) }),
    // Receiving against a purchase order this till sent also closes it (or part of it), in the
    // same transaction, so the next suggestion no longer counts those goods as in transit.
    // The receiving note is printed by the till (app/till) unless `print: false`.
    'stock.receive': (i, call) => {
      const r = ctx.db.transaction(() => {
        const received = receiveStock(ctx, who(call), i);
        if (i.po) recordPurchaseOrderReceipt(ctx, i.po.id, received.lines);
        return received;
      })();
      return { ...r, note: receivingNote(ctx, who(call), r) };
    },
    'stock.waste': (i, call) =>
      recordWaste(ctx, who(call), i, readTillConfig(ctx.db, ctx.storeId, ctx.terminalId).wasteApprovalFen, (d) =>
        requireManagerApproval(ctx, who(call), i, 'waste-over-limit', d),
      ),
    'stocktake.start': (i, call) => startStocktake(ctx, who(call), i),
    'stocktake.list': () => listStocktakes(ctx),
    'stocktake.sheet': (i) => ({ lines: stocktakeSheet(ctx, i.stocktakeId) }),
    'stocktake.count': (i, call) => countStocktake(ctx, who(call), i),
    'stocktake.variance': (i) => stocktakeVariance(ctx, i.stocktakeId),
    'stocktake.post': (i, call) => postStocktake(ctx, who(call), i.stocktakeId),

    'stock.nearby': (i) => stockNearby(deps.sync ?? null, i.sku),
    'transfers.list': () => ({ transfers: listTransfers(ctx.db) }),
    'transfers.request': (i, call) => ({ transfer: requestTransfer(ctx, who(call), i) }),
    'transfers.ship': (i, call) => ({ transfer: shipTransfer(ctx, who(call), i) }),
    'transfers.receive': (i, call) => ({ transfer: receiveTransfer(ctx, who(call), i) }),

    'staff.list': () => ({ staff: listStaff(ctx.db) }),
    'staff.members': () => ({ staff: listStaffMembers(ctx) }),
    'staff.add': async (i, call) => ({ member: await addStaff(ctx, who(call), i) }),
    'staff.disable': (i, call) => ({ member: setStaffActive(ctx, who(call), i.staffId, false) }),
    'staff.enable': (i, call) => ({ member: setStaffActive(ctx, who(call), i.staffId, true) }),
    'staff.setRole': (i, call) => ({ member: setStaffRole(ctx, who(call), i.staffId, i.role) }),
    'staff.resetPin': async (i, call) => ({ member: await resetStaffPin(ctx, who(call), i.staffId, i.pin) }),
    'audit.list': (i) => {
      const span = i.from || i.to ? reportSpan(ctx, i) : null;
      return {
        entries: listAudit(ctx.db, i.limit ?? 100, {
          staffId: i.staffId,
          action: i.action,
          fromIso: span ? new Date(span.start).toISOString() : undefined,
          toIso: span ? new Date(span.end).toISOString() : undefined,
        }),
      };
    },
    'config.get': () => ({ config: readTillConfig(ctx.db, ctx.storeId, ctx.terminalId) }),
    'config.set': (i, call) => {
      const now = ctx.clock();
      const { config, changed } = ctx.db.transaction(() => {
        const r = patchTillConfig(ctx.db, ctx.storeId, ctx.terminalId, i.patch, now);
        writeAudit(ctx.db, ctx.terminalId, now, {
          action: 'config.change',
          staffId: who(call).id,
          detail: { changed: r.changed, patch: i.patch },
        });
        return r;
      })();
      ctx.logger.info({ changed }, 'config changed');
      return { config };
    },
    'settings.get': () => ({ settings: storeSettingsOf(readTillConfig(ctx.db, ctx.storeId, ctx.terminalId)) }),
    'settings.set': (i, call) => {
      const now = ctx.clock();
      const r = ctx.db.transaction(() => {
        const out = setStoreSettings(ctx.db, ctx.storeId, ctx.terminalId, i.patch, now);
        writeAudit(ctx.db, ctx.terminalId, now, {
          action: 'settings.change',
          staffId: who(call).id,
          detail: { changed: out.changed, patch: i.patch },
        });
        return out;
      })();
      ctx.logger.info({ changed: r.changed }, 'store settings changed');
      return r;
    },
    'devices.list': async () => ({ devices: await devices().list() }),
    'devices.configure': async (i, call) => {
      const d = devices();
      await d.configure(i);
      audited(call, 'device.configure', { deviceId: i.deviceId, kind: i.kind, uri: i.uri });
      return { devices: await d.list() };
    },
    'devices.remove': async (i, call) => {
      const d = devices();
      await d.remove(i.deviceId);
      audited(call, 'device.remove', { deviceId: i.deviceId });
      return { devices: await d.list() };
    },
    'devices.testPrint': async (i, call) => {
      const r = await devices().testPrint(i.deviceId);
      audited(call, 'device.testPrint', { deviceId: i.deviceId ?? null, jobId: r.jobId });
      return r;
    },
    'devices.openDrawer': async (i, call) => {
      const d = devices();
      const config = readTillConfig(ctx.db, ctx.storeId, ctx.terminalId);
      const reasonCode = presetReason(config, 'noSale', i.reasonCode);
      const approver = await requireManagerApproval(ctx, who(call), i, 'open-drawer');
      await d.openDrawer();
      const detail = { reason: i.reason, ...(reasonCode ? { reasonCode } : {}) };
      audited(call, 'drawer.open', detail, approver.id === who(call).id ? undefined : approver.id);
      return {};
    },
    'devices.readWeight': async () => ({ weight: await devices().readWeight() }),
    'display.link': () => ({ path: devices().customerDisplayPath() }),
    'display.rotateKey': (_i, call) => {
      const path = devices().rotateDisplayKey();
      audited(call, 'display.rotateKey', {});
      return { path };
    },
    'footfall.conversion': async (i) => ({ report: await storeConversion(ctx, deps.sync, i.date) }),

    'replenishment.suggest': async (i) => ({ suggestion: await suggestReplenishment(ctx, deps.sync, i.day) }),
    'replenishment.submit': (i, call) => ({ order: submitPurchaseOrder(ctx, who(call), i.day, i.lines) }),
    'replenishment.orders': (i) => ({ orders: listPurchaseOrders(ctx, i.limit) }),
    'replenishment.setWeather': (i) => {
      setWeatherForecast(ctx, i.day, i.tempC, i.rainMm);
      return {};
    },
    'replenishment.items': () => ({ items: listReplenishmentItems(ctx) }),
    'replenishment.setItem': (i, call) => ({ item: setReplenishmentItem(ctx, who(call), i) }),
    'reports.sales': async (i) => ({ report: await salesReport(ctx, deps.sync, i, deps.reports) }),
    'reports.waste': async (i) => ({ report: await wasteReport(ctx, deps.sync, i, deps.reports) }),
    'reports.zHistory': async (i) => ({ report: await zHistory(ctx, deps.sync, i) }),
    'reports.export': async (i, call) => {
      const file = await exportReport(ctx, deps.sync, i, deps.reports);
      // An export takes the store's figures off the till: audited like a reprint.
      audited(call, 'report.export', { report: i.report, format: i.format, from: i.from ?? null, to: i.to ?? null });
      return { file };
    },
    'members.identifyFace': (i) => deps.face.identify(i.image),
    'members.confirmFace': (i, call) => {
      deps.face.confirm(i.memberId, i.score, who(call));
      return {};
    },
    'members.enrollFace': (i, call) => deps.face.enroll(i.memberId, i.image, i.consent, who(call)),
    'members.removeFace': (i, call) => ({ removed: deps.face.remove(i.memberId, who(call), 'withdrawn') }),
    'pricing.rules': () => ({ rules: listRules(ctx) }),
    'pricing.markdown': (i, call) => {
      const rule = createMarkdown(ctx, who(call), i);
      repriceOpenCart(ctx);
      return { rule };
    },
    'pricing.endMarkdown': (i, call) => {
      endMarkdown(ctx, who(call), i.id);
      repriceOpenCart(ctx);
      return { ended: i.id };
    },
    'prices.set': (i, call) => {
      const rule = setStorePrice(ctx, who(call), i);
      repriceOpenCart(ctx);
      return { rule };
    },
    'labels.print': async (i, call) => {
      const printer = deps.labelPrinter();
      if (!printer) throw new PosError('DEVICE_UNAVAILABLE', { reason: 'no-label-printer' });
      const since = i.changedSince ? skusWithPriceChangedSince(ctx.db, new Date(i.changedSince)) : [];
      const skus = [...new Set([...(i.skus ?? []), ...since])].slice(0, 500);
      const markdown = i.markdownId ? markdownLabelsFor(ctx, i.markdownId) : [];
      const labels = [...(skus.length ? shelfLabelsFor(ctx, skus) : []), ...markdown];
      if (!labels.length) return { printed: [], bytes: 0 };
      const { bytes } = await printer.print(labels, i.copies);
      const printed = labels.map((l) => l.sku);
      audited(call, 'labels.print', {
        skus: printed,
        copies: i.copies,
        ...(i.markdownId ? { markdownId: i.markdownId } : {}),
      });
      return { printed, bytes };
    },
    'labels.pluExport': (i, call) => {
      const out = pluFileFor(ctx, i.brand);
      audited(call, 'labels.pluExport', { brand: i.brand, products: out.products });
      return out;
    },

    'system.status': async () => ({
      terminalId: ctx.terminalId,
      storeId: ctx.storeId,
      version: deps.version,
      ...(await deps.status()),
      saleRecords: saleRecords.status(),
    }),
    'sync.retry': async () => {
      if (!deps.sync) throw new PosError('BAD_INPUT', { reason: 'sync-off' });
      // The round's failure shows in the status it leaves behind (state 'error' with its reason).
      await deps.sync.syncNow().catch(() => undefined);
      const s = await deps.status();
      return { sync: s.sync, online: s.online };
    },
    'system.acknowledgeSaleLoss': (i, call) => saleRecords.acknowledge(who(call), i.note),
    'cart.applyCoupon': async (i, call) => ({ cart: await applyCouponToCart(orderDeps, own(call), i.code) }),
    'cart.removeCoupon': async (_i, call) => ({ cart: await removeCouponFromCart(orderDeps, own(call)) }),
    'coupons.conflicts': () => ({ conflicts: couponConflicts(ctx) }),
    'members.topUp': (i, call) => topUp(ctx, who(call), i),
    'members.storedValue': (i) => ({ balance: balanceView(ctx, i.memberId) }),
    'storedValue.report': () => ({ report: storedValueReport(ctx) }),
  };
}
