// Receipt wording in zh-CN and English (see shared/GLOSSARY.md).
import type { Lang, TenderType } from '../../contract';

export interface ReceiptLabels {
  reprint: string;
  terminal: string;
  number: string;
  time: string;
  cashier: string;
  subtotal: string;
  discount: string;
  /** "You saved" line under the totals. */
  saved: string;
  rounding: string;
  total: string;
  change: string;
  tender: Record<TenderType, string>;
  reference: string;
  items: string;
  returned: string;
  scanForReturn: string;
  wecom: string;
  member: string;
  pointsEarned: string;
  pointsBalance: string;
  storedValueBalance: string;
  thanks: string;
  perKg: string;
}

export const RECEIPT_LABELS: Record<Lang, ReceiptLabels> = {
  'zh-CN': {
    reprint: '重打小票',
    terminal: '终端',
    number: '单号',
    time: '时间',
    cashier: '收银员',
    subtotal: '小计',
    discount: '优惠',
    saved: '本单共节省',
    rounding: '抹零',
    total: '应收',
    change: '找零',
    tender: { cash: '现金', card: '银行卡', payment_code: '付款码', stored_value: '储值', points: '积分' },
    reference: '参考号',
    items: '件数',
    returned: '已退',
    scanForReturn: '退换货请出示此码',
    wecom: '扫码加企业微信，领会员福利',
    member: '会员',
    pointsEarned: '本单积分',
    pointsBalance: '积分余额',
    storedValueBalance: '储值余额',
    thanks: '谢谢惠顾，欢迎再次光临',
    perKg: '/kg',
  },
  en: {
    reprint: 'REPRINT',
    terminal: 'Till',
    number: 'No.',
    time: 'Time',
    cashier: 'Cashier',
    subtotal: 'Subtotal',
    discount: 'Discount',
    saved: 'You saved',
    rounding: 'Rounding',
    total: 'TOTAL',
    change: 'Change',
    tender: {
      cash: 'Cash',
      card: 'Card',
      payment_code: 'Payment code',
      stored_value: 'Stored value',
      points: 'Points',
    },
    reference: 'Ref',
    items: 'Items',
    returned: 'Returned',
    scanForReturn: 'Show this code for returns',
    wecom: 'Add us on WeCom for member offers',
    member: 'Member',
    pointsEarned: 'Points earned',
    pointsBalance: 'Points balance',
    storedValueBalance: 'Stored value',
    thanks: 'Thank you for shopping with us',
    perKg: '/kg',
  },
};
