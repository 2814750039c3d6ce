// The customer display feed: what the customer-facing screen (second Electron window, the web
// page at /display/, and the 2 x 20 pole display) shows. It is built only from the core's
// TillEvents and the till config, and carries no personal data: no cashier or staff names, no
// member, no tender references — just the current line, the count, the total, and after
// payment the amount paid, the change and the store's WeCom contact QR.
import type { Cart, CartLine, CustomerDisplayLine, CustomerDisplayState, TillConfig, TillEvent } from '../contract';
import { wecomContactUrl, type TerminalCore } from '../core';
import {
  columnWidth,
  fitColumns,
  twoColumns,
  type DeviceHub,
  type DeviceStatusLine,
  type PoleDisplay,
} from '../../drivers';

export type CustomerDisplayListener = (state: CustomerDisplayState) => void;

export interface CustomerDisplayOptions {
  core: Pick<TerminalCore, 'call' | 'events'>;
  /** How long the paid screen (change + QR) stays before going idle; the next scan ends it sooner. Default 60 s. */
  paidHoldMs?: number;
  logger?: { warn(obj: object, msg?: string): void };
  now?: () => Date;
}

const lineSignature = (l: CartLine) => `${l.quantity}|${l.weightGrams ?? ''}|${l.total}`;

function toDisplayLine(l: CartLine): CustomerDisplayLine {
  return {
    name: l.name,
    nameEn: l.nameEn,
    unit: l.unit,
    quantity: l.quantity,
    weightGrams: l.weightGrams,
    unitPrice: l.unitPrice,
    total: l.total,
    originalPrice: l.originalPrice,
    discounts: l.discounts.map((d) => ({ name: d.name, nameEn: d.nameEn, amount: d.amount })),
    saved: l.saved,
  };
}

export class CustomerDisplayFeed {
  private current: CustomerDisplayState;
  private readonly listeners = new Set<CustomerDisplayListener>();
  private lines = new Map<string, string>();
  private lastLineId: string | null = null;
  private paidTimer: NodeJS.Timeout | null = null;
  private queue: Promise<void> = Promise.resolve();
  private readonly qrCache = new Map<string, string>();
  private closed = false;
  private readonly paidHoldMs: number;
  private readonly now: () => Date;
  /** Resolves once the store name has been read from the config. */
  readonly ready: Promise<void>;

  constructor(private readonly opts: CustomerDisplayOptions) {
    this.paidHoldMs = opts.paidHoldMs ?? 60_000;
    this.now = opts.now ?? (() => new Date());
    this.current = {
      status: 'idle',
      storeName: '',
      lastLine: null,
      itemCount: 0,
      total: 0,
      currency: 'CNY',
      wecomQrUrl: null,
      wecomQrSvg: null,
      updatedAt: this.now().toISOString(),
      seq: 0,
    };
    opts.core.events.on('event', this.onEvent);
    this.ready = this.enqueue(async () => {
      const cfg = await this.config();
      if (cfg) this.publish({ ...this.current, storeName: cfg.storeName });
      // After a restart mid-sale the cart is still open (it lives in SQLite): show it at once
      // rather than waiting for the cashier's next scan.
      const open = await this.opts.core.call('cart.get', {}, { internal: true });
      if (open.ok && open.cart.lines.length > 0) await this.onCart(open.cart);
    });
  }

  state(): CustomerDisplayState {
    return this.current;
  }

  /** Calls `listener` with every new state; returns the unsubscribe function. */
  subscribe(listener: CustomerDisplayListener): () => void {
    this.listeners.add(listener);
    return () => this.unsubscribe(listener);
  }

  unsubscribe(listener: CustomerDisplayListener): void {
    this.listeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    this.opts.core.events.off('event', this.onEvent);
    if (this.paidTimer) clearTimeout(this.paidTimer);
    this.paidTimer = null;
    this.listeners.clear();
  }

  /** Resolves when every event received so far has been applied (tests, shutdown). */
  settled(): Promise<void> {
    return this.queue;
  }

  private readonly onEvent = (e: TillEvent): void => {
    if (e.type === 'cart.changed') {
      const cart = e.cart;
      void this.enqueue(() => this.onCart(cart));
    } else if (e.type === 'sale.completed') {
      const id = e.saleId;
      void this.enqueue(() => this.onSale(id));
    }
  };

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.queue = this.queue
      .then(() => (this.closed ? undefined : step()))
      .catch((err: unknown) => {
        this.opts.logger?.warn({ err }, 'customer display update failed');
      });
    return this.queue;
  }

  private async config(): Promise<TillConfig | null> {
    const r = await this.opts.core.call('config.get', {}, { internal: true });
    return r.ok ? r.config : null;
  }

  private async onCart(cart: Cart): Promise<void> {
    const prev = this.lines;
    this.lines = new Map(cart.lines.map((l) => [l.lineId, lineSignature(l)]));
    if (cart.lines.length === 0) {
      // The empty cart that follows a payment keeps the paid screen; a voided sale goes idle.
      this.lastLineId = null;
      if (this.current.status === 'cart') await this.goIdle();
      return;
    }
    this.clearPaidTimer();
    let line = [...cart.lines].reverse().find((l) => prev.get(l.lineId) !== lineSignature(l));
    line ??= cart.lines.find((l) => l.lineId === this.lastLineId) ?? cart.lines[cart.lines.length - 1]!;
    this.lastLineId = line.lineId;
    const cfg = await this.config();
    this.publish({
      status: 'cart',
      storeName: cfg?.storeName ?? this.current.storeName,
      lastLine: toDisplayLine(line),
      itemCount: cart.itemCount,
      saved: cart.saved,
      total: cart.total,
      currency: cart.currency,
      wecomQrUrl: null,
      wecomQrSvg: null,
      member: cart.member ? { maskedName: cart.member.maskedName, points: cart.member.points } : null,
    });
  }

  private async onSale(saleId: string): Promise<void> {
    const r = await this.opts.core.call('sales.get', { id: saleId }, { internal: true });
    if (!r.ok) return;
    const sale = r.sale;
    const cfg = await this.config();
    const base = cfg?.wecomQrUrl ?? null;
    // A member's sale: the contact QR carries the sale's state (on the store's 获客链接 when it has
    // one); a guest sees the store's static QR.
    const url = cfg && sale.wecomState ? wecomContactUrl(cfg, sale.wecomState) : base;
    this.clearPaidTimer();
    this.publish({
      status: 'paid',
      storeName: cfg?.storeName ?? this.current.storeName,
      lastLine: null,
      itemCount: sale.lines.reduce((n, l) => n + (l.unit === 'weighed' ? 1 : l.quantity), 0),
      total: sale.total,
      currency: sale.currency,
      tendered: sale.tenders.reduce((n, t) => n + t.tendered, 0),
      change: sale.change,
      wecomQrUrl: url,
      wecomQrSvg: url ? await this.qrSvg(url) : null,
      member: sale.member
        ? {
            maskedName: sale.member.maskedName,
            points: await this.memberPoints(sale.member.id),
            pointsEarned: sale.pointsEarned ?? 0,
          }
        : null,
    });
    this.paidTimer = setTimeout(() => {
      this.paidTimer = null;
      void this.enqueue(() => this.goIdle());
    }, this.paidHoldMs);
    this.paidTimer.unref?.();
  }

  private async memberPoints(memberId: string): Promise<number> {
    const r = await this.opts.core.call('members.panel', { memberId }, { internal: true });
    return r.ok ? r.member.points : 0;
  }

  private async goIdle(): Promise<void> {
    this.clearPaidTimer();
    if (this.current.status === 'idle') return;
    const cfg = await this.config();
    this.publish({
      status: 'idle',
      storeName: cfg?.storeName ?? this.current.storeName,
      lastLine: null,
      itemCount: 0,
      total: 0,
      currency: this.current.currency,
      wecomQrUrl: null,
      wecomQrSvg: null,
    });
  }

  private clearPaidTimer(): void {
    if (this.paidTimer) clearTimeout(this.paidTimer);
    this.paidTimer = null;
  }

  private async qrSvg(url: string): Promise<string> {
    let svg = this.qrCache.get(url);
    if (!svg) {
      // qrcode is loaded with the first paid screen that has a QR, not at the till's start.
      const { default: QRCode } = await import('qrcode');
      svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      this.qrCache.set(url, svg);
    }
    return svg;
  }

  private publish(next: Omit<CustomerDisplayState, 'updatedAt' | 'seq'>): void {
    this.current = { ...next, updatedAt: this.now().toISOString(), seq: this.current.seq + 1 };
    for (const l of [...this.listeners]) {
      try {
        l(this.current);
      } catch (err) {
        this.opts.logger?.warn({ err }, 'customer display listener failed');
      }
    }
  }
}

export function createCustomerDisplayFeed(opts: CustomerDisplayOptions): CustomerDisplayFeed {
  return new CustomerDisplayFeed(opts);
}

// ---- Pole display (2 x 20 VFD) ----

const COLS = 20;

/** ASCII-only displays get the English words; keep printable ASCII. */
const ascii = (s: string) =>
  s
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

function money(fen: number, cjk: boolean): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${cjk ? '￥' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** The two rows a pole display shows for a state (20 columns each). */
export function poleDisplayRows(s: CustomerDisplayState, cjk: boolean): [string, string] {
  if (s.status === 'cart' && s.lastLine) {
    const l = s.lastLine;
    const name = cjk ? l.name : ascii(l.nameEn) || ascii(l.name);
    const qty =
      l.unit === 'weighed' && l.weightGrams !== null
        ? ` ${(l.weightGrams / 1000).toFixed(3)}kg`
        : l.quantity > 1
          ? ` x${l.quantity}`
          : '';
    // The quantity stays visible: cut the name, not "x3".
    const nameRoom = COLS - money(l.total, cjk).length - 1 - qty.length - (cjk ? 1 : 0);
    const left = (nameRoom > 0 ? fitColumns(name, nameRoom, cjk).trimEnd() : '') + qty;
    return [
      twoColumns(left, money(l.total, cjk), COLS, cjk),
      twoColumns(cjk ? '合计 TOTAL' : 'TOTAL', money(s.total, cjk), COLS, cjk),
    ];
  }
  if (s.status === 'paid') {
    return [
      cjk ? '谢谢惠顾 / Thank you' : 'THANK YOU',
      twoColumns(cjk ? '找零 CHANGE' : 'CHANGE', money(s.change ?? 0, cjk), COLS, cjk),
    ];
  }
  // "鲜丰社区生鲜 Fresh Corner" is too wide for 20 columns: a Chinese display shows the Chinese words.
  let store = cjk ? s.storeName : ascii(s.storeName);
  if (cjk && columnWidth(store, true) > COLS)
    store =
      store
        .split(/\s+/)
        .filter((w) => /[^\p{ASCII}]/u.test(w))
        .join(' ') || store;
  return [cjk ? '欢迎光临 Welcome' : 'WELCOME', store];
}

export interface PoleDisplayLink {
  detach(): void;
  settled(): Promise<void>;
}

/**
 * Mirrors the feed onto the terminal's pole display (hub config kind 'display'): the current
 * line and the total while selling, "谢谢惠顾 / Thank you" and the change after payment, a
 * welcome when idle. GB18030 on displays with a Chinese font (option `cjk`, the default);
 * ASCII English otherwise. A display that is missing or unplugged is skipped and gets the
 * current state again when it reconnects; it never holds up a sale.
 */
export function attachPoleDisplay(
  feed: CustomerDisplayFeed,
  hub: Pick<DeviceHub, 'display' | 'on' | 'off'>,
  logger?: { warn(obj: object, msg?: string): void },
): PoleDisplayLink {
  let chain: Promise<void> = Promise.resolve();
  const write = (s: CustomerDisplayState) => {
    chain = chain
      .then(async () => {
        const d: PoleDisplay | null = hub.display;
        if (!d?.ready) return;
        const [a, b] = poleDisplayRows(s, d.cjk);
        await d.show(a, b);
      })
      .catch((err: unknown) => logger?.warn({ err }, 'pole display write failed'));
  };
  const unsubscribe = feed.subscribe(write);
  const onStatus = (l: DeviceStatusLine) => {
    if (l.kind === 'display' && l.status === 'ok') write(feed.state());
  };
  hub.on('device.status', onStatus);
  write(feed.state());
  return {
    detach: () => {
      unsubscribe();
      hub.off('device.status', onStatus);
    },
    settled: () => chain,
  };
}
