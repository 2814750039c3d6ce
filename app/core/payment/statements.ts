// The gateways' daily statements, parsed into one shape for reconciliation:
// - WeChat Pay trade bill (pay/downloadbill, bill_type=ALL): a CSV whose first line is the
//   header (交易时间,公众账号ID,商户号,…,微信订单号,商户订单号,…,交易状态,…,总金额,…,微信退款单号,
//   商户退款单号,退款金额,…), every data field prefixed with a backtick, then a summary header
//   (总交易单数,…) and its row. Amounts in yuan.
// - Alipay account statement (业务明细): lines starting with '#' are comments; the header
//   starts 支付宝交易号,商户订单号,业务类型,…; 业务类型 is 交易 or 退款; 订单金额（元） is the
//   amount (negative or positive for refunds), 退款批次号/请求号 the refund's request number.
export interface StatementRow {
  wallet: 'wechat' | 'alipay';
  kind: 'payment' | 'refund' | 'reversed';
  outTradeNo: string;
  transactionId: string;
  /** Positive fen. */
  amount: number;
  refundNo: string | null;
  at: string;
}

function csvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
      continue;
    }
    if (c === '"') q = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((f) => f.trim().replace(/^`/, ''));
}
function yuanToFen(s: string | undefined): number {
  const v = Math.round(Math.abs(Number((s ?? '').replace(/[¥,]/g, ''))) * 100);
  if (!Number.isSafeInteger(v)) throw new Error(`not an amount: ${s}`);
  return v;
}
function columns(header: string[], names: Record<string, string>): Record<string, number> {
  const idx: Record<string, number> = {};
  for (const [key, name] of Object.entries(names)) {
    const i = header.findIndex((h) => h.replace(/^\uFEFF/, '') === name);
    if (i < 0) throw new Error(`statement header has no column ${name}`);
    idx[key] = i;
  }
  return idx;
}

export function parseWechatBill(text: string): StatementRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  const header = csvLine(lines[0]!);
  const c = columns(header, {
    at: '交易时间',
    tx: '微信订单号',
    out: '商户订单号',
    state: '交易状态',
    total: '总金额',
    refundNo: '商户退款单号',
    refund: '退款金额',
  });
  const rows: StatementRow[] = [];
  for (const line of lines.slice(1)) {
    const f = csvLine(line);
    if (f[0]?.startsWith('总交易单数')) break;
    const state = f[c.state!];
    const base = {
      wallet: 'wechat' as const,
      outTradeNo: f[c.out!] ?? '',
      transactionId: f[c.tx!] ?? '',
      at: f[c.at!] ?? '',
    };
    if (state === 'REFUND')
      rows.push({ ...base, kind: 'refund', amount: yuanToFen(f[c.refund!]), refundNo: f[c.refundNo!] || null });
    else if (state === 'REVOKED')
      rows.push({ ...base, kind: 'reversed', amount: yuanToFen(f[c.total!]), refundNo: null });
    else if (state === 'SUCCESS')
      rows.push({ ...base, kind: 'payment', amount: yuanToFen(f[c.total!]), refundNo: null });
  }
  return rows;
}

export function parseAlipayStatement(text: string): StatementRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (lines.length === 0) return [];
  const header = csvLine(lines[0]!);
  const c = columns(header, {
    tx: '支付宝交易号',
    out: '商户订单号',
    type: '业务类型',
    at: '完成时间',
    amount: '订单金额（元）',
    refundNo: '退款批次号/请求号',
  });
  const rows: StatementRow[] = [];
  for (const line of lines.slice(1)) {
    const f = csvLine(line);
    if (!f[c.tx!]) continue;
    const type = f[c.type!];
    const base = {
      wallet: 'alipay' as const,
      outTradeNo: f[c.out!] ?? '',
      transactionId: f[c.tx!] ?? '',
      at: f[c.at!] ?? '',
      amount: yuanToFen(f[c.amount!]),
    };
    if (type === '交易') rows.push({ ...base, kind: 'payment', refundNo: null });
    else if (type === '退款') rows.push({ ...base, kind: 'refund', refundNo: f[c.refundNo!] || null });
  }
  return rows;
}

export interface ReconcileOrder {
  wallet: 'wechat' | 'alipay';
  outTradeNo: string;
  transactionId: string | null;
  paid: number;
  refunded: number;
}
export interface ReconcileLine {
  kind: 'missing_ours' | 'missing_theirs' | 'amount_mismatch';
  wallet: 'wechat' | 'alipay';
  outTradeNo: string;
  ours: { paid: number; refunded: number } | null;
  theirs: { paid: number; refunded: number } | null;
}

/** Matches by merchant order number: what the gateway kept (paid − refunded) against the store's sales and returns. */
export function reconcile(ours: ReconcileOrder[], theirs: StatementRow[]): { matched: number; lines: ReconcileLine[] } {
  const t = new Map<string, { wallet: 'wechat' | 'alipay'; paid: number; refunded: number }>();
  for (const r of theirs) {
    const k = `${r.wallet}:${r.outTradeNo}`;
    const e = t.get(k) ?? { wallet: r.wallet, paid: 0, refunded: 0 };
    if (r.kind === 'payment') e.paid += r.amount;
    if (r.kind === 'refund') e.refunded += r.amount;
    t.set(k, e);
  }
  const lines: ReconcileLine[] = [];
  let matched = 0;
  const seen = new Set<string>();
  for (const o of ours) {
    const k = `${o.wallet}:${o.outTradeNo}`;
    seen.add(k);
    const g = t.get(k);
    const mine = { paid: o.paid, refunded: o.refunded };
    if (!g || g.paid === 0)
      lines.push({
        kind: 'missing_theirs',
        wallet: o.wallet,
        outTradeNo: o.outTradeNo,
        ours: mine,
        theirs: g ? { paid: g.paid, refunded: g.refunded } : null,
      });
    else if (g.paid !== o.paid || g.refunded !== o.refunded)
      lines.push({
        kind: 'amount_mismatch',
        wallet: o.wallet,
        outTradeNo: o.outTradeNo,
        ours: mine,
        theirs: { paid: g.paid, refunded: g.refunded },
      });
    else matched++;
  }
  for (const [k, g] of t) {
    if (seen.has(k) || g.paid === 0) continue;
    lines.push({
      kind: 'missing_ours',
      wallet: g.wallet,
      outTradeNo: k.slice(k.indexOf(':') + 1),
      ours: null,
      theirs: { paid: g.paid, refunded: g.refunded },
    });
  }
  return { matched, lines };
}

/** The exported report (CSV, UTF-8 with BOM so spreadsheet programs read the Chinese). */
export function reconcileCsv(lines: ReconcileLine[]): string {
  const y = (f: number | undefined) => (f === undefined ? '' : (f / 100).toFixed(2));
  const rows = [
    [
      '差异 kind',
      '钱包 wallet',
      '商户订单号 out_trade_no',
      '本店实收 ours paid',
      '本店退款 ours refunded',
      '平台实收 theirs paid',
      '平台退款 theirs refunded',
    ].join(','),
  ];
  for (const l of lines)
    rows.push(
      [
        l.kind,
        l.wallet,
        l.outTradeNo,
        y(l.ours?.paid),
        y(l.ours?.refunded),
        y(l.theirs?.paid),
        y(l.theirs?.refunded),
      ].join(','),
    );
  return `\uFEFF${rows.join('\r\n')}\r\n`;
}
