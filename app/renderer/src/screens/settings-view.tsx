// Back office → Settings (门店设置): the store settings a manager changes (settings.get / .set):
// cash rounding, the cashier discount limit, receipt width, WeCom QR, scanner timing, time zone,
// the waste approval line and the void / no-sale reason presets. Keyboard: Tab between fields,
// Enter saves (Ctrl+Enter in the reason lists), Esc discards the edits. The core validates, audits and replicates the change to
// every till of the store (docs/reports.md, Settings).
import { Fragment, useCallback, useEffect, useState } from 'react';
import type { ReasonPreset, StoreSettings } from '../../../contract';
import type { StringKey } from '../i18n';
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

/** A select's choice: words from the dictionary, or text that reads the same in both languages. */
type Option = { value: string; label: StringKey } | { value: string; text: string };

/** One field of the form: what it edits, its label and the control that edits it. */
type Row =
  | { key: keyof Form; label: StringKey; kind: 'text'; mode?: 'numeric' | 'decimal' }
  | { key: keyof Form; label: StringKey; kind: 'select'; options: readonly Option[] }
  | { key: keyof Form; label: StringKey; kind: 'lines'; rows: number };

/** The form, section by section (a section without a legend is a lone row). */
const SECTIONS: readonly { legend: StringKey | null; rows: readonly Row[] }[] = [
  {
    legend: 'set.checkout',
    rows: [
      {
        key: 'roundingMode',
        label: 'set.rounding',
        kind: 'select',
        options: [
          { value: 'none', label: 'set.rounding.none' },
          { value: 'down', label: 'set.rounding.down' },
          { value: 'nearest', label: 'set.rounding.nearest' },
        ],
      },
      { key: 'roundingUnit', label: 'set.roundingUnit', kind: 'text', mode: 'numeric' },
      { key: 'discount', label: 'set.discount', kind: 'text', mode: 'numeric' },
      { key: 'wasteYuan', label: 'set.waste', kind: 'text', mode: 'decimal' },
    ],
  },
  {
    legend: 'set.receipt',
    rows: [
      {
        key: 'receiptWidth',
        label: 'set.receiptWidth',
        kind: 'select',
        options: [
          { value: '58', text: '58 mm' },
          { value: '80', text: '80 mm' },
        ],
      },
      { key: 'wecom', label: 'set.wecom', kind: 'text' },
    ],
  },
  {
    legend: 'set.scanner',
    rows: [
      { key: 'interKey', label: 'set.interKey', kind: 'text', mode: 'numeric' },
      { key: 'minLength', label: 'set.minLength', kind: 'text', mode: 'numeric' },
    ],
  },
  { legend: null, rows: [{ key: 'timeZone', label: 'set.timeZone', kind: 'text' }] },
  {
    legend: 'set.reasons',
    rows: [
      { key: 'voidReasons', label: 'set.voidReasons', kind: 'lines', rows: 5 },
      { key: 'noSaleReasons', label: 'set.noSaleReasons', kind: 'lines', rows: 4 },
    ],
  },
];

/** A select may only hold one of its options (the form's types say which). */
function pickOption(form: Form, row: Extract<Row, { kind: 'select' }>, value: string): Form {
  return row.options.some((o) => o.value === value) ? { ...form, [row.key]: value } : form;
}

function SettingRow(props: {
  row: Row;
  form: Form;
  autoFocus: boolean;
  onChange(form: Form): void;
  onCtrlEnter(): void;
}) {
  const { t } = useApp();
  const { row, form, onChange } = props;
  const id = `set-${row.key}`;
  const value = form[row.key];
  let control;
  if (row.kind === 'select')
    control = (
      <select
        data-testid={id}
        autoFocus={props.autoFocus}
        value={value}
        onChange={(e) => onChange(pickOption(form, row, e.target.value))}
      >
        {row.options.map((o) => (
          <option key={o.value} value={o.value}>
            {'label' in o ? t(o.label) : o.text}
          </option>
        ))}
      </select>
    );
  else if (row.kind === 'lines')
    control = (
      <textarea
        data-testid={id}
        rows={row.rows}
        value={value}
        onChange={(e) => onChange({ ...form, [row.key]: e.target.value })}
        onKeyDown={(e) => {
          if (e.key !== 'Enter' || !e.ctrlKey) return;
          e.preventDefault();
          props.onCtrlEnter();
        }}
      />
    );
  else
    control = (
      <input
        data-testid={id}
        inputMode={row.mode}
        value={value}
        onChange={(e) => onChange({ ...form, [row.key]: e.target.value })}
      />
    );
  return (
    <label>
      {t(row.label)}
      {control}
    </label>
  );
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
  const first = SECTIONS[0]?.rows[0]?.key;
  const rowsOf = (rows: readonly Row[]) =>
    rows.map((row) => (
      <SettingRow
        key={row.key}
        row={row}
        form={form}
        autoFocus={row.key === first}
        onChange={setForm}
        onCtrlEnter={() => void save()}
      />
    ));

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
      {SECTIONS.map((section, i) =>
        section.legend ? (
          <fieldset key={section.legend}>
            <legend>{t(section.legend)}</legend>
            {rowsOf(section.rows)}
          </fieldset>
        ) : (
          <Fragment key={i}>{rowsOf(section.rows)}</Fragment>
        ),
      )}
      <button type="submit" className="primary" data-testid="set-save">
        {t('set.save')}
      </button>
    </form>
  );
}
