// Customer display page: a read-only view of the till's customer display feed. In Electron the
// sandboxed preload gives `window.posDisplay` (state only, nothing else); in a browser the key
// comes from the URL fragment (#key=…, never sent to a server in Referer or logs) and the page
// reads /display/state and /display/events. Built by the same vite build as the till screen.
import type { CustomerDisplayState } from '../../contract';
import { en, zhCN, type StringKey } from '../src/i18n';
import { formatFen, formatGrams } from '../src/format';
import './display.css';

interface DisplayBridge {
  getState(): Promise<CustomerDisplayState>;
  onState(cb: (s: CustomerDisplayState) => void): () => void;
}
declare global {
  interface Window {
    posDisplay?: DisplayBridge;
  }
}

const root = document.getElementById('display')!;
let shown = -1;

function el(tag: string, cls: string, testId?: string, text?: string): HTMLElement {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (testId) e.dataset.testid = testId;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Chinese above, English below, in one element. */
function both(key: StringKey, cls: string, testId?: string, params?: Record<string, string | number>): HTMLElement {
  const fill = (s: string) =>
    params ? s.replace(/\{(\w+)\}/g, (m, n: string) => (n in params ? String(params[n]) : m)) : s;
  const e = el('div', cls, testId);
  e.append(el('span', 'zh', undefined, fill(zhCN[key])), el('span', 'en', undefined, fill(en[key])));
  return e;
}

function message(key: StringKey, status: string): void {
  root.dataset.status = status;
  root.replaceChildren(both(key, 'message', 'display-message'));
}

function render(s: CustomerDisplayState): void {
  if (s.seq < shown) return;
  shown = s.seq;
  root.dataset.status = s.status;
  root.dataset.seq = String(s.seq);
  const body = el('section', 'body');
  if (s.status === 'cart' && s.lastLine) {
    const l = s.lastLine;
    const line = el('div', 'line', 'display-line');
    const name = el('div', '', 'display-line-name');
    name.append(el('span', 'zh', undefined, l.name), el('span', 'en', undefined, l.nameEn));
    const detail =
      l.unit === 'weighed' && l.weightGrams !== null
        ? `${formatGrams(l.weightGrams)} × ${formatFen(l.unitPrice)}/kg`
        : `${l.quantity} × ${formatFen(l.unitPrice)}`;
    const row = el('div', 'row');
    row.append(
      el('div', 'line-detail', 'display-line-detail', detail),
      el('div', 'line-total', 'display-line-total', formatFen(l.total)),
    );
    line.append(name, row);
    const total = el('div', 'row total');
    const label = both('display.total', '');
    label.append(
      el(
        'span',
        'count',
        'display-count',
        `${zhCN['display.items'].replace('{n}', String(s.itemCount))} · ${en['display.items'].replace('{n}', String(s.itemCount))}`,
      ),
    );
    total.append(label, el('div', 'amount', 'display-total', formatFen(s.total)));
    body.append(line, total);
    if (s.member)
      body.append(
        both('display.member', 'member', 'display-member', {
          name: s.member.maskedName ?? '***',
          points: s.member.points,
        }),
      );
  } else if (s.status === 'paid') {
    const wrap = el('div', 'paid');
    const text = el('div', 'paid-text');
    text.append(both('display.thanks', 'thanks', 'display-thanks'));
    // 合计 is what was due; 实收 is what the customer handed over (the change is the difference).
    const due = el('div', 'row total');
    due.append(both('display.total', ''), el('div', 'amount', 'display-paid-total', formatFen(s.total)));
    const paid = el('div', 'row total');
    paid.append(both('display.paid', ''), el('div', 'amount', 'display-paid', formatFen(s.tendered ?? s.total)));
    const change = el('div', 'row total');
    change.append(both('display.change', ''), el('div', 'amount', 'display-change', formatFen(s.change ?? 0)));
    text.append(due, paid, change);
    if (s.member)
      text.append(
        both('display.memberEarned', 'member', 'display-member', {
          earned: s.member.pointsEarned ?? 0,
          points: s.member.points,
        }),
      );
    wrap.append(text);
    if (s.wecomQrSvg) {
      const qr = el('figure', 'qr', 'display-qr');
      const img = document.createElement('img');
      img.dataset.testid = 'display-qr-img';
      img.alt = 'WeCom QR';
      img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(s.wecomQrSvg)}`;
      qr.append(img, both('display.wecom', ''));
      wrap.append(qr);
    }
    body.append(wrap);
  } else {
    body.append(both('display.welcome', 'welcome', 'display-welcome'));
  }
  root.replaceChildren(el('header', 'store', 'display-store', s.storeName), body);
}

async function runElectron(bridge: DisplayBridge): Promise<void> {
  bridge.onState(render);
  render(await bridge.getState());
}

function runWeb(): void {
  const key = new URLSearchParams(location.hash.replace(/^#/, '')).get('key');
  if (!key) {
    message('display.noKey', 'no-key');
    return;
  }
  const q = `?key=${encodeURIComponent(key)}`;
  let source: EventSource | null = null;
  const connect = async (): Promise<void> => {
    try {
      const res = await fetch(`/display/state${q}`, { cache: 'no-store' });
      if (res.status === 401) {
        message('display.badKey', 'bad-key');
        return;
      }
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      render(((await res.json()) as { state: CustomerDisplayState }).state);
    } catch {
      if (shown < 0) message('display.offline', 'connecting');
      setTimeout(() => void connect(), 3000);
      return;
    }
    source = new EventSource(`/display/events${q}`);
    source.onmessage = (m) => {
      try {
        render(JSON.parse(m.data as string) as CustomerDisplayState);
      } catch {
        /* next state brings the truth */
      }
    };
    source.onerror = () => {
      // EventSource retries by itself unless the server refused it (e.g. the key changed with a restart).
      if (source?.readyState === EventSource.CLOSED) {
        source = null;
        setTimeout(() => void connect(), 3000);
      }
    };
  };
  message('display.offline', 'connecting');
  void connect();
}

if (window.posDisplay) void runElectron(window.posDisplay).catch(() => message('display.offline', 'connecting'));
else runWeb();
