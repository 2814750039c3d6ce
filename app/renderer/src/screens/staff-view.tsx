// The back office's staff list: add a staff member (name, role, PIN), disable / re-enable, change
// role, reset a PIN (the member chooses a new one at next login), and per-staff sales and voids
// for a date range (reports.sales by staff). Keyboard: ↑/↓ pick a row, Insert adds, R resets the
// PIN, D disables or re-enables.
import { useCallback, useEffect, useState } from 'react';
import type { Role, SalesReport, StaffMember } from '../../../contract';
import { LAYER, useApp, useKeyScope } from '../app-context';
import { usePrompt } from '../components/prompt';
import { formatFen, formatTime } from '../format';

const ROLES: Role[] = ['cashier', 'manager'];

export function StaffView() {
  const { api, t, staff: me, showError, showInfo } = useApp();
  const [ask, promptEl] = usePrompt();
  const [members, setMembers] = useState<StaffMember[]>([]);
  const [sales, setSales] = useState<SalesReport | null>(null);
  const [sel, setSel] = useState(0);

  const load = useCallback(async () => {
    try {
      setMembers((await api.call('staff.members', {})).staff);
      setSales((await api.call('reports.sales', { groupBy: 'staff' })).report);
    } catch (err) {
      showError(err);
    }
  }, [api, showError]);
  useEffect(() => {
    void load();
  }, [load]);

  const roleOptions = ROLES.map((r) => ({ value: r, label: t(`staff.role.${r}`) }));
  const add = async () => {
    const v = await ask({
      title: t('staff.add'),
      testid: 'staff-add-dialog',
      fields: [
        { name: 'name', label: t('staff.name'), kind: 'text', testid: 'staff-name' },
        { name: 'nameEn', label: t('staff.nameEn'), kind: 'text', testid: 'staff-name-en' },
        { name: 'role', label: t('staff.roleLabel'), kind: 'text', testid: 'staff-role', options: roleOptions },
        { name: 'pin', label: t('staff.pin'), kind: 'pin', testid: 'staff-pin' },
      ],
      onSubmit: async (x) => {
        await api.call('staff.add', {
          name: x['name'] ?? '',
          ...(x['nameEn'] ? { nameEn: x['nameEn'] } : {}),
          role: (x['role'] as Role) ?? 'cashier',
          pin: x['pin'] ?? '',
        });
      },
    });
    if (v) {
      showInfo((tr) => tr('staff.added', { name: v['name'] ?? '' }));
      await load();
    }
  };
  const act = async (m: StaffMember, what: 'toggle' | 'reset' | 'role') => {
    try {
      if (what === 'toggle') await api.call(m.active ? 'staff.disable' : 'staff.enable', { staffId: m.id });
      if (what === 'reset') {
        const v = await ask({
          title: t('staff.resetPin'),
          message: t('staff.resetMessage', { name: m.name }),
          testid: 'staff-reset-dialog',
          fields: [{ name: 'pin', label: t('staff.tempPin'), kind: 'pin', testid: 'staff-temp-pin' }],
          onSubmit: async (x) => {
            await api.call('staff.resetPin', { staffId: m.id, pin: x['pin'] ?? '' });
          },
        });
        if (!v) return;
      }
      if (what === 'role') {
        const v = await ask({
          title: t('staff.roleLabel'),
          fields: [
            {
              name: 'role',
              label: m.name,
              kind: 'text',
              testid: 'staff-new-role',
              initial: m.role,
              options: roleOptions,
            },
          ],
          onSubmit: async (x) => {
            await api.call('staff.setRole', { staffId: m.id, role: (x['role'] as Role) ?? m.role });
          },
        });
        if (!v) return;
      }
      await load();
    } catch (err) {
      showError(err);
    }
  };

  useKeyScope(LAYER.screen, {
    onKey: (k) => {
      const m = members[sel];
      if (k === 'ArrowDown' || k === 'ArrowUp') {
        setSel((i) => Math.max(0, Math.min(members.length - 1, i + (k === 'ArrowDown' ? 1 : -1))));
        return true;
      }
      if (k === 'Insert') {
        void add();
        return true;
      }
      if (m && m.id !== me?.id && (k === 'r' || k === 'R')) {
        void act(m, 'reset');
        return true;
      }
      if (m && m.id !== me?.id && (k === 'd' || k === 'D')) {
        void act(m, 'toggle');
        return true;
      }
      return false;
    },
  });

  const figures = new Map(sales?.rows.map((r) => [r.key, r]) ?? []);
  return (
    <div data-testid="staff-view">
      {promptEl}
      <div className="row reports-bar">
        <button type="button" data-testid="staff-add" onClick={() => void add()}>
          {t('staff.add')} Ins
        </button>
        <span className="muted">{sales ? t('staff.salesOf', { from: sales.from, to: sales.to }) : ''}</span>
      </div>
      <table className="list" data-testid="staff-list">
        <thead>
          <tr>
            <th>{t('staff.name')}</th>
            <th>{t('staff.roleLabel')}</th>
            <th>{t('staff.state')}</th>
            <th className="num">{t('ff.transactions')}</th>
            <th className="num">{t('rep.col.sales')}</th>
            <th className="num">{t('rep.voids')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {members.map((m, i) => {
            const f = figures.get(m.id);
            return (
              <tr
                key={m.id}
                data-testid="staff-row"
                data-staff={m.id}
                data-active={m.active}
                className={`${i === sel ? 'on' : ''} ${m.active ? '' : 'muted'}`}
                onClick={() => setSel(i)}
              >
                <td>
                  {m.name}
                  {m.nameEn !== m.name ? ` · ${m.nameEn}` : ''}
                </td>
                <td>{t(`staff.role.${m.role}`)}</td>
                <td>
                  {m.active
                    ? t('staff.active')
                    : t('staff.disabled', { at: m.disabledAt ? formatTime(m.disabledAt) : '' })}
                  {m.mustChangePin ? ` · ${t('staff.pinPending')}` : ''}
                </td>
                <td className="num">{f?.transactions ?? 0}</td>
                <td className="num">{formatFen(f?.sales ?? 0)}</td>
                <td className="num">
                  {f?.voids ?? 0} · {formatFen(f?.voidAmount ?? 0)}
                </td>
                <td>
                  {m.id !== me?.id && (
                    <>
                      <button type="button" data-testid="staff-toggle" onClick={() => void act(m, 'toggle')}>
                        {m.active ? t('staff.disable') : t('staff.enable')}
                      </button>{' '}
                      <button type="button" data-testid="staff-reset" onClick={() => void act(m, 'reset')}>
                        {t('staff.resetPin')}
                      </button>{' '}
                      {m.role !== 'technician' && (
                        <button type="button" data-testid="staff-role-change" onClick={() => void act(m, 'role')}>
                          {t('staff.roleLabel')}
                        </button>
                      )}
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
