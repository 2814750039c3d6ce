// The member on the till screen: Alt+M finds a member by phone (the numpad entry, or a prompt),
// a scanned member code attaches one by itself, Shift+Alt+M removes the member from the sale. The
// panel shows the masked name and phone, level, points, tags, WeCom, the last visits, usual items
// and the repurchase hints, with the rule that made each hint.
import { useEffect, useState } from 'react';
import type { MemberPanel as MemberPanelData } from '../../../contract';
import { useApp } from '../app-context';
import type { Ask } from '../components/prompt';
import { formatFen } from '../format';
import type { TillCart } from './use-till-cart';

export interface MemberActions {
  find(): Promise<void>;
  /** Attaches a member found another way (the cashier confirmed a face match). */
  attach(memberId: string): Promise<void>;
  detach(): Promise<void>;
}

export function useMemberActions(deps: {
  till: TillCart;
  ask: Ask;
  entry: string;
  setEntry(e: string): void;
}): MemberActions {
  const { api, t, showError, clearError } = useApp();
  const { till, ask, entry, setEntry } = deps;
  return {
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

export function MemberPanel({ memberId, onFind }: { memberId: string | null; onFind(): void }) {
  const { api, t, lang, showError } = useApp();
  const [m, setM] = useState<MemberPanelData | null>(null);
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
