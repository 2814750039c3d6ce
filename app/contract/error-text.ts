// The words for every error code, in English and zh-CN. Below the UI an error is a code plus
// details; the English text here becomes the `message` API users read, and the renderer and
// docs/api.md translate the code (and its `reason`) through this one table. `{name}` is filled
// from the error's details; a text whose placeholders the details do not fill falls back to the
// code's own text, which has none — so a message never shows a raw `{name}`.
import type { ErrorCode } from './errors';

export type ErrorLang = 'en' | 'zh-CN';

export interface ErrorText {
  en: string;
  zh: string;
  /** One text per `details.reason`, where one code covers several things the user must do differently. */
  reasons?: Record<string, { en: string; zh: string }>;
}

/** Why a manager PIN is needed (the `reason` of MANAGER_REQUIRED). */
export type ManagerAction =
  'cash-out' | 'return' | 'open-drawer' | 'void-sale' | 'discount-over-limit' | 'waste-over-limit' | 'shift-handover';

export const ERROR_TEXT: Record<ErrorCode, ErrorText> = {
  BAD_INPUT: {
    en: 'Some input is not valid. Check it and try again.',
    zh: '输入有误，请检查后重试。',
    reasons: {
      schema: { en: 'Invalid input: {fields}', zh: '输入有误：{fields}' },
      config: { en: 'Invalid settings: {fields}', zh: '设置无效：{fields}' },
      'drawer-short': {
        en: 'Not that much cash in the drawer (expected {expectedYuan}).',
        zh: '钱箱现金不足（应有 {expectedYuan}）。',
      },
      'drawer-short-hidden': { en: 'Not that much cash in the drawer.', zh: '钱箱现金不足。' },
      'sync-off': {
        en: 'Sync is not set up on this till (no hub or cloud address).',
        zh: '此收银机未设置同步（没有门店主机或云端地址）。',
      },
      'line-listed-twice': {
        en: 'Line {lineId} is listed twice; list each line once with its total quantity or weight.',
        zh: '同一商品行重复列出，请合并为一行。',
      },
      'return-by-weight': { en: 'Return a weighed item by weight.', zh: '称重商品请按重量退货。' },
      'return-by-quantity': { en: 'Return this item by quantity.', zh: '按件商品请输入数量。' },
      'discount-over-100': { en: 'A discount cannot exceed 100 %.', zh: '折扣不能超过 100%。' },
      'discount-over-line': {
        en: 'The discount ({value} fen) is more than the line ({gross} fen).',
        zh: '折扣金额（{value} 分）超过商品金额（{gross} 分）。',
      },
      'quantity-required': { en: 'Enter a quantity.', zh: '请输入数量。' },
      'price-labelled-quantity': {
        en: 'A price-labelled item cannot change quantity; scan each label.',
        zh: '标价条码商品数量不能修改，请再扫一次。',
      },
      'bad-date': { en: 'Invalid date "{date}", expected YYYY-MM-DD.', zh: '日期无效（{date}），应为 YYYY-MM-DD。' },
      'range-reversed': {
        en: 'The range ends ({to}) before it starts ({from}).',
        zh: '结束日期（{to}）早于开始日期（{from}）。',
      },
      'range-too-long': {
        en: 'A report covers at most {max} days ({days} asked); pick a shorter range.',
        zh: '报表最多覆盖 {max} 天（所选 {days} 天），请缩短范围。',
      },
      'device-uri': { en: 'Device URI is not valid: {why}', zh: '设备地址无效：{uri}（{why}）' },
      'device-scheme': {
        en: 'A {kind} cannot use a {scheme} URI (use {allowed}).',
        zh: '{kind} 不能使用 {scheme} 连接（可用：{allowed}）。',
      },
      'device-option': {
        en: 'A {kind} has no option "{key}" (known: {known}).',
        zh: '{kind} 没有选项“{key}”（可用：{known}）。',
      },
      'device-option-value': { en: 'Option {key} must be {expected}.', zh: '选项 {key} 的值无效，应为 {expected}。' },
      statement: { en: 'Not a {wallet} statement this till can read: {why}', zh: '对账单格式不对：{why}' },
      'price-above-base': {
        en: 'A store price can only be at or below the chain price ({base} fen for {sku}); ask head office to raise it.',
        zh: '门店调价不能高于总部价（{sku}：{base} 分）；涨价请联系总部。',
      },
      'not-a-store-setting': {
        en: 'Not a store setting: {fields}. Ask a technician to change it.',
        zh: '不是门店设置：{fields}。请联系技术人员修改。',
      },
      'price-from-past': {
        en: 'A price change starts now or later, not in the past.',
        zh: '调价只能从现在或以后生效。',
      },
      'price-empty-category': {
        en: 'Category {category} has no products on this till.',
        zh: '本机没有品类 {category} 的商品。',
      },
      'markdown-time': {
        en: 'A markdown runs from a time today until midnight; {from} is not a time left today.',
        zh: '晚间打折从今天某时开始到午夜结束；{from} 不在今天剩余的时间内。',
      },
      'reason-code': {
        en: 'The reason "{code}" is not in this store\'s list; pick another or choose Other.',
        zh: '原因“{code}”不在本店列表中，请重新选择或选“其他”。',
      },
    },
  },
  UNAUTHENTICATED: {
    en: 'Please log in.',
    zh: '请先登录。',
    reasons: {
      'session-expired': { en: 'Session expired, please log in again.', zh: '登录已失效，请重新登录。' },
      'display-key': {
        en: 'The display key is missing or wrong; open the customer display from the link the till gives.',
        zh: '顾客屏密钥缺失或错误，请从收银机打开顾客屏链接。',
      },
    },
  },
  FORBIDDEN: {
    en: 'Your role may not do this.',
    zh: '当前角色无权操作。',
    reasons: {
      role: { en: 'A {role} may not do this ({method}).', zh: '当前角色（{role}）无权操作（{method}）。' },
      'grant-role': {
        en: 'A {role} may not give the {granted} role.',
        zh: '当前角色（{role}）不能授予"{granted}"角色。',
      },
      self: {
        en: 'You cannot disable your own account or change your own role.',
        zh: '不能停用自己的账号或修改自己的角色。',
      },
    },
  },
  WRONG_PIN: {
    en: 'Wrong PIN.',
    zh: 'PIN 不正确。',
    reasons: {
      'tries-left': {
        en: 'Wrong PIN. {remaining} tries left before PIN entry locks.',
        zh: 'PIN 不正确，还可尝试 {remaining} 次。',
      },
    },
  },
  LOCKED_OUT: {
    en: 'Too many wrong PINs. Wait and try again.',
    zh: 'PIN 错误次数过多，请稍后再试。',
    reasons: {
      wait: {
        en: 'Too many wrong PINs. Try again in {retryAfterSeconds} s.',
        zh: 'PIN 错误次数过多，请 {retryAfterSeconds} 秒后再试。',
      },
      'member-pin': {
        en: "Too many wrong member PINs: the member's stored value is locked on this till for 15 minutes. Scan the member code instead.",
        zh: '会员支付密码错误次数过多，本机 15 分钟内锁定，请改扫会员码。',
      },
    },
  },
  MANAGER_REQUIRED: {
    en: 'Manager approval needed.',
    zh: '需要店长授权。',
    reasons: {
      'cash-out': { en: 'Manager approval needed: cash out.', zh: '需要店长授权：取款。' },
      return: { en: 'Manager approval needed: return.', zh: '需要店长授权：退货。' },
      'open-drawer': { en: 'Manager approval needed: open the drawer.', zh: '需要店长授权：开钱箱。' },
      'shift-handover': {
        en: 'Cashier change: the outgoing cashier types their PIN, or a manager approves.',
        zh: '交接班：请交班收银员输入 PIN，或由店长授权。',
      },
      'void-sale': { en: 'Manager approval needed: void the sale.', zh: '需要店长授权：整单作废。' },
      'discount-over-limit': {
        en: 'Manager approval needed: discount over {limit} %.',
        zh: '需要店长授权：折扣超过 {limit}%。',
      },
      'waste-over-limit': {
        en: 'Manager approval needed: write-off worth more than ¥{limitYuan} at cost.',
        zh: '需要店长授权：报损金额（按成本）超过 ¥{limitYuan}。',
      },
    },
  },
  BARCODE_INVALID: {
    en: 'Barcode not recognised. Scan again or type the number.',
    zh: '条码无法识别，请重扫或手工输入。',
    reasons: {
      empty: { en: 'Nothing was scanned. Scan the barcode again.', zh: '没有扫到内容，请重新扫码。' },
      'control-char': {
        en: 'The scan contains unexpected control characters. Scan again; if it repeats, check the scanner settings.',
        zh: '扫码内容含有异常控制字符，请重扫；如反复出现请检查扫码枪设置。',
      },
      'bad-characters': {
        en: 'This barcode has letters or symbols where digits belong. Scan again or type the number.',
        zh: '条码中应为数字的位置出现了字母或符号，请重扫或手工输入。',
      },
      'wrong-length': {
        en: 'This barcode has the wrong number of digits ({digits}). Scan again or type the number.',
        zh: '条码位数不对（{digits} 位），请重扫或手工输入。',
      },
      'check-digit': {
        en: 'The barcode check digit is wrong (misread or damaged label). Scan again or type the number.',
        zh: '条码校验位错误（可能误读或标签破损），请重扫或手工输入。',
      },
      'price-check-digit': {
        en: 'The price/weight check digit on this scale label is wrong. Reprint the label at the scale.',
        zh: '秤签上的价格/重量校验位错误，请到电子秤重新打印标签。',
      },
      'unknown-ai': {
        en: 'This GS1 code contains a field the till does not know. Enter the item by hand.',
        zh: '该 GS1 条码含有收银台无法识别的字段，请手工录入商品。',
      },
      truncated: {
        en: 'This GS1 code is cut short (incomplete scan). Scan again.',
        zh: '该 GS1 条码内容不完整（扫码被截断），请重扫。',
      },
      'value-too-long': {
        en: 'A field in this GS1 code is too long (a separator may be missing). Scan again; if it repeats, check the scanner sends GS (FNC1).',
        zh: '该 GS1 条码某字段过长（可能缺少分隔符），请重扫；如反复出现请检查扫码枪是否输出 GS(FNC1)。',
      },
      'bad-value': {
        en: 'A field in this GS1 code has invalid content. Enter the item by hand.',
        zh: '该 GS1 条码某字段内容无效，请手工录入商品。',
      },
      'bad-date': {
        en: 'The date in this code is not a real date. Check the label.',
        zh: '条码中的日期无效，请核对标签。',
      },
      'bad-weight': {
        en: 'The weight in this code is not valid. Weigh the item again.',
        zh: '条码中的重量无效，请重新称重。',
      },
      'bad-price': {
        en: 'The price in this code is not valid. Reprint the label or enter the price.',
        zh: '条码中的价格无效，请重新打印标签或手工输入价格。',
      },
      'duplicate-ai': {
        en: 'This GS1 code repeats a field with different values. Enter the item by hand.',
        zh: '该 GS1 条码同一字段出现了不同的值，请手工录入商品。',
      },
      'bad-url': {
        en: 'This QR code is not a product link the till can read.',
        zh: '该二维码不是收银台可识别的商品链接。',
      },
      'no-primary-key': {
        en: 'This GS1 link does not name a product (no GTIN). Scan the product barcode instead.',
        zh: '该 GS1 链接中没有商品编码（GTIN），请改扫商品条码。',
      },
      'no-product-key': { en: 'This barcode does not identify a product.', zh: '条码里没有商品编号。' },
      'amount-weight-mismatch': {
        en: "The scale label's amount (¥{labelledYuan}) is not its weight at {nameEn}'s price (¥{expectedYuan}). Weigh it again at the till or reprint the label.",
        zh: '秤签金额（¥{labelledYuan}）与重量按{name}现价计算的金额（¥{expectedYuan}）不符，请在收银台重新称重或到电子秤重新打印标签。',
      },
      'price-not-allowed': {
        en: "{nameEn} has a fixed price: a price in its barcode is not accepted; scan the product's own barcode.",
        zh: '{name} 是固定价格商品，条码中的价格无效；请扫描商品本身的条码。',
      },
    },
  },
  PRODUCT_NOT_FOUND: {
    en: 'Product not in the catalog.',
    zh: '商品不存在。',
    reasons: {
      'not-in-catalog': { en: 'Product not in the catalog: {code}', zh: '商品不存在：{code}' },
      'no-sku': { en: 'No product with SKU {sku}.', zh: '没有这个商品（{sku}）。' },
      'not-for-sale': { en: 'Product is not for sale: {nameEn}', zh: '商品已停售：{name}' },
    },
  },
  MEMBER_CODE_INVALID: {
    en: 'This member code cannot be used. Ask the member to refresh it.',
    zh: '会员码无效，请让会员刷新后再扫。',
    reasons: {
      malformed: { en: 'Not a member code this till can read.', zh: '无法识别的会员码。' },
      signature: {
        en: 'This member code is not from this chain (or was altered).',
        zh: '会员码不是本品牌签发的（或已被篡改）。',
      },
      expired: {
        en: 'This member code expired {secondsAgo} s ago. Ask the member to refresh it.',
        zh: '会员码已过期（{secondsAgo} 秒前），请让会员刷新。',
      },
      'not-yet-valid': {
        en: 'This member code is not valid yet (check the clock).',
        zh: '会员码尚未生效（请检查时间）。',
      },
      replayed: {
        en: 'This member code was already used. Ask the member to refresh it.',
        zh: '会员码已使用过，请让会员刷新。',
      },
      'replayed-elsewhere': {
        en: 'This member code was already used at till {terminalId}. Ask the member to refresh it.',
        zh: '会员码已在 {terminalId} 号收银台使用过，请让会员刷新。',
      },
      'no-key': {
        en: 'This till has no chain key yet to check member codes (pair it for sync).',
        zh: '本机尚未获取会员码校验密钥（请先完成同步配对）。',
      },
    },
  },
  MEMBER_NOT_FOUND: {
    en: 'No member found.',
    zh: '未找到会员。',
    reasons: {
      phone: { en: 'No member with this phone number.', zh: '没有这个手机号的会员。' },
      code: {
        en: 'The member of this code is not known (or was erased).',
        zh: '该会员码对应的会员不存在（或已注销）。',
      },
      id: { en: 'No such member.', zh: '会员不存在。' },
    },
  },
  MEMBER_LOOKUP_OFFLINE: {
    en: 'Offline: this member is not known at this store and the cloud does not answer. Continue as guest.',
    zh: '网络断开：本店没有此会员，无法连线查询。请按非会员继续。',
  },
  STOCK_NEARBY_OFFLINE: {
    en: "Other stores' stock needs the cloud, which does not answer. Try again when the till is online.",
    zh: '查看其他门店库存需要连接云端，当前无法连接。请联网后重试。',
    reasons: {
      'sync-off': {
        en: 'This till is not connected to the cloud (no cloud address): other stores cannot be asked.',
        zh: '本收银机未连接云端（未设置云端地址），无法查询其他门店。',
      },
      'rate-limited': {
        en: 'Too many stock look-ups; try again in a minute.',
        zh: '查询过于频繁，请一分钟后重试。',
      },
    },
  },
  WEIGHT_REQUIRED: {
    en: 'Enter the weight for a weighed item.',
    zh: '称重商品请输入重量。',
    reasons: { 'weigh-it': { en: '{nameEn} is sold by weight: weigh it.', zh: '{name} 是称重商品，请称重。' } },
  },
  LINE_NOT_FOUND: {
    en: 'That line is not in the cart.',
    zh: '购物车里没有这一行。',
    reasons: {
      'cart-empty': { en: 'The cart is empty.', zh: '购物车是空的。' },
      'sale-line': { en: 'Sale {saleNumber} has no line {lineId}.', zh: '这笔销售（{saleNumber}）没有这一行。' },
    },
  },
  CART_EMPTY: {
    en: 'The cart is empty.',
    zh: '购物车是空的。',
    reasons: { 'nothing-to-park': { en: 'The cart is empty; nothing to park.', zh: '购物车是空的，无需挂单。' } },
  },
  CART_NOT_FOUND: { en: 'No parked cart with that id.', zh: '没有这张挂单。' },
  TENDER_SHORT: {
    en: 'The tenders do not cover the amount due.',
    zh: '付款金额不足。',
    reasons: {
      'no-tender': { en: 'Add a tender.', zh: '请选择付款方式。' },
      missing: { en: '{missingYuan} still due.', zh: '还差 {missingYuan} 元。' },
    },
  },
  TENDER_INVALID: {
    en: 'This tender cannot be used.',
    zh: '该付款方式无法使用。',
    reasons: {
      'not-a-payment-code': {
        en: 'Not a WeChat or Alipay payment code. Ask the customer to refresh it and scan again.',
        zh: '不是有效的微信或支付宝付款码，请让顾客刷新后重扫。',
      },
      'non-cash-over-due': {
        en: 'Card and payment-code amounts ({nonCashYuan}) exceed the amount due ({dueYuan}); only cash can give change.',
        zh: '银行卡/付款码金额 {nonCashYuan} 超过应收 {dueYuan}，只有现金可以找零。',
      },
      'card-reference': {
        en: "A card top-up needs the bank terminal's approval code.",
        zh: '银行卡充值需填写刷卡授权码。',
      },
      'top-up-tender': {
        en: 'A top-up is paid in cash, by card or by payment code.',
        zh: '充值只能用现金、银行卡或付款码支付。',
      },
    },
  },
  TENDER_EXCESSIVE: {
    en: 'Too much cash tendered: at most 10 × the total, or the total + 1000.00.',
    zh: '收款金额过大：最多收应收的 10 倍或应收加 1000 元。',
    reasons: {
      'over-cap': {
        en: 'Too much cash tendered: at most {maxYuan} (10 × the total, or the total + 1000.00).',
        zh: '收款金额过大：最多收 {maxYuan}（应收的 10 倍或应收加 1000 元）。',
      },
    },
  },
  PAYMENT_PENDING: {
    en: 'A payment-code charge is still being confirmed; wait, and do not ask the customer to pay again.',
    zh: '付款码支付确认中，请稍候，不要让顾客重新付款。',
    reasons: {
      checking: {
        en: 'The previous payment-code charge is being checked; wait, and do not ask the customer to pay again.',
        zh: '正在确认上一笔付款码支付，请稍候，不要让顾客重新付款。',
      },
      pending: {
        en: 'The customer is still confirming the payment; wait, or cancel it.',
        zh: '顾客还在确认付款，请等待或取消。',
      },
    },
  },
  PAYMENT_UNKNOWN: {
    en: 'The result of the payment is not known yet. Do not ask the customer to pay again.',
    zh: '付款结果未知，请不要让顾客重新付款。',
    reasons: {
      unknown: {
        en: 'The result of the previous payment is unknown and is being checked. Do not ask the customer to pay again; you may cancel it (it is then reversed).',
        zh: '上一笔付款结果未知，正在查询。不要让顾客重新付款；可取消（会自动撤销）。',
      },
      reversing: {
        en: 'The payment-code charge is being reversed and not confirmed yet. Take cash or card (any money taken goes back to the customer).',
        zh: '付款码支付正在撤销，尚未确认。请改收现金或刷卡（若顾客已被扣款会自动退回）。',
      },
    },
  },
  PAYMENT_OFFLINE: {
    en: 'The payment-code gateway cannot be reached; nothing was charged. Take cash or card instead.',
    zh: '付款码网关连接不上，未扣款。请改收现金或刷卡。',
  },
  PAYMENT_DECLINED: {
    en: 'Payment declined. Try again or use another tender.',
    zh: '支付被拒绝，请重试或换其他方式。',
    reasons: {
      'refund-declined': { en: 'Refund declined.', zh: '退款被拒绝。' },
      // The wallet's own words (a sandbox's, an English sub_msg) stay in the audit and the API
      // details; the cashier reads what to do (issue 13 item 10).
      gateway: {
        en: 'The wallet declined the payment. Ask the customer to check their WeChat/Alipay, or take another tender.',
        zh: '顾客的钱包拒绝了付款，请顾客查看微信/支付宝，或改用其他方式。',
      },
      cancelled: { en: 'Payment-code payment cancelled; nothing was charged.', zh: '已取消付款码支付，未扣款。' },
      'timed-out': {
        en: 'The customer did not confirm in time; the order was cancelled and nothing was charged.',
        zh: '顾客未在时限内确认，已撤销，未扣款。',
      },
      'not-paid': {
        en: 'The customer did not complete the payment; nothing was charged.',
        zh: '顾客未完成支付，未扣款。',
      },
    },
  },
  SALE_NOT_FOUND: {
    en: 'No such sale.',
    zh: '找不到这笔销售。',
    reasons: { lookup: { en: 'No sale found for "{query}".', zh: '找不到这笔销售（{query}）。' } },
  },
  RETURN_EXCEEDS_SALE: {
    en: 'That is more than was sold (minus earlier returns).',
    zh: '退货数量超过可退数量。',
    reasons: {
      weight: {
        en: 'At most {remainingWeightGrams} g of {nameEn} can be returned.',
        zh: '{name} 最多可退 {remainingWeightGrams} 克。',
      },
      quantity: {
        en: 'At most {remainingQuantity} of {nameEn} can be returned.',
        zh: '{name} 最多可退 {remainingQuantity} 件。',
      },
    },
  },
  SHIFT_NOT_OPEN: {
    en: 'No shift is open. Open a shift first.',
    zh: '当前没有班次，请先开班。',
    reasons: {
      'closed-meanwhile': { en: 'The shift was closed.', zh: '班次已关闭。' },
      'other-cashier': {
        en: "The open shift is {name}'s. Do a cashier change (F10, then F9): take it over, or close it first.",
        zh: '当前班次属于 {name}。请先交接班（F10，再按 F9）：接班，或先交班。',
      },
      'float-required': {
        en: 'The last shift was closed. Open a new shift with its float (F10) before taking payment.',
        zh: '上一班已交班。请先开班并录入备用金（F10）再收款。',
      },
    },
  },
  SHIFT_ALREADY_OPEN: { en: 'A shift is already open on this till.', zh: '已有班次未交班。' },
  DEVICE_UNAVAILABLE: {
    en: 'The device is not set up or does not answer.',
    zh: '设备未设置或无响应。',
    reasons: {
      'no-devices': { en: 'This terminal has no store devices set up.', zh: '本机未连接外设。' },
      'no-printer': { en: 'No receipt printer is set up for this till.', zh: '本收银机未设置小票打印机。' },
      'no-such-printer': { en: 'No receipt printer "{printerId}" is set up.', zh: '未设置小票打印机“{printerId}”。' },
      'no-drawer': {
        en: 'No cash drawer is set up: it needs a receipt printer (or a drawer device).',
        zh: '未设置钱箱：需要先设置小票打印机（或钱箱设备）。',
      },
      'drawer-printer-disconnected': {
        en: 'Cash drawer cannot be opened: its printer is not connected. Check the cable or network.',
        zh: '无法打开钱箱：打印机未连接，请检查线缆或网络。',
      },
      'drawer-printer-silent': {
        en: 'Cash drawer cannot be opened: the printer does not answer. Check that it is switched on.',
        zh: '无法打开钱箱：打印机无响应，请检查电源。',
      },
      'no-scale': { en: 'No scale is set up for this till.', zh: '本收银机未设置电子秤。' },
      'no-label-printer': {
        en: 'No label printer is set up for this till (POS_LABEL_PRINTER).',
        zh: '本收银机未设置标签打印机（POS_LABEL_PRINTER）。',
      },
      'no-answer': {
        en: 'The scale does not answer. Check its cable and power.',
        zh: '电子秤无响应，请检查线缆和电源。',
      },
      disconnected: {
        en: 'The device is not connected. Check the cable or network.',
        zh: '设备未连接，请检查线缆或网络。',
      },
    },
  },
  DEVICE_ERROR: {
    en: 'The device reported a fault.',
    zh: '设备故障。',
    reasons: {
      offline: { en: 'Printer is offline. Check that it is switched on.', zh: '打印机离线，请检查电源是否打开。' },
      cover_open: {
        en: 'Printer cover is open. Close the cover to continue.',
        zh: '打印机盖未关好，请合上盖子后继续。',
      },
      paper_out: {
        en: 'Printer is out of paper. Load a new roll; the receipt will print automatically.',
        zh: '打印机缺纸，请装入新纸卷，小票将自动打印。',
      },
      paper_near_end: { en: 'Paper roll is running low. Have a new roll ready.', zh: '纸卷即将用完，请准备新纸卷。' },
      error: {
        en: 'Printer error (cutter or print head). Switch the printer off and on.',
        zh: '打印机故障（切刀或打印头），请关闭后重新开启打印机。',
      },
      disconnected: {
        en: 'Printer is not connected. Check the cable or network.',
        zh: '打印机未连接，请检查线缆或网络。',
      },
      'scale-frame': { en: 'Unreadable data from the scale.', zh: '电子秤数据无法识别。' },
      'label-printer': {
        en: 'The label printer reports {fault}. Check its head, labels and ribbon.',
        zh: '标签打印机故障（{fault}），请检查打印头、标签纸和碳带。',
      },
    },
  },
  WEIGHT_UNSTABLE: { en: 'Weight is not stable. Keep the goods still on the scale.', zh: '重量不稳定，请将商品放稳。' },
  WEIGHT_INVALID: {
    en: 'The weight is not valid.',
    zh: '重量无效。',
    reasons: {
      negative: { en: 'Weight is below zero. Empty the scale and press zero.', zh: '重量为负，请清空秤盘后归零。' },
      overload: { en: 'The scale is overloaded. Remove some goods.', zh: '电子秤超载，请减少商品。' },
      zero: { en: 'Nothing on the scale.', zh: '秤盘上没有商品。' },
    },
  },
  NOT_FOUND: {
    en: 'Not found.',
    zh: '未找到。',
    reasons: {
      device: { en: 'No device "{deviceId}" is set up.', zh: '没有设备“{deviceId}”。' },
      'customer-display': { en: 'This till has no customer display.', zh: '本收银机未开启顾客屏。' },
      staff: { en: 'No staff member "{staffId}".', zh: '没有这位员工（{staffId}）。' },
      markdown: { en: 'No markdown with that id on this till.', zh: '本机没有这条晚间打折。' },
      stocktake: { en: 'No such stocktake.', zh: '没有这张盘点单。' },
      transfer: { en: 'No transfer "{id}" at this store.', zh: '本店没有这张调拨单（{id}）。' },
      'not-in-stocktake': { en: 'Product {sku} is not on this count sheet.', zh: '商品 {sku} 不在本盘点单中。' },
    },
  },
  CONFLICT: {
    en: 'Something changed meanwhile; try again.',
    zh: '数据已变更，请重试。',
    reasons: {
      'phone-taken': { en: 'This phone number already belongs to a member.', zh: '该手机号已是会员。' },
      'till-busy-payment': { en: 'A payment is in progress; wait for it to finish.', zh: '正在处理付款，请稍候。' },
      'cart-other-cashier': {
        en: "This is {name}'s unfinished sale. Do a cashier change (F10, then F9) to take it over.",
        zh: '这是 {name} 未完成的订单。请先交接班（F10，再按 F9）再接手。',
      },
      'handover-self': { en: 'This shift is already yours.', zh: '本班次已经是你的。' },
      'cart-repriced': {
        en: 'A promotion opened or ended, so the prices changed. Check the new total with the customer and take payment again.',
        zh: '促销已开始或结束，价格已更新。请与顾客核对新的应收金额后重新收款。',
      },
      'waste-exceeds-stock': {
        en: 'The store has only {onHand} of {nameEn} on hand, less than the {quantity} written off. Check the product and the quantity, then confirm.',
        zh: '{name} 库存只有 {onHand}，少于报损数量 {quantity}。请核对商品和数量后确认。',
      },
      'stocktake-posted': { en: 'This stocktake is already posted.', zh: '该盘点单已过账。' },
      'till-busy-refund': { en: 'A refund is in progress; wait for it to finish.', zh: '正在处理退款，请稍候。' },
      'records-intact': {
        en: 'The sale records are intact; there is nothing to acknowledge.',
        zh: '销售记录完好，无需确认。',
      },
      'line-changed': { en: 'The line changed meanwhile; apply the discount again.', zh: '商品行已变更，请重新打折。' },
      'transfer-same-store': {
        en: 'A transfer needs another store: this is store {storeId}.',
        zh: '调拨须来自其他门店（本店为 {storeId}）。',
      },
      'transfer-id-taken': {
        en: 'Transfer {id} already exists with other details.',
        zh: '调拨单 {id} 已存在且内容不同。',
      },
      'transfer-not-sender': {
        en: 'Only the sending store ({fromStore}) ships this transfer.',
        zh: '此调拨单须由调出门店（{fromStore}）发货。',
      },
      'transfer-not-receiver': {
        en: 'Only the receiving store ({toStore}) records this transfer as received.',
        zh: '此调拨单须由调入门店（{toStore}）收货。',
      },
      'transfer-not-shipped': {
        en: 'This transfer has not been shipped yet.',
        zh: '此调拨单尚未发货。',
      },
      'cart-open': { en: 'Finish or park the current cart first.', zh: '请先完成或挂起当前购物车。' },
    },
  },
  PIN_CHANGE_REQUIRED: {
    en: 'Your PIN was reset: choose a new PIN before you continue.',
    zh: '您的 PIN 已被重置，请先设置新 PIN。',
  },
  PIN_IN_USE: {
    en: 'Another staff member already uses this PIN; choose a different one.',
    zh: '该 PIN 已被其他员工使用，请换一个。',
  },
  ORIGIN_REFUSED: {
    en: "Only the till's own pages may use this address (Host or Origin refused). To use another host name, add it to POS_ALLOWED_HOSTS.",
    zh: '只接受本收银机页面的请求。',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    en: 'Send the request as JSON (Content-Type: application/json).',
    zh: '请求须为 JSON 格式（Content-Type: application/json）。',
  },
  BODY_TOO_LARGE: { en: 'The request is too large.', zh: '请求内容过大。' },
  INTERNAL: { en: 'Internal error; try again or call the technician.', zh: '系统错误，请重试或联系技术员。' },
  ORDER_NOT_FOUND: {
    en: 'No online order with that code in this store.',
    zh: '本店没有这个提货码的线上订单。',
    reasons: {
      leader: { en: 'No ready orders for group leader code {leaderCode}.', zh: '团长码 {leaderCode} 没有待提订单。' },
      refund: { en: 'This till holds no refund for order {orderId}.', zh: '本机没有订单 {orderId} 的退款记录。' },
    },
  },
  ORDER_STATE: {
    en: 'This order cannot do that now.',
    zh: '订单当前状态不能进行此操作。',
    reasons: {
      'not-ready': {
        en: 'Order {orderId} is not packed yet ({status}).',
        zh: '订单 {orderId} 还未打包完成（{status}）。',
      },
      closed: { en: 'Order {orderId} is already {status}.', zh: '订单 {orderId} 已{status}。' },
      line: { en: 'Order {orderId} has no line {lineId}.', zh: '订单 {orderId} 没有商品行 {lineId}。' },
      'by-weight': { en: 'Line {lineId} is weighed: give grams.', zh: '商品行 {lineId} 是称重商品，请输入克数。' },
      'by-quantity': { en: 'Line {lineId} is counted: give a quantity.', zh: '商品行 {lineId} 按件，请输入数量。' },
      'refund-paid': {
        en: 'The refund of order {orderId} is already paid.',
        zh: '订单 {orderId} 的退款已经退还。',
      },
      'refund-owed': {
        en: 'The refund of order {orderId} may still be on its way through the gateway: retry it first (R); mark it paid by hand only once the gateway has declined it.',
        zh: '订单 {orderId} 的退款可能正在原路退回：请先重新退款（R），支付平台拒绝后才可标记为人工退款。',
      },
      'refund-no-wallet': {
        en: 'The mall sent no wallet for order {orderId}: pay it back by hand and mark it paid (M).',
        zh: '商城未提供订单 {orderId} 的原支付信息：请人工退款后标记为已退款（M）。',
      },
    },
  },
  ORDER_ALREADY_HANDED_OVER: {
    en: 'This order was already handed over. Do not hand it over again; call the manager.',
    zh: '此订单已经交付，请勿重复交付，请联系店长。',
    reasons: {
      at: {
        en: 'This order was already handed over at {terminalId}. Do not hand it over again; call the manager.',
        zh: '此订单已在 {terminalId} 交付，请勿重复交付，请联系店长。',
      },
    },
  },
  ORDER_WRONG_ITEM: {
    en: 'This item is not on the order: do not put it in the bag.',
    zh: '此商品不在订单中，请勿装袋。',
    reasons: {
      'not-on-order': {
        en: 'Wrong item: {nameEn} is not on order {orderId}. Do not put it in the bag.',
        zh: '拣错商品：{name} 不在订单 {orderId} 中，请勿装袋。',
      },
      'not-this-line': {
        en: 'Wrong item: {nameEn} is not the product of this line. Do not put it in the bag.',
        zh: '拣错商品：{name} 不是这一行的商品，请勿装袋。',
      },
      'line-complete': {
        en: 'All {quantity} of {nameEn} are already picked for this order.',
        zh: '{name} 已拣够 {quantity} 件。',
      },
      'same-product': {
        en: '{nameEn} is the product ordered: scan a different product to substitute.',
        zh: '{name} 就是订单里的商品，替换请扫描另一种商品。',
      },
    },
  },
  ORDERS_OFFLINE: {
    en: 'Online orders need this till to sync with the store hub or the cloud.',
    zh: '线上订单需要本机与门店服务器或云端同步。',
  },
  TILL_NEEDS_TECHNICIAN: {
    en: 'Sale records may be lost; selling is paused — call the technician.',
    zh: '销售记录可能丢失，已暂停收银，请联系技术员。',
    reasons: {
      wal_damaged: {
        en: 'The database log (WAL) is damaged and completed sales may be lost; selling is paused — call the technician.',
        zh: '数据库日志损坏，可能丢失了已完成的销售，已暂停收银，请联系技术员。',
      },
      sales_missing: {
        en: 'Sales that were completed (and may be printed) are missing from the database; selling is paused — call the technician.',
        zh: '已打印的销售记录在数据库中缺失，已暂停收银，请联系技术员。',
      },
      journal_damaged: {
        en: 'The sale journal is damaged; selling is paused — call the technician.',
        zh: '销售日志损坏，已暂停收银，请联系技术员。',
      },
      journal_unwritable: {
        en: 'The sale journal cannot be written; selling is paused — call the technician.',
        zh: '无法写入销售日志，已暂停收银，请联系技术员。',
      },
    },
  },
  FACE_UNUSABLE: {
    en: 'This picture cannot be used for face lookup. Take another one.',
    zh: '这张照片无法用于刷脸识别，请重新拍摄。',
    reasons: {
      'no-face': { en: 'No face found. Ask the customer to face the camera.', zh: '未检测到人脸，请顾客正对摄像头。' },
      'several-faces': {
        en: 'More than one face in the picture: one customer at a time.',
        zh: '画面中有多张人脸：请一次一位顾客。',
      },
      spoof: {
        en: 'This looks like a photo or a screen, not a person. Use the member code or phone instead.',
        zh: '疑似照片或屏幕翻拍，请改用会员码或手机号。',
      },
      'not-live': {
        en: 'Liveness check failed. Ask the customer to look at the camera and try again.',
        zh: '活体检测未通过，请顾客看向摄像头后重试。',
      },
      image: {
        en: 'The camera picture could not be read (JPEG or PNG expected).',
        zh: '无法读取摄像头画面（需要 JPEG 或 PNG）。',
      },
    },
  },
  FACE_CONSENT_REQUIRED: {
    en: 'The member has not agreed to face lookup.',
    zh: '该会员未同意刷脸识别。',
    reasons: {
      'not-confirmed': {
        en: 'The customer must confirm consent to face lookup first.',
        zh: '请先由顾客确认同意刷脸识别。',
      },
    },
  },
  FACE_UNAVAILABLE: {
    en: 'Face lookup is not available on this till. Use the member code or phone.',
    zh: '本收银台无法使用刷脸识别，请改用会员码或手机号。',
    reasons: {
      models: {
        en: 'Face models are missing on this till (run npm run models). Use the member code or phone.',
        zh: '本机缺少人脸模型（请运行 npm run models），请改用会员码或手机号。',
      },
      'key-permissions': {
        en: 'The face key file is readable by others (mode {mode}); face lookup is off until a technician fixes it.',
        zh: '人脸密钥文件权限过宽（{mode}），已停用刷脸识别，请联系技术员。',
      },
      'key-invalid': {
        en: 'The face key file is damaged; call the technician.',
        zh: '人脸密钥文件损坏，请联系技术员。',
      },
    },
  },
  COUPON_NOT_FOUND: {
    en: 'No coupon with this code for this store. Check the code with the customer.',
    zh: '本店没有这个优惠券码，请与顾客核对。',
    reasons: {
      'no-sync': {
        en: 'Coupons need this till to sync with the store hub or the cloud.',
        zh: '优惠券需要本机与门店服务器或云端同步。',
      },
    },
  },
  COUPON_NOT_VALID: {
    en: 'This coupon cannot be used now.',
    zh: '此优惠券当前不可使用。',
    reasons: {
      expired: { en: 'This coupon expired on {validTo}.', zh: '此优惠券已于 {validTo} 过期。' },
      'not-yet': { en: 'This coupon is valid from {validFrom}.', zh: '此优惠券自 {validFrom} 起可用。' },
    },
  },
  COUPON_WRONG_MEMBER: {
    en: 'This coupon belongs to a member: add that member to the sale first.',
    zh: '此优惠券属于会员专享，请先识别该会员。',
    reasons: {
      'no-member': {
        en: "This coupon belongs to a member: scan the member's code first.",
        zh: '此优惠券为会员专享，请先扫描会员码。',
      },
      'other-member': {
        en: 'This coupon belongs to another member and cannot be used on this sale.',
        zh: '此优惠券属于其他会员，不能用于本单。',
      },
    },
  },
  COUPON_MIN_SPEND: {
    en: "The sale does not reach this coupon's minimum spend.",
    zh: '未达到此优惠券的使用门槛。',
    reasons: {
      short: {
        en: 'This coupon needs {minSpendYuan} of eligible items; add {shortByYuan} more.',
        zh: '此优惠券需满 {minSpendYuan}（适用商品），还差 {shortByYuan}。',
      },
    },
  },
  COUPON_NOT_APPLICABLE: {
    en: 'Nothing on this sale is covered by this coupon.',
    zh: '本单没有适用此优惠券的商品。',
    reasons: {
      gift: { en: 'Put the gift item ({giftSku}) on the sale first.', zh: '请先将赠品（{giftSku}）加入本单。' },
    },
  },
  COUPON_ALREADY_REDEEMED: {
    en: 'This coupon was already used. Do not accept it again.',
    zh: '此优惠券已被使用，请勿重复核销。',
    reasons: {
      spent: {
        en: 'This coupon was already used (sale {saleNumber}). Do not accept it again.',
        zh: '此优惠券已被使用（单号 {saleNumber}），请勿重复核销。',
      },
      held: {
        en: 'This coupon is on a sale at {terminalId} right now. Do not accept it twice.',
        zh: '此优惠券正在 {terminalId} 的订单中使用，请勿重复核销。',
      },
      'on-cart': { en: 'This sale already has a coupon. Remove it first.', zh: '本单已使用优惠券，请先移除。' },
    },
  },
  COUPON_OFFLINE: {
    en: "The store hub does not answer: only a member's own coupon can be used now. Try again when the network is back.",
    zh: '门店服务器无响应：当前只能使用会员本人的专属优惠券，请待网络恢复后重试。',
  },
  STORED_VALUE_REFUSED: {
    en: 'The stored-value balance cannot pay this.',
    zh: '储值余额无法支付。',
    reasons: {
      'no-member': { en: 'Add the member to the sale first.', zh: '请先在本单添加会员。' },
      'not-present': {
        en: "The member must be present: scan the member's code, or enter the member PIN.",
        zh: '需会员本人在场：请扫会员码，或输入会员支付密码。',
      },
      'no-pin': {
        en: 'This member has no stored-value PIN yet: scan the member code instead (a PIN is set at top-up).',
        zh: '该会员尚未设置储值密码，请扫会员码（充值时可设置密码）。',
      },
      'wrong-pin': { en: 'Wrong member PIN.', zh: '会员支付密码错误。' },
      insufficient: {
        en: 'Balance too low: {balanceYuan} left.',
        zh: '储值余额不足：仅剩 {balanceYuan}。',
      },
      'offline-cap': {
        en: 'Offline the member may spend at most {capYuan} of stored value a day here ({spentYuan} spent today). Take another tender.',
        zh: '离线时每位会员每天最多使用储值 {capYuan}（今日已用 {spentYuan}），请改用其他方式付款。',
      },
      'one-tender': { en: 'Use one stored-value tender per sale.', zh: '每单只能使用一笔储值支付。' },
      'held-elsewhere': {
        en: "Till {terminalId} is paying with this member's balance right now ({availableYuan} free). Finish or cancel that sale first, or take another tender.",
        zh: '该会员的储值正在收银台 {terminalId} 上支付（可用 {availableYuan}），请待其完成或取消，或改用其他方式付款。',
      },
    },
  },
  POINTS_REFUSED: {
    en: 'Points cannot pay this.',
    zh: '积分无法支付。',
    reasons: {
      'no-member': { en: 'Add the member to the sale first.', zh: '请先在本单添加会员。' },
      insufficient: {
        en: 'Not enough points: {points} points pay at most {maxYuan}.',
        zh: '积分不足：{points} 积分最多抵扣 {maxYuan}。',
      },
      'not-whole': {
        en: 'Points pay in steps of {stepYuan}.',
        zh: '积分按 {stepYuan} 为单位抵扣。',
      },
      'one-tender': { en: 'Use one points tender per sale.', zh: '每单只能使用一笔积分抵扣。' },
      'held-elsewhere': {
        en: "Till {terminalId} is using this member's points right now ({points} points, at most {maxYuan}, free). Finish or cancel that sale first.",
        zh: '该会员的积分正在收银台 {terminalId} 上使用（可用 {points} 积分，最多抵扣 {maxYuan}），请待其完成或取消。',
      },
    },
  },
};

const PLACEHOLDER = /\{(\w+)\}/g;

function fill(template: string, details: Record<string, unknown>): string | null {
  let missing = false;
  const out = template.replace(PLACEHOLDER, (_m, name: string) => {
    const v = details[name];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    missing = true;
    return '';
  });
  return missing ? null : out;
}

function asRecord(details: unknown): Record<string, unknown> {
  return details !== null && typeof details === 'object' && !Array.isArray(details)
    ? (details as Record<string, unknown>)
    : {};
}

/**
 * The sentence for an error in one language: the reason's text when `details.reason` has one,
 * filled from the details, else the code's own text. Unknown codes (an older till talking to a
 * newer host) get INTERNAL's text with the code appended, so the cashier can quote it.
 */
export function errorText(code: string, details: unknown, lang: ErrorLang): string {
  const entry = (ERROR_TEXT as Record<string, ErrorText | undefined>)[code];
  const key = lang === 'zh-CN' ? 'zh' : 'en';
  if (!entry) return `${ERROR_TEXT.INTERNAL[key]} (${code})`;
  const d = asRecord(details);
  const reason = typeof d['reason'] === 'string' ? entry.reasons?.[d['reason']] : undefined;
  return (reason && fill(reason[key], d)) ?? entry[key];
}
