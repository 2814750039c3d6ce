// Back office → Settings (门店设置): the store settings a manager changes (settings.get / .set):
// cash rounding, the cashier discount limit, receipt width, WeCom QR, scanner timing, time zone,
// the waste approval line and the void / no-sale reason presets. Keyboard: Tab between fields,
// Enter saves (Ctrl+Enter in the reason lists), Esc discards the edits. The core validates, audits and replicates the change to
// every till of the store (docs/reports.md, Settings).
import { useCallback, useEffect, useState } from 'react';
import type { ReasonPreset, StoreSettings } from '../../../contract';
import { LAYER, useApp, useKeyScope } from '../app-context';

interface Form {
  roundingMode: 'none' | 'down' | 'nearest';
  roundingUnit: string;
  discount: string;
  receiptWidth: '58' | '80';
  wecom: string;
  interKey: string;
  minLength: string;
  timeZone: string;
  wasteYuan: string;
  voidReasons: string;
  noSaleReasons: string;
}

/** One preset per line: `code | 中文 | English`. */
const presetsText = (list: ReasonPreset[]) => list.map((r) => `${r.code} | ${r.zh} | ${r.en}`).join('\n');
const presetsOf = (text: string): ReasonPreset[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [code = '', zh = '', en = ''] = l.split('|').map((x) => x.trim());
      return { code, zh, en };
    });

function formOf(s: StoreSettings): Form {
  return {
    roundingMode: s.cashRounding.mode,
    roundingUnit: String(s.cashRounding.unit),
    discount: String(s.maxCashierDiscountPercent),
    receiptWidth: s.receiptWidth === 80 ? '80' : '58',
    wecom: s.wecomQrUrl ?? '',
    interKey: String(s.wedge.maxInterKeyMs),
    minLength: String(s.wedge.minLength),
    timeZone: s.timeZone,
    wasteYuan: (s.wasteApprovalFen / 100).toFixed(2),
    voidReasons: presetsText(s.reasons.void),
    noSaleReasons: presetsText(s.reasons.noSale),
  };
}

function patchOf(f: Form, s: StoreSettings): Record<string, unknown> {
  return {
    cashRounding: { mode: f.roundingMode, unit: Number(f.roundingUnit) },
    maxCashierDiscountPercent: Number(f.discount),
    receiptWidth: Number(f.receiptWidth),
    wecomQrUrl: f.wecom.trim() === '' ? null : f.wecom.trim(),
    wedge: { ...s.wedge, maxInterKeyMs: Number(f.interKey), minLength: Number(f.minLength) },
    timeZone: f.timeZone.trim(),
    wasteApprovalFen: Math.round(Number(f.wasteYuan) * 100),
    reasons: { void: presetsOf(f.voidReasons), noSale: presetsOf(f.noSaleReasons) },
  };
}

export function SettingsView() {
  const { api, t, showError, showInfo } = useApp();
  const [settings, setSettings] = useState<StoreSettings | null>(null);
  const [form, setForm] = useState<Form | null>(null);

  const load = useCallback(async () => {
    try {
      const s = (await api.call('settings.get', {})).settings;
      setSettings(s);
      setForm(formOf(s));
    } catch (err) {
      showError(err);
    }
  }, [api, showError]);
  useEffect(() => void load(), [load]);

  useKeyScope(LAYER.screen, {
    onKey: (k) => {
      if (k !== 'Escape' || !settings) return false;
      setForm(formOf(settings));
      return true;
    },
  });

  if (!form || !settings) return null;
  const set = (k: keyof Form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const save = async () => {
    try {
      const r = await api.call('settings.set', { patch: patchOf(form, settings) });
      setSettings(r.settings);
      setForm(formOf(r.settings));
      showInfo((tr) => (r.changed.length ? tr('set.saved', { n: String(r.changed.length) }) : tr('set.unchanged')));
    } catch (err) {
      showError(err);
    }
  };
  const ctrlEnter = (e: { key: string; ctrlKey: boolean; preventDefault(): void }) => {
    if (e.key !== 'Enter' || !e.ctrlKey) return;
    e.preventDefault();
    void save();
  };
  const text = (k: keyof Form, label: string, mode?: 'numeric' | 'decimal') => (
    <label>
      {label}
      <input data-testid={`set-${k}`} inputMode={mode} value={form[k]} onChange={set(k)} />
    </label>
  );

  return (
    <form
      className="settings-form"
      data-testid="settings-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <p className="hint">{t('set.hint')}</p>
      <fieldset>
        <legend>{t('set.checkout')}</legend>
        <label>
          {t('set.rounding')}
          <select
            data-testid="set-roundingMode"
            autoFocus
            value={form.roundingMode}
            onChange={(e) => setForm({ ...form, roundingMode: e.target.value as Form['roundingMode'] })}
          >
            <option value="none">{t('set.rounding.none')}</option>
            <option value="down">{t('set.rounding.down')}</option>
            <option value="nearest">{t('set.rounding.nearest')}</option>
          </select>
        </label>
        {text('roundingUnit', t('set.roundingUnit'), 'numeric')}
        {text('discount', t('set.discount'), 'numeric')}
        {text('wasteYuan', t('set.waste'), 'decimal')}
      </fieldset>
      <fieldset>
        <legend>{t('set.receipt')}</legend>
        <label>
          {t('set.receiptWidth')}
          <select
            data-testid="set-receiptWidth"
            value={form.receiptWidth}
            onChange={(e) => setForm({ ...form, receiptWidth: e.target.value === '80' ? '80' : '58' })}
          >
            <option value="58">58 mm</option>
            <option value="80">80 mm</option>
          </select>
        </label>
        {text('wecom', t('set.wecom'))}
      </fieldset>
      <fieldset>
        <legend>{t('set.scanner')}</legend>
        {text('interKey', t('set.interKey'), 'numeric')}
        {text('minLength', t('set.minLength'), 'numeric')}
      </fieldset>
      {text('timeZone', t('set.timeZone'))}
      <fieldset>
        <legend>{t('set.reasons')}</legend>
        <label>
          {t('set.voidReasons')}
          <textarea
            data-testid="set-voidReasons"
            rows={5}
            value={form.voidReasons}
            onChange={set('voidReasons')}
            onKeyDown={ctrlEnter}
          />
        </label>
        <label>
          {t('set.noSaleReasons')}
          <textarea
            data-testid="set-noSaleReasons"
            rows={4}
            value={form.noSaleReasons}
            onChange={set('noSaleReasons')}
            onKeyDown={ctrlEnter}
          />
        </label>
      </fieldset>
      <button type="submit" className="primary" data-testid="set-save">
        {t('set.save')}
      </button>
    </form>
  );
}
