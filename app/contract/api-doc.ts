// Generates docs/api.md from the contract so the documented methods, roles and input schemas
// can never drift from what the router enforces. `tsx app/contract/api-doc.ts` rewrites the
// file; a test fails when it is out of date.
import { z } from 'zod';
import { methods, methodNames, type MethodName } from './methods';
import { ERROR_TEXT } from './error-text';
import { ERROR_CODES, httpStatusFor } from './errors';

/** What each method does and returns (outputs are TypeScript types in types.ts). */
export const METHOD_DOCS: Record<MethodName, string> = {
  'pricing.rules':
    'Price rules this till applies that are open now or later (chain promotions, member prices, store markdowns): `{rules: PriceRuleView[]}`, open ones first.',
  'pricing.markdown':
    'Evening markdown (晚间打折) from `from` (store-local HH:MM) to the end of today for `categories` and/or `skus`: `percentOff` (1–90) or a fixed `price` in fen (per kg for weighed items). Returns `{rule}`. Audited (`pricing.markdown`); replicates to every till of the store through the hub; the open cart is re-priced with a note. A time past midnight → `BAD_INPUT` (`markdown-time`).',
  'pricing.endMarkdown': 'End a markdown now on every till of the store: `{ended}`. Audited. Unknown id → `NOT_FOUND`.',
  'prices.set':
    'Store price change (门店调价), manager: `skus` and/or `categories`, `price` (fen per item, per kg for weighed; at most the chain price) or `percentOff` (1–90), `from` (ISO instant; absent = now). A store rule `sp-…` that prices the open cart at once and replicates to every till of the store; a newer change for the same products ends the older one. Returns `{rule}`. Audited. Refused: `BAD_INPUT` (`price-above-base`, `price-from-past`, `price-empty-category`), `PRODUCT_NOT_FOUND`.',
  'labels.print':
    'Print shelf labels (价签) on the label printer (POS_LABEL_PRINTER), manager: `skus` and/or `changedSince` (products whose store price changed since then), `copies` (1–20). Name, shelf price, unit, member price, barcode. Returns `{printed, bytes}`. Audited. No printer: `DEVICE_UNAVAILABLE` (`no-label-printer`); printer fault: `DEVICE_ERROR` (`label-printer`).',
  'labels.pluExport':
    'The PLU file for the label scales (manager), `brand` `dahua` (大华 TMA/Link) or `aclas` (顶尖 LinkPro): every active product with a scale key (`2x` + 5-digit PLU) with its shelf price now (per kg for weighed goods), shelf life and label flag, as a GB18030 CSV the scale software imports (docs/barcodes.md). Returns `{file: {fileName, contentType, base64}, products}`. Audited (`labels.pluExport`).',
  'auth.login':
    "Log in with a staff PIN, optionally naming the staff member (`staffId`, from a pick-your-name login screen). Returns `{token, staff}`; send the token as `Authorization: Bearer <token>`. Five wrong PINs lock PIN entry for 60 s (`LOCKED_OUT`, `details.retryAfterSeconds`), doubling with each further lock up to 15 min: PIN-only logins share the terminal's counter, a named staff member has their own (which a manager override naming that manager, `managerId`, also counts against).",
  'auth.logout': 'End the session.',
  'auth.setPin':
    "Set your own PIN: right after logging in with a PIN a manager reset (no `currentPin` needed), otherwise with `currentPin` (`WRONG_PIN`). The new PIN must differ from the temporary one and from every other active staff member's (`PIN_IN_USE`). Audited.",
  'auth.whoami': 'The staff member of this session: `{staff}`.',
  'auth.staffNames':
    'Active staff for the pick-your-name login screen and the manager prompt: `{staff}` (id, name, role; no PINs). Public, like the names on a staff rota.',
  'catalog.search':
    'Search products by Chinese name, full pinyin, pinyin initials (`ymn`), English name, SKU or barcode prefix. Returns `{products: ProductView[]}` best first.',
  'catalog.get': 'One product by SKU: `{product}`.',
  'cart.get':
    "The open cart of this terminal: `{cart}`, priced by the pricing engine: each line has `originalPrice`, `discounts[]` (promotion rule id and name, or the cashier's line discount with `ruleId: null`, and the fen) and `saved`; the cart has `saved`, `pricingNotes` (promotions that opened or closed since the cashier's last change) and `nearThresholds` (满减 not reached yet). See docs/pricing.md.",
  'cart.scan':
    "Parse a scanned code (EAN/UPC, GS1-128/DataMatrix element string, GS1 Digital Link, in-store weight/price code) and add the product. Returns `{cart, lineId, parsed}`. Unparseable → `BARCODE_INVALID`; unknown → `PRODUCT_NOT_FOUND`; weighed item without weight → `WEIGHT_REQUIRED`; a price in the barcode of a product not sold by weight (GS1 392x/393x, Digital Link, in-store price label) → `BARCODE_INVALID` with `details.reason: 'price-not-allowed'` (audited). Nothing is added on error. A repeat scan adds to the same line unless that line has a discount. A member code (`PM1.…`, the member's dynamic QR) attaches the member instead: `{cart, lineId: '', parsed: {kind: 'member-code'}, member}`; refused codes → `MEMBER_CODE_INVALID` (reason malformed / signature / expired / replayed / replayed-elsewhere (used at another till of the store, `details.terminalId`) / no-key).",
  'cart.setMember':
    'Attach a member (from `members.identify` / `members.signUp`) to the open cart, or `null` to detach: `{cart}` with `cart.member = {id, level, tags}`.',
  'cart.add':
    'Add a product by SKU (from search), with `quantity` or, for weighed items, `weightGrams`. Returns `{cart, lineId}`.',
  'cart.setQuantity':
    "Change a line's quantity (or weight in grams): `{cart}`. The line's discount is checked again: over the cashier's limit and beyond what a manager approved, it is taken off (audited `discount.removed`, event `cart.discountRemoved`); in a manager's session the manager approves the new figure.",
  'cart.remove': 'Remove a line: `{cart}`.',
  'cart.lineDiscount':
    'Discount a line by percent or by an amount in fen. Above the cashier limit a `managerPin` is needed (`MANAGER_REQUIRED`). Audited. The approval covers that line at most at the fen and share of the line approved; a change of the line while the PIN is checked → `CONFLICT`.',
  'cart.park': 'Park the open cart (挂单) and start an empty one: `{parkedId, cart}`.',
  'cart.parked': 'Parked carts of this terminal: `{carts}`.',
  'cart.recall': 'Recall a parked cart (取单) into the till: `{cart}`.',
  'cart.void': 'Void the open cart before payment, with a reason. Audited.',
  'cart.pay':
    'Complete the sale with one or more tenders (`cash`, `card`, `payment_code`). Amounts in fen. Returns `{saleId, saleNumber, total, rounding, change, tenders, receipt}`. The sale is durable when this answers. A payment code that is not settled at once is queried under the same merchant order number (never charged twice); errors `PAYMENT_PENDING`, `PAYMENT_UNKNOWN`, `PAYMENT_OFFLINE`, `TENDER_EXCESSIVE`.',
  'payment.cancel':
    "The cashier's cancel while a payment code is pending or its outcome unknown: the order is reversed (now, or queued when the gateway does not answer). Audited. Returns `{inFlight, reversed, reversing}`.",
  'payment.pending':
    'Payment-code charges on the open cart that are not settled (`pending`: the customer is confirming; `unknown`: being queried). While any exists, `cart.pay` answers `PAYMENT_PENDING`/`PAYMENT_UNKNOWN` instead of charging again. See docs/payments.md.',
  'payment.queue':
    'Manager queue: reversals the gateway has not confirmed yet (`reversing`, retried every 30 s and at start) and outcomes still unknown.',
  'payment.reconcile':
    "Manager: matches a gateway's daily statement (`wechat`: the trade bill of `pay/downloadbill`; `alipay`: the account statement 业务明细) against the store's payment-code sales and returns by merchant order number. Returns `{matched, lines, csv}`; each line is `missing_ours`, `missing_theirs` or `amount_mismatch`; `csv` is the exported report.",
  'members.identify':
    "Find a member by `{code}` (a member code, verified offline with the chain key, each code once per till and, through the store hub while it answers, once per store: used at another till → `MEMBER_CODE_INVALID` reason `replayed-elsewhere`) or `{phone}` (exact match; this store's members offline, others through the cloud). Returns `{member: MemberPanel}` (masked name and phone, level, points, tags, last visits, usual items, repurchase hints). Unknown → `MEMBER_NOT_FOUND`; another store's member while offline → `MEMBER_LOOKUP_OFFLINE` (continue as guest). Audited with the phone masked.",
  'members.panel': 'The member panel of an identified member: `{member}`.',
  'members.signUp':
    'Sign up a member of this store with `phone`, optional `name` and the marketing consent (`channel`, `textVersion`, recorded with the time). Returns `{member}`. A phone already known → `CONFLICT` reason `phone-taken`. Audited with the phone masked.',
  'sales.get':
    'A completed sale by id, sale number or receipt code: `{sale}`, with `sale.member` (masked) and `pointsEarned` / `pointsReturned` when it was credited to a member, and `sale.wecomState` (the opaque state of its WeCom contact QR; null for a guest sale).',
  'sales.list': 'Recent sales, newest first: `{sales}`.',
  'sales.receipt': 'The receipt of a sale (text and SVG): `{receipt}`.',
  'sales.reprint': 'Reprint a receipt, marked REPRINT. Audited.',
  'returns.lookup':
    'Find the sale for a return by the code printed on its receipt (or id / number): `{sale}` with returnable quantities.',
  'returns.create':
    'Return some or all lines of a sale; refunds to the original tender(s). A cashier needs a `managerPin`. Returns `{return}`.',
  'shift.current': 'The open shift of this terminal, or null.',
  'shift.open': 'Open a shift with a cash float (fen).',
  'shift.cashIn': 'Put cash into the drawer with a reason.',
  'shift.cashOut': 'Take cash out of the drawer with a reason.',
  'shift.xReport':
    "X report (managers only, so the cashier's Z count stays blind): shift totals so far, by tender, expected cash. Between shifts: this till's last Z report (`kind: 'Z'`); `SHIFT_NOT_OPEN` only if it never closed a shift.",
  'shift.handover':
    "Cashier change (交接班): take over another cashier's open shift without a Z count. Confirmed by the outgoing cashier's `outgoingPin` (a wrong one counts against their own lockout) or a manager (`managerPin` + `managerId`; `MANAGER_REQUIRED` reason `shift-handover`). Their unfinished sale is parked under their name. Until then a cashier cannot pay, return or move cash in another cashier's shift (`SHIFT_NOT_OPEN` reason `other-cashier`) nor change their sale (`CONFLICT` reason `cart-other-cashier`). Audited `shift.handover`. Returns `{shift}` with the new cashier.",
  'shift.close': 'Z close with a blind cash count: returns expected cash and over/short.',
  'stock.get':
    'Stock of a SKU: `{sku, onHand, reserved, available, unit, asOf, negative, unitCost}` (grams for weighed items; `negative` flags on-hand below zero for the back office; `unitCost` is the cost of the product on this till from its latest receiving, fen per item or per kg, null if never received here).',
  'orders.list':
    "Online orders of this store from the till's replica (docs/orders.md): `status` filters (`open` = not ended); `newCount` (new, for the status bar and its sound) and `conflictCount` (double handovers for the manager).",
  'orders.get': 'One online order with its lines, picks, settled amount, refund, handover and conflicts.',
  'orders.accept': 'Accepts a new order into the pick queue (audited).',
  'orders.pick':
    'Records what went into the bag for one line: `grams` (re-weighed) or `quantity` (0 = out of stock), with the scanned `code` that confirms the item (a different product is `ORDER_WRONG_ITEM`); the price difference is refunded to the original payment and recorded (audited).',
  'orders.scan':
    'One scanned item of an order: a counted line goes up by one, a scale label picks a weighed line with its weight; `weigh: true` means put it on the scale and send `grams` with the same `code` to `orders.pick`. A product not on the order (or a line already complete) is `ORDER_WRONG_ITEM` and nothing is recorded (audited).',
  'orders.substitute':
    'Replaces an out-of-stock line with the scanned product (or, a loose item without a barcode, its SKU typed): `quantity`, or `grams` when sold by weight (a scale label carries its own weight); priced at its own price but never above what the customer paid for the line; the difference is refunded and the cloud tells the customer (audited). A product sold by weight without grams records nothing and answers `weigh: {sku, name, nameEn, pricePerKg}`: put it on the scale and send the grams with the same `code`.',
  'orders.pickList': 'The pick list grouped by category; printed on the receipt printer unless `print: false`.',
  'orders.ready':
    'Marks the order packed with its bag count and prints the bag label (order no., masked name, slot, bags, pickup QR); the cloud tells the customer.',
  'orders.handover':
    'Pickup or rider handover by the scanned pickup QR or the typed code: exactly once (the store hub is the authority online; offline this till hands over and a second handover elsewhere is flagged). The reservation becomes the sale movement (audited).',
  'orders.leaderPickup':
    "A group leader's ready orders by leader code; with `confirm: true` hands them all over and prints the manifest (audited).",
  'orders.refunds':
    'Manager: the refunds owed to online-order customers that this till journals (`status`: `owed`, `declined`, `manual` — no wallet from the mall —, `paid`, or `open` = not paid), those to settle first, and (without `status`, or `open`) the unpaid ones another till of the store holds as `other-till` with its `terminalId`: `{refunds: [{orderId, status, terminalId, amount, reason, wallet, attempts, lastError, paidBy, note, createdAt, updatedAt}]}`.',
  'orders.refundRetry':
    'Manager: asks the gateway again for an owed or declined refund with the same refund number (paid once however often retried); answers `{refund}` in its state after the attempt. Paid → `ORDER_STATE` reason `refund-paid`; no wallet → reason `refund-no-wallet`; unknown → `ORDER_NOT_FOUND` reason `refund`. Audited `order.refund-retried`.',
  'orders.refundPaid':
    'Manager: records a declined or no-wallet refund as paid back by hand with a `note` (how; no phone numbers): the order gets its `refunded` event (the cloud shows `refundPaid`, the mall is told). Refused while `owed` (`ORDER_STATE` reason `refund-owed`: the gateway may have paid it; retry first). Audited `order.refund-paid-manually`.',
  'staff.list': 'Staff of this store (no PINs).',
  'audit.list':
    'Recent audit entries (logins, overrides, voids, returns, reprints, cash movements, Z closes, staff and settings changes), newest first; filter by `staffId` (who acted or approved), `action` (`cart.void`, or a family such as `staff`) and store-local `from`/`to` dates.',
  'config.get':
    "Till configuration: store, terminal, language, cash rounding, receipt width, WeCom contact QR, the store's time zone (IANA, default Asia/Shanghai), wedge scanner settings.",
  'config.set': 'Change configuration fields (manager or technician). Audited.',
  'settings.get':
    "The store settings of the back office's Settings tab: cash rounding, cashier discount limit, receipt width, WeCom QR, scanner timing, time zone, waste approval line, void/no-sale reason presets.",
  'settings.set':
    'Change store settings (manager or technician): only the fields of `settings.get`, validated; applied on this till and replicated to every till of the store (through the hub with the cloud down). Audited (`settings.change`). Returns `{settings, changed}`.',
  'devices.list':
    'Every device of this terminal (configured and detected) with its URI and status in plain words: `{devices}`.',
  'devices.configure':
    'Add or change a device of this terminal (technician): `deviceId`, `kind`, `uri`, `options` (e.g. `{"terminator":"\\r"}` for a serial scanner, `{"pin":2,"pulseMs":100}` for a drawer). Persisted in the terminal database; audited. Returns `{devices}`.',
  'devices.remove': 'Remove a configured device (technician). Audited. Returns `{devices}`.',
  'devices.testPrint':
    'Print a test receipt on the given (or the receipt) printer: `{jobId}`. `DEVICE_UNAVAILABLE` when no printer is set up.',
  'devices.openDrawer':
    'Open the cash drawer without a sale (开钱箱), with a reason. A cashier (or a technician testing the drawer) needs a `managerPin`. Audited. `DEVICE_ERROR` when the printer reports cover open / paper out, `DEVICE_UNAVAILABLE` when it is absent or not connected.',
  'devices.readWeight':
    'A settled weight from the scale: `{weight: {deviceId, grams, stable, at}}`. `WEIGHT_UNSTABLE` while it moves, `WEIGHT_INVALID` for zero/negative/overload, `DEVICE_UNAVAILABLE` when no scale answers.',
  'display.link':
    'The path of the customer display page (current line, total, WeCom QR after payment) with its read-only key: `{path}`. Open it on the second screen.',
  'sync.retry':
    'Manager or technician: one sync round with the hub/cloud now, instead of waiting for the back-off. `{sync, online}` as in `system.status` after the round (a failed round shows as `state: "error"` with its reason). `BAD_INPUT` (reason `sync-off`) when sync is not set up.',
  'display.rotateKey':
    'Technician: replaces the customer display key kept in the data dir (it survives restarts); the old link stops working and open display streams end. `{path}` is the new link. Audited.',
  'footfall.conversion':
    "Footfall and conversion for a store day (default today, store local time), hour by hour: entries and exits from the door cameras' replicated interval facts, transactions from the store's sales, conversion = transactions ÷ entries. `{report}`.",
  'replenishment.suggest':
    'Suggested order for a delivery day (default tomorrow, store time zone; at most 14 days ahead): `{suggestion}` with one line per product that has ordering parameters: forecast over the covered days, safety stock, on hand, in transit (sent purchase orders, less what was received against them), reserved (the stock pool reservations, at least the group-buy pre-orders), the suggested quantity rounded to the case pack, the method chosen for its family on the last 28 days, and the reason facts (weekday, holiday/调休, weather forecast, group-buy pre-orders for pickup on the covered days, the deepest promotion open on them from the price rules with the rule name, largest model effects). See docs/replenishment.md.',
  'replenishment.submit':
    'Send the (edited) order as a purchase order: `{order}`. One line per SKU; unknown or non-replenished SKUs → `PRODUCT_NOT_FOUND`. Audited (`replenishment.order`); replicates to every till of the store (`set purchase_order` ops) and to the cloud (a `purchase_order` fact).',
  'replenishment.orders':
    'The latest purchase orders of the store (sent on any of its tills, or by head office through the cloud: `origin` `store` | `hq`, with `supplier`): `{orders}`, each line with `received` so far by every till of the store (and `unit`, `unitCost` when head office gave them); status `sent`, `partly_received` or `received`.',
  'replenishment.setWeather':
    "Record the weather forecast the store received for a day (°C, mm of rain), for the forecast's weather features.",
  'replenishment.items':
    "The ordering parameters of every replenished product: `{items}` with supplier, family, case pack (items, or grams when weighed), lead time in days, shelf life, unit cost, the manager's `serviceLevel` (or null) and the `criticalRatio` the suggestion uses now.",
  'replenishment.setItem':
    "Change a product's `casePack`, `leadDays` (0–14) or `serviceLevel` (0.5–0.98, replaces the newsvendor ratio; `null` goes back to it): `{item}`. Not replenished → `PRODUCT_NOT_FOUND`. Audited (`replenishment.item`, before and after).",
  'reports.sales':
    "Store-wide sales over a store-local date range (`from`, `to`, both included, default today) from every till's replicated sales, returns and voids, grouped by `hour` (with footfall entries and conversion), `category`, `product` (best seller first; the tail is the slow sellers), `tender` or `staff` (with voids). Totals: transactions, sales, discount, returns, net, average basket, cost and gross margin over the lines whose cost is known (`costCoverage`), voids, entries, conversion; `days` per date with waste and loss rate. `{report: SalesReport}`.",
  'reports.waste':
    'Waste write-offs (stock movements of kind `adjust` carrying a waste reason) by reason and by category, valued at cost, with the loss rate (waste ÷ sales at cost) overall, per category and per day. `{report: WasteReport}`.',
  'reports.zHistory':
    'Closed shifts (Z reports) of every till of the store in the range, newest first, and cash over/short summed per cashier. `{report: ZHistory}`.',
  'reports.export':
    'One report (`sales` with its `groupBy`, `waste`, `zHistory`) over the range as a file: `format` `csv` (UTF-8 with BOM) or `xlsx`. Returns `{file: {fileName, contentType, base64}}`. Audited (`report.export`).',
  'staff.members':
    'Every staff member, disabled ones too: `{staff: StaffMember[]}` (id, names, role, active, mustChangePin, createdAt, disabledAt).',
  'staff.add':
    'Add a staff member with a role and a PIN (4–8 digits, unique among active staff: `PIN_IN_USE`). A manager may add cashiers and managers (`FORBIDDEN` reason `grant-role` otherwise). Audited (`staff.add`, never the PIN).',
  'staff.disable':
    'Disable a staff member: they can no longer log in and their sessions end. Not yourself (`FORBIDDEN` reason `self`: so a store always keeps a manager). Audited.',
  'staff.enable': 'Re-enable a disabled staff member. Audited.',
  'staff.setRole': "Change a staff member's role (not your own; within the roles you may give). Audited.",
  'staff.resetPin':
    'Set a temporary PIN for a staff member and end their sessions; at their next login they must choose a new PIN (`auth.setPin`) before anything else works (`PIN_CHANGE_REQUIRED`). Audited.',
  'members.identifyFace':
    'Face lookup (刷脸识别) from one camera frame `{image}` (base64 JPEG/PNG or a data: URL): `{candidates: [{memberId, maskedName, level, score}], reason?}` — at most 3 members who consented to face lookup, above the calibrated threshold, best first; the cashier confirms one (never automatic). `reason`: `no-face`, `several-faces` (one customer at a time), `spoof`, `not-live`. `FACE_UNAVAILABLE` when the models are missing. See docs/members-face.md.',
  'members.confirmFace':
    'The cashier confirmed a face candidate `{memberId, score}`. Audited (`member.face.confirm`, member id and score only).',
  'members.enrollFace':
    'Face enrolment `{memberId, image, consent: {face, chainWide, channel, textVersion}}` after the customer confirmed consent (on the customer display when there is one): records `consent.face` (and `consent.faceChainWide`) with time, channel and text version as replicated member fields and stores the template encrypted on this till. `FACE_CONSENT_REQUIRED` when `consent.face` is not true, `NOT_FOUND` (reason `member`) for an unknown or erased member, `FACE_UNUSABLE` when the frame has no face, several faces, or fails anti-spoof/liveness. Audited.',
  'members.removeFace':
    "Deletes the member's face template on this till `{memberId}` → `{removed}` (consent withdrawn). Audited.",
  'system.status':
    'Terminal id, version, online state, sync state, device status and `saleRecords` (whether acknowledged sales went missing from the database; `needs_technician` pauses selling).',
  'stock.receive':
    "Receive goods (收货): lines by SKU with `quantity` (items) or `weightGrams` (weighed goods, from the scale) and `unitCost` (fen per item or per kg; becomes the product's cost). With `po` (id and ordered lines) each line gets `ordered` and `variance`, and ordered lines not received are `outstanding` (a partial receipt). When `po.id` is a purchase order of the store (sent on any till, or by head office), the received units are added to this till's own count on it in the same transaction and replicate to every till: `partly_received`, or `received` when every line arrived in full over all the tills, and it stops counting as in transit. Ledger kind `receive`, body `{cost, po?, staff}`. Audited `stock.receive`. Answers `note`, the receiving note (收货单: lines, ordered and variance, outstanding lines, total at cost, who received), which the till prints on the receipt printer unless `print: false` (`note.printed` says whether it was queued).",
  'stock.waste':
    "Write off stock (报损) with a reason (`spoiled`, `expired`, `damaged`, `tasting`, `processing`, `theft`), by `quantity` or `weightGrams`, valued at cost. Above the store's `wasteApprovalFen` a cashier needs `managerPin` (`MANAGER_REQUIRED`, reason `waste-over-limit`). More than on hand → `CONFLICT` reason `waste-exceeds-stock` until `confirmShortage: true`. Ledger kind `adjust` (negative), body `{waste, cost, staff}`. Audited `stock.waste`.",
  'stocktake.start':
    'Start a blind count session (盘点) over a `category` or a list of `skus`: `{stocktakeId, lines}` (the count sheet, without expected levels). Audited.',
  'stocktake.list':
    'The stocktake sessions for the counting page: the 100 newest open ones first, then the last 20 posted, each `{id, scopeKind, scope, status, startedAt, postedAt, lines, counted}` (never expected levels), and `categories` (each active category with its number of products) a manager may start a session over.',
  'stocktake.sheet': 'The count sheet of a session: what to count and what was counted so far (blind).',
  'stocktake.count':
    'Record a count for one SKU (`quantity`, or `weightGrams` for weighed goods); `add: true` adds to an earlier count of the same SKU (found in two places). The count keeps its time.',
  'stocktake.variance':
    'The variance report before posting: per counted SKU the ledger level now, the count carried forward to now (counted + movements since it was counted), the variance and its value at cost.',
  'stocktake.post':
    'Post the session: one `count` movement per counted SKU (only what was counted is reset; sales during the count stay off). Returns the variance report. Audited `stocktake.post`.',
  'stock.nearby':
    "The sharing pool (库存共享池): other stores' stock of `{sku}` in the chain, asked of the cloud: `{sku, stores: [{storeId, onHand, available, asOf, staleSeconds}], stale}`, most available first. Counts only. `stale` when some store has not synced for 5 minutes. No cloud (sync off, cloud down) → `STOCK_NEARBY_OFFLINE` (reason `sync-off` when this till has no cloud address, `rate-limited` after 30 asks a minute).",
  'transfers.list': 'Transfers (调拨) this store takes part in, newest request first: `{transfers: TransferView[]}`.',
  'transfers.request':
    "The receiving store (this till's store) asks another store for stock: `{fromStore, sku, quantity, id?}` → `{transfer}` with status `requested`. `id` makes a retry safe (same id and content → the first request; other content → `CONFLICT` reason `transfer-id-taken`). Own store → `CONFLICT` reason `transfer-same-store`. Audited `transfers.request`.",
  'transfers.ship':
    "The sending store ships `{id, quantity?}` (default: the requested quantity): the stock leaves its ledger (kind `transfer`, negative, ref `<id>:out`, body `{transfer, to, staff}`) and is in transit. Idempotent: a shipped transfer is returned as it is. Another store's transfer → `CONFLICT` reason `transfer-not-sender`; unknown id → `NOT_FOUND` reason `transfer`. Audited `transfers.ship`.",
  'transfers.receive':
    "The receiving store records what arrived `{id, quantity}`: ledger kind `transfer`, positive, ref `<id>:in`, body `{transfer, from, shipped, variance, staff}`; `variance` = received − shipped. Idempotent (a received transfer is returned as it is). Not shipped yet → `CONFLICT` reason `transfer-not-shipped`; another store's transfer → `transfer-not-receiver`. Audited `transfers.receive`.",
  'system.acknowledgeSaleLoss':
    'While `saleRecords.state` is `needs_technician`, `cart.scan`, `cart.add` and `cart.pay` answer `TILL_NEEDS_TECHNICIAN` (HTTP 503). Technician only, after lost sale records were investigated: raises the sale-number floor above every number that may be on paper (journal high-water mark + 100), empties the WAL, marks the sale journal and resumes selling. Returns `{saleRecords, nextSaleNumber}`. Audited (`sale_records.loss_acknowledged`). When nothing is lost → `CONFLICT`.',
  'cart.applyCoupon':
    "Put a coupon on the open cart: `code` is what the cashier types or the member's QR (`coupon:<code>`). Checked against the coupon the cloud issued for this store: validity (`COUPON_NOT_VALID`, reason `expired`/`not-yet`), its member on the sale (`COUPON_WRONG_MEMBER`, `no-member`/`other-member`), something in scope (`COUPON_NOT_APPLICABLE`), the minimum spend of the lines in scope after promotions (`COUPON_MIN_SPEND`, `shortBy`). Then the store hub holds it for this cart; spent or held by another till → `COUPON_ALREADY_REDEEMED`. Hub unreachable: only a member's own coupon is accepted (`held: 'offline'`), a bearer coupon → `COUPON_OFFLINE`. Returns `{cart}` with `cart.coupon` and a discount line named after the coupon. Audited.",
  'cart.removeCoupon': "Take the coupon off the open cart and release the hub's hold: `{cart}`. Audited.",
  'coupons.conflicts':
    'Coupons redeemed twice by tills cut off from each other, found after sync: `{conflicts: CouponConflict[]}`, each with every sale (the first, which counts, and the later ones).',
  'members.topUp':
    "储值 top-up: `amount` (fen, within the store's `storedValue.minTopUp`–`maxTopUp`) paid with `tenders` (cash, card with the bank terminal's approval `reference` — else `TENDER_INVALID` reason `card-reference` — or payment code; cash may be over, the rest is change). The highest bonus tier reached (`storedValue.bonusRules`, 充200送50) is added as bonus, kept apart from the paid principal. Optional `pin` sets the member's stored-value PIN. Cash goes into the shift's drawer as a cash-in. Returns `{topUpId, amount, bonus, tenders, balance}`. Audited `member.topUp`. A payment code the customer has not confirmed at once is reversed → `PAYMENT_DECLINED` reason `cancelled`.",
  'members.storedValue':
    "A member's stored value (principal, bonus, balance), points and what they pay, whether a PIN is set, and today's offline spending against the cap.",
  'storedValue.report':
    "Back office: the store's outstanding stored-value liability (principal vs bonus, members with a balance), today's top-ups and spending, and `flagged`: members whose stored value or points went below zero after tills merged (offline double spending), with the sales.",
};

function describeSchema(schema: z.ZodType): string {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return JSON.stringify(json);
}

export function renderApiDoc(): string {
  const out: string[] = [];
  out.push('# Till API', '');
  out.push('<!-- Generated by `npx tsx app/contract/api-doc.ts` from app/contract; do not edit by hand. -->', '');
  out.push(
    "One contract, two transports: Electron IPC (`window.pos.call(method, input, token)`) and HTTP (web mode). Every method validates its input with a schema and checks the caller's role.",
    '',
  );
  out.push('## HTTP', '');
  out.push('- Base URL: `http://127.0.0.1:$POS_PORT` (default port 8080; `POS_HOST=0.0.0.0` to serve the store LAN).');
  out.push('- `GET /health` → `{"ok":true,"terminalId","storeId","version","sync"}`.');
  out.push(
    '- `POST /api/<method>` with a JSON body and `Content-Type: application/json` (else 415 `UNSUPPORTED_MEDIA_TYPE`; bodies over 1 MB get 413 `BODY_TOO_LARGE`). Success: HTTP 200 and `{"ok":true, ...output}`. Failure: a 4xx/5xx status and `{"ok":false,"error":{"code","message","details"?}}`: `message` is English for API users; a UI says `code` (and `details.reason`, with the other details filled in) in its own language from the table below.',
  );
  out.push(
    "- Only the till's own pages and names: a request whose `Host` is not loopback, the bind address, one of this machine's addresses (when bound to `0.0.0.0`) or a name in `POS_ALLOWED_HOSTS`, or whose `Origin` is not the till itself, gets 403 `ORIGIN_REFUSED`. The API sends no CORS headers. Malformed requests get a 4xx and never affect the till.",
  );
  out.push(
    '- Log in with `POST /api/auth.login {"pin":"1234"}` and send `Authorization: Bearer <token>` on every other call.',
  );
  out.push(
    '- The first-run wizard (web mode, `npm start`; docs/technician.md): `GET /api/setup/state` → `{"ok":true,"paired":null|"wizard"|"environment","storeId","terminalId","hubUrl","defaultHubUrl","version","sync","download":{"received","total"}|null}` (public, like `/health`); `POST /api/setup/pair {"hubUrl","code","terminalId"?,"replace"?}` enrolls through the hub with a one-time pairing code and reopens the till on the paired store (an unpaired till: no session needed; a paired one: a technician\'s `Authorization: Bearer`); `POST /api/setup/ticket {"results"?}` prints the setup ticket (technician). Their refusals carry the wizard\'s own codes: `BAD_INPUT`, `CODE_REFUSED`, `TERMINAL_ID_TAKEN`, `RATE_LIMITED` (429), `HUB_UNREACHABLE`, `HUB_REFUSED`, `TECHNICIAN_REQUIRED` (403), `PAIRED_BY_ENVIRONMENT` (409), `NO_PRINTER`, `RESTARTING` (503 while the till reopens).',
    "- Live events: `GET /api/events?token=<token>` is a Server-Sent Events stream of `cart.changed`, `cart.discountRemoved` (a quantity, weight or price change took a line's discount over the cashier's limit and beyond its approval, so it was taken off), `sale.completed`, `device.status` and `sync.status`. It ends when its session does (logout at once; expiry at the next event or within 30 s).",
  );
  out.push('- Money is integer fen (1 yuan = 100), weights are grams, times are ISO-8601 UTC.', '');
  out.push('Example:', '');
  out.push('```sh');
  out.push(
    'TOKEN=$(curl -s -XPOST localhost:8080/api/auth.login -H \'Content-Type: application/json\' -d \'{"pin":"1234"}\' | jq -r .token)',
  );
  out.push(
    'curl -s -XPOST localhost:8080/api/cart.scan -H \'Content-Type: application/json\' -H "Authorization: Bearer $TOKEN" -d \'{"code":"6901234567892"}\'',
  );
  out.push(
    'curl -s -XPOST localhost:8080/api/cart.pay -H \'Content-Type: application/json\' -H "Authorization: Bearer $TOKEN" -d \'{"tenders":[{"type":"cash","amount":10000}]}\'',
  );
  out.push('```', '');
  out.push('## Error codes', '');
  out.push(
    'A code never changes meaning once shipped. Where one code covers several things the user must do differently, `details.reason` says which; `{name}` is filled from `details`.',
    '',
  );
  out.push('| code | HTTP | reason | English | 中文 |', '| --- | --- | --- | --- | --- |');
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  for (const code of ERROR_CODES) {
    const t = ERROR_TEXT[code];
    out.push(`| \`${code}\` | ${httpStatusFor(code)} | | ${cell(t.en)} | ${cell(t.zh)} |`);
    for (const [reason, r] of Object.entries(t.reasons ?? {}))
      out.push(`| | | \`${reason}\` | ${cell(r.en)} | ${cell(r.zh)} |`);
  }
  out.push('');
  out.push('## Methods', '');
  out.push('| method | roles |', '| --- | --- |');
  for (const name of methodNames) {
    const roles = methods[name].roles;
    out.push(
      `| [\`${name}\`](#${name.replace('.', '').toLowerCase()}) | ${roles === 'public' ? 'anyone (no session)' : (roles as readonly string[]).join(', ')} |`,
    );
  }
  out.push('');
  for (const name of methodNames) {
    out.push(`### ${name}`, '');
    out.push(METHOD_DOCS[name], '');
    out.push(`Input schema: \`${describeSchema(methods[name].input)}\``, '');
  }
  return out.join('\n');
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  writeFileSync(join(import.meta.dirname, '../../docs/api.md'), renderApiDoc());
  console.log('wrote docs/api.md');
}
