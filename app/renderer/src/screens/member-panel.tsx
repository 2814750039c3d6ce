// The member on the till screen: Alt+M finds a member by phone (the numpad entry, or a prompt),
// a scanned member code attaches one by itself, Shift+Alt+M removes the member from the sale. The
// panel shows the masked name and phone, level, points, tags, WeCom, the last visits, usual items
// and the repurchase hints, with the rule that made each hint.
import { useEffect, useState } from 'react';
import type { MemberPanel as MemberPanelData, StoredValueBalance } from '../../../contract';
import { useApp } from '../app-context';
import type { Ask } from '../components/prompt';
import { formatFen, parseYuan } from '../format';
import type { TillCart } from './use-till-cart';

export interface MemberActions {
  find(): Promise<void>;
  /** Attaches a member found another way (the cashier confirmed a face match). */
  attach(memberId: string): Promise<void>;
  detach(): Promise<void>;
  /** Alt+T: stored-value top-up (储值充值) for the member on the cart, paid in cash or by card. */
  topUp(): Promise<void>;
}

export function useMemberActions(deps: {
  till: TillCart;
  ask: Ask;
  entry: string;
  setEntry(e: string): void;
  /** The member's balance changed (a top-up): the panel reads it again. */
  balanceChanged?(): void;
}): MemberActions {
  const { api, t, showError, clearError, showInfo } = useApp();
  const { till, ask, entry, setEntry } = deps;
  return {
    async topUp() {
      clearError();
      const memberId = till.cart?.member?.id;
      if (!memberId) {
        await this.find();
        return;
      }
      await ask({
        title: t('sv.title'),
        testid: 'topup-dialog',
        fields: [
          { name: 'amount', label: t('sv.amount'), kind: 'yuan', testid: 'topup-amount' },
          { name: 'cash', label: t('sv.cashTendered'), kind: 'yuan', testid: 'topup-cash' },
          { name: 'code', label: t('sv.code'), kind: 'digits', testid: 'topup-code' },
          { name: 'pin', label: t('sv.pin'), kind: 'pin', testid: 'topup-pin' },
        ],
        onSubmit: async (v) => {
          const amount = parseYuan(v.amount ?? '');
          if (amount === null || amount <= 0) throw new Error(t('err.field', { field: t('sv.amount') }));
          // A scanned payment code pays the whole top-up; otherwise cash (empty = exact).
          const code = (v.code ?? '').replace(/\D/g, '');
          const cash = v.cash ? parseYuan(v.cash) : amount;
          if (!code && (cash === null || cash < amount))
            throw new Error(t('err.field', { field: t('sv.cashTendered') }));
          const pin = v.pin?.trim();
          const r = await api.call('members.topUp', {
            memberId,
            amount,
            tenders: [code ? { type: 'payment_code', amount, code } : { type: 'cash', amount: cash ?? amount }],
            ...(pin ? { pin } : {}),
          });
          showInfo(
            t('sv.done', {
              amount: formatFen(r.amount),
              bonus: formatFen(r.bonus),
              balance: formatFen(r.balance.balance),
            }),
          );
          deps.balanceChanged?.();
        },
      });
    },
    async find() {
      clearError();
      let phone = /^\d{6,15}$/.test(entry) ? entry : '';
      setEntry('');
      if (!phone) {
        const v = await ask({
          title: t('member.phoneTitle'),
          testid: 'member-phone-dialog',
          fields: [{ name: 'phone', label: t('member.phone'), kind: 'digits', testid: 'member-phone-input' }],
        });
        phone = v?.phone ?? '';
        if (!phone) return;
      }
      try {
        const { member } = await api.call('members.identify', { phone });
        const r = await till.serial(() => api.call('cart.setMember', { memberId: member.id }));
        till.setCart(r.cart);
      } catch (err) {
        showError(err);
      }
    },
    async attach(memberId: string) {
      clearError();
      try {
        const r = await till.serial(() => api.call('cart.setMember', { memberId }));
        till.setCart(r.cart);
      } catch (err) {
        showError(err);
      }
    },
    async detach() {
      clearError();
      try {
        const r = await till.serial(() => api.call('cart.setMember', { memberId: null }));
        till.setCart(r.cart);
      } catch (err) {
        showError(err);
      }
    },
  };
}

export function MemberPanel({
  memberId,
  onFind,
  onTopUp,
  version,
}: {
  memberId: string | null;
  onFind(): void;
  onTopUp(): void;
  /** Changes when the cart changes (after a sale or a top-up the balance is read again). */
  version?: string;
}) {
  const { api, t, lang, showError } = useApp();
  const [m, setM] = useState<MemberPanelData | null>(null);
  const [sv, setSv] = useState<StoredValueBalance | null>(null);
  useEffect(() => {
    let live = true;
    if (!memberId) {
      setSv(null);
      return;
    }
    api
      .call('members.storedValue', { memberId })
      .then((r) => live && setSv(r.balance))
      .catch(() => live && setSv(null));
    return () => {
      live = false;
    };
  }, [api, memberId, version]);
  useEffect(() => {
    let live = true;
    if (!memberId) {
      setM(null);
      return;
    }
    api
      .call('members.panel', { memberId })
      .then((r) => live && setM(r.member))
      .catch((err: unknown) => live && showError(err));
    return () => {
      live = false;
    };
  }, [api, memberId, showError]);

  if (!memberId || !m)
    return (
      <div className="member-panel empty" data-testid="member-panel-empty">
        <button type="button" data-testid="member-button" onClick={onFind}>
          {t('member.button')}
        </button>
      </div>
    );
  const name = (x: { name: string; nameEn: string }) => (lang === 'zh-CN' ? x.name : x.nameEn || x.name);
  return (
    <div className="member-panel" data-testid="member-panel">
      <div className="member-head">
        <b data-testid="member-name">{m.maskedName ?? t('member.title')}</b>
        {m.maskedPhone && <span data-testid="member-phone">{m.maskedPhone}</span>}
        <span data-testid="member-level">
          {t('member.level')}: {m.level ?? '—'}
        </span>
        <span data-testid="member-points">
          {t('member.points')}: {m.points}
        </span>
        {m.wecomLinked && <span data-testid="member-wecom">{t('member.wecom')}</span>}
        {sv && (
          <span data-testid="member-stored-value" data-balance={sv.balance}>
            {t('sv.balance', { balance: formatFen(sv.balance) })}
          </span>
        )}
        <button type="button" data-testid="member-topup" onClick={onTopUp}>
          {t('sv.topUp')}
        </button>
      </div>
      {!m.local && <div className="member-note">{t('member.remote')}</div>}
      {m.tags.length > 0 && (
        <div className="member-tags" data-testid="member-tags">
          {t('member.tags')}: {m.tags.join(' · ')}
        </div>
      )}
      {m.repurchaseDue.map((d) => (
        <div key={d.sku} className="member-due" data-testid="member-due">
          {t('member.due', { name: name(d), interval: d.intervalDays, days: d.daysSince })}
        </div>
      ))}
      <div className="member-cols">
        <div>
          <small>{t('member.visits')}</small>
          {m.visits.length === 0 && <div>{t('member.noVisits')}</div>}
          <ol data-testid="member-visits">
            {m.visits.map((v) => (
              <li key={v.saleId}>
                {v.createdAt.slice(5, 10)} {formatFen(v.total)}
              </li>
            ))}
          </ol>
        </div>
        {m.usualItems.length > 0 && (
          <div>
            <small>{t('member.usual')}</small>
            <ol data-testid="member-usual">
              {m.usualItems.map((u) => (
                <li key={u.sku}>
                  {name(u)} {t('member.times', { n: u.times })}
                </li>
              ))}
            </ol>
          </div>
        )}
      </div>
    </div>
  );
}
