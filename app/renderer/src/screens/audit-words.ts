// An audit entry in words for the back office's audit list (issue 13 item 14): what happened,
// the amount in yuan and the reason, in the manager's language. The core keeps codes, ids and
// fen in `detail`; the list shows this and keeps the raw detail behind a toggle. Unknown actions
// and reasons fall back to what the core wrote, so a new action is never hidden.
import type { AuditEntry, Lang, TillConfig } from '../../../contract';

type Words = readonly [zh: string, en: string];

const ACTIONS: Record<string, Words> = {
  'auth.login': ['登录', 'Logged in'],
  'auth.logout': ['退出', 'Logged out'],
  'auth.login_failed': ['PIN 错误（登录）', 'Wrong PIN at login'],
  'auth.locked_out': ['PIN 已锁定', 'PIN locked'],
  'auth.setPin': ['修改 PIN', 'Changed own PIN'],
  'override.failed': ['店长授权 PIN 错误', 'Wrong manager PIN'],
  'cart.park': ['挂单', 'Parked a sale'],
  'cart.recall': ['取单', 'Recalled a sale'],
  'cart.void': ['作废整单', 'Voided a sale'],
  'handover.failed': ['交接班 PIN 错误', 'Wrong PIN at cashier change'],
  'discount.override': ['超限折扣', 'Discount over the limit'],
  'discount.removed': ['取消折扣', 'Discount removed'],
  'sale.completed': ['完成销售', 'Sale completed'],
  'sale.reprint': ['重打小票', 'Receipt reprinted'],
  'return.create': ['退货退款', 'Return refunded'],
  'refund.declined': ['退款被拒', 'Refund declined'],
  'payment.cancel': ['取消支付', 'Payment cancelled'],
  'payment.declined': ['支付被拒', 'Payment declined'],
  'payment.offline': ['离线收款', 'Payment taken offline'],
  'drawer.open': ['开钱箱（无销售）', 'No sale: drawer opened'],
  'shift.open': ['开班', 'Opened the shift'],
  'shift.auto_open': ['自动开班（备用金 0）', 'Shift opened automatically (no float)'],
  'shift.close': ['交班（Z 报表）', 'Closed the shift (Z)'],
  'shift.handover': ['交接班', 'Cashier change'],
  'shift.cash_in': ['存款', 'Cash in'],
  'shift.cash_out': ['取款', 'Cash out'],
  'staff.add': ['新增员工', 'Added staff'],
  'staff.enable': ['启用员工', 'Enabled staff'],
  'staff.disable': ['停用员工', 'Disabled staff'],
  'staff.role': ['修改角色', 'Changed role'],
  'staff.resetPin': ['重置 PIN', 'Reset a PIN'],
  'config.change': ['修改设置', 'Changed settings'],
  'stock.receive': ['入库', 'Received stock'],
  'stock.waste': ['报损', 'Wrote off stock'],
  'stocktake.start': ['开始盘点', 'Started a stock count'],
  'stocktake.post': ['盘点过账', 'Posted a stock count'],
  'transfers.request': ['申请调拨', 'Requested a transfer'],
  'transfers.ship': ['调拨发货', 'Shipped a transfer'],
  'transfers.receive': ['调拨收货', 'Received a transfer'],
  'pricing.markdown': ['晚间打折', 'Evening markdown'],
  'pricing.markdown_end': ['结束打折', 'Ended a markdown'],
  'member.signUp': ['会员注册', 'Member signed up'],
  'member.code-replayed': ['会员码已在其他收银台使用', 'Member code already used at another till'],
  'scan.label_mismatch': ['秤签金额不符', 'Scale label did not add up'],
  'scan.price_refused': ['拒收标价条码', 'Price barcode refused'],
  'report.export': ['导出报表', 'Exported a report'],
  'labels.pluExport': ['导出电子秤 PLU 文件', 'Exported the scale PLU file'],
  'device.configure': ['设置设备', 'Set up a device'],
  'device.remove': ['移除设备', 'Removed a device'],
  'device.testPrint': ['测试打印', 'Test print'],
  'display.rotateKey': ['更换顾客屏密钥', 'New customer display key'],
  'replenishment.order': ['补货下单', 'Replenishment order'],
  'order.refunded': ['线上订单已原路退款', 'Online order refunded'],
  'order.refund-declined': ['线上订单退款被拒', 'Online order refund declined'],
  'order.refund-manual': ['线上订单需人工退款', 'Online order refund to pay by hand'],
  'order.refund-retried': ['重新退款（线上订单）', 'Online order refund retried'],
  'order.refund-paid-manually': ['线上订单已人工退款', 'Online order refund paid by hand'],
};

/** Reasons the core writes as codes (stock waste, discount changes); free text is shown as typed. */
const REASONS: Record<string, Words> = {
  spoiled: ['变质', 'Spoiled'],
  expired: ['过期', 'Expired'],
  damaged: ['破损', 'Damaged'],
  tasting: ['试吃', 'Tasting'],
  processing: ['加工损耗', 'Processing loss'],
  theft: ['被盗', 'Theft'],
  'line-changed': ['商品行已修改', 'The line changed'],
};

/** Detail keys that hold the entry's amount in fen, most telling first. */
const AMOUNT_KEYS = ['total', 'amount', 'countedCash', 'cost', 'float'] as const;

const pick = (w: Words, lang: Lang) => (lang === 'zh-CN' ? w[0] : w[1]);

export function auditActionWords(action: string, lang: Lang): string {
  const w = ACTIONS[action];
  return w ? pick(w, lang) : action;
}

/** The amount the entry is about, in fen, or null when it has none. */
export function auditAmountFen(entry: AuditEntry): number | null {
  for (const k of AMOUNT_KEYS) {
    const v = entry.detail[k];
    if (typeof v === 'number' && Number.isInteger(v)) return v;
  }
  return null;
}

/**
 * The reason in words: a preset's words from the store's list (by its code), a coded reason,
 * or the free text typed. Empty when the entry has none.
 */
export function auditReasonWords(entry: AuditEntry, lang: Lang, config: TillConfig | null): string {
  const d = entry.detail;
  const code = typeof d.reasonCode === 'string' ? d.reasonCode : null;
  if (code && config?.reasons) {
    const presets = entry.action === 'drawer.open' ? config.reasons.noSale : config.reasons.void;
    const preset = presets.find((p) => p.code === code);
    if (preset) return lang === 'zh-CN' ? preset.zh : preset.en;
  }
  const reason = typeof d.reason === 'string' ? d.reason : '';
  const coded = REASONS[reason];
  return coded ? pick(coded, lang) : reason;
}

/** A few words more about what: the sale number, the staff member changed, tries left. */
export function auditWhatMore(entry: AuditEntry, lang: Lang, nameOf: (staffId: string) => string | null): string {
  const d = entry.detail;
  const zh = lang === 'zh-CN';
  const parts: string[] = [];
  if (typeof d.managerId === 'string') {
    const who = nameOf(d.managerId) ?? d.managerId;
    parts.push(zh ? `所试 PIN：${who}` : `PIN tried: ${who}`);
  }
  const num = d.number ?? d.saleNumber;
  if (typeof num === 'string' || typeof num === 'number') parts.push(zh ? `单号 ${num}` : `sale ${num}`);
  if (typeof d.name === 'string') parts.push(d.name);
  if (typeof d.remaining === 'number' && d.locked !== true)
    parts.push(zh ? `还可尝试 ${d.remaining} 次` : `${d.remaining} tries left`);
  if (typeof d.seconds === 'number') parts.push(zh ? `锁定 ${d.seconds} 秒` : `locked for ${d.seconds} s`);
  if (typeof d.overShort === 'number' && d.overShort !== 0)
    parts.push(zh ? `长短款 ${(d.overShort / 100).toFixed(2)} 元` : `over/short ¥${(d.overShort / 100).toFixed(2)}`);
  if (typeof d.from === 'string' && typeof d.to === 'string') parts.push(`${d.from} → ${d.to}`);
  if (typeof d.toStaffName === 'string') parts.push(zh ? `交给 ${d.toStaffName}` : `to ${d.toStaffName}`);
  return parts.join(' · ');
}
