// Back office → Replenishment → ordering parameters (订货参数): per product the case pack, the lead
// time and the service level the suggestion uses. Keyboard: Enter saves the row and moves to the
// next field; an empty service level goes back to the ratio from the product's margin and shelf
// life (shown beside it).
import { useEffect, useRef, useState } from 'react';
import type { ReplenishmentItem } from '../../../contract';
import { useApp } from '../app-context';

interface RowEdit {
  casePack: string;
  leadDays: string;
  serviceLevel: string;
}

function editOf(i: ReplenishmentItem): RowEdit {
  return {
    casePack: i.unit === 'weighed' ? String(i.casePack / 1000) : String(i.casePack),
    leadDays: String(i.leadDays),
    serviceLevel: i.serviceLevel === null ? '' : String(Math.round(i.serviceLevel * 100)),
  };
}

/** The row's input as setItem fields, or null when a field is not valid. */
function parseRow(i: ReplenishmentItem, e: RowEdit) {
  const pack = Number(e.casePack);
  const casePack = i.unit === 'weighed' ? Math.round(pack * 1000) : pack;
  const leadDays = Number(e.leadDays);
  const level = e.serviceLevel.trim() === '' ? null : Number(e.serviceLevel);
  if (!Number.isInteger(casePack) || casePack < 1 || casePack > 100_000) return null;
  if (!Number.isInteger(leadDays) || leadDays < 0 || leadDays > 14) return null;
  if (level !== null && !(Number.isInteger(level) && level >= 50 && level <= 98)) return null;
  return { casePack, leadDays, serviceLevel: level === null ? null : level / 100 };
}

const FIELDS = ['casePack', 'leadDays', 'serviceLevel'] as const;

export function ReplenishmentParameters() {
  const { api, t, lang, showError, showInfo } = useApp();
  const [items, setItems] = useState<ReplenishmentItem[] | null>(null);
  const [edits, setEdits] = useState<Record<string, RowEdit>>({});
  const inputs = useRef<(HTMLInputElement | null)[]>([]);

  useEffect(() => {
    let cancelled = false;
    api
      .call('replenishment.items', {})
      .then((r) => {
        if (cancelled) return;
        setItems(r.items);
        setEdits(Object.fromEntries(r.items.map((i) => [i.sku, editOf(i)])));
      })
      .catch((err: unknown) => {
        if (!cancelled) showError(err);
      });
    return () => {
      cancelled = true;
    };
  }, [api, showError]);

  if (!items) return <p className="muted">{t('repl.loading')}</p>;

  const save = async (item: ReplenishmentItem) => {
    const edit = edits[item.sku];
    const parsed = edit ? parseRow(item, edit) : null;
    if (!parsed) return;
    const same =
      parsed.casePack === item.casePack &&
      parsed.leadDays === item.leadDays &&
      parsed.serviceLevel === item.serviceLevel;
    if (same) return;
    try {
      const saved = (await api.call('replenishment.setItem', { sku: item.sku, ...parsed })).item;
      setItems((all) => all?.map((x) => (x.sku === saved.sku ? saved : x)) ?? null);
      setEdits((all) => ({ ...all, [saved.sku]: editOf(saved) }));
      showInfo(t('repl.paramsSaved', { name: lang === 'en' ? saved.nameEn : saved.name }));
    } catch (err) {
      showError(err);
    }
  };

  return (
    <table className="list" data-testid="repl-params">
      <thead>
        <tr>
          <th>{t('till.col.item')}</th>
          <th>{t('repl.supplier')}</th>
          <th>{t('repl.casePack')}</th>
          <th>{t('repl.leadDays')}</th>
          <th>{t('repl.serviceLevel')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item, row) => {
          const edit = edits[item.sku] ?? editOf(item);
          const bad = parseRow(item, edit) === null;
          return (
            <tr key={item.sku} data-testid="repl-param-row" data-sku={item.sku} className={bad ? 'warn' : ''}>
              <td>{lang === 'en' ? item.nameEn : item.name}</td>
              <td className="detail">{item.supplier}</td>
              {FIELDS.map((field, col) => {
                const i = row * FIELDS.length + col;
                return (
                  <td key={field}>
                    <input
                      ref={(el) => {
                        inputs.current[i] = el;
                      }}
                      data-testid={`repl-param-${field}`}
                      inputMode="decimal"
                      size={5}
                      aria-label={`${t(`repl.${field}`)} ${item.name}`}
                      placeholder={field === 'serviceLevel' ? String(Math.round(item.criticalRatio * 100)) : ''}
                      value={edit[field]}
                      onChange={(e) => setEdits({ ...edits, [item.sku]: { ...edit, [field]: e.target.value } })}
                      onKeyDown={(e) => {
                        if (e.key !== 'Enter') return;
                        e.preventDefault();
                        void save(item);
                        inputs.current[i + 1]?.focus();
                      }}
                    />
                    {field === 'casePack' && item.unit === 'weighed' ? ' kg' : ''}
                    {field === 'leadDays' ? ` ${t('repl.days')}` : ''}
                    {field === 'serviceLevel' ? ' %' : ''}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
      <tfoot>
        <tr>
          <td colSpan={5} className="muted">
            {t('repl.paramsHelp')}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
