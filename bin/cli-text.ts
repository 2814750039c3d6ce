// The words the `pos` command line prints for device codes, in English and zh-CN. The drivers
// below report codes (a printer status, a scale error); the CLI, like the till's screens, says
// them in the technician's language: `--lang zh-CN|en`, else POS_LANG, else LANG (zh* = Chinese).

export type CliLang = 'en' | 'zh-CN';

const TEXT: Record<string, { en: string; zh: string }> = {
  offline: { en: 'Printer is offline. Check that it is switched on.', zh: '打印机离线，请检查电源是否打开。' },
  cover_open: { en: 'Printer cover is open. Close the cover to continue.', zh: '打印机盖未关好，请合上盖子后继续。' },
  paper_out: { en: 'Printer is out of paper. Load a new roll.', zh: '打印机缺纸，请装入新纸卷。' },
  paper_near_end: { en: 'Paper roll is running low. Have a new roll ready.', zh: '纸卷即将用完，请准备新纸卷。' },
  error: {
    en: 'Printer error (cutter or print head). Switch the printer off and on.',
    zh: '打印机故障（切刀或打印头），请关闭后重新开启打印机。',
  },
  disconnected: { en: 'Printer is not connected. Check the cable or network.', zh: '打印机未连接，请检查线缆或网络。' },
  SCALE_NO_ANSWER: {
    en: 'The scale does not answer. Check its cable and power.',
    zh: '电子秤无响应，请检查线缆和电源。',
  },
  SCALE_UNSTABLE: { en: 'Weight is not stable. Keep the goods still on the scale.', zh: '重量不稳定，请将商品放稳。' },
  SCALE_NEGATIVE: { en: 'Weight is below zero. Empty the scale and press zero.', zh: '重量为负，请清空秤盘后归零。' },
  SCALE_OVERLOAD: { en: 'The scale is overloaded. Remove some goods.', zh: '电子秤超载，请减少商品。' },
  SCALE_ZERO_WEIGHT: { en: 'Nothing on the scale.', zh: '秤盘上没有商品。' },
};

export function cliLang(flag: unknown, env: NodeJS.ProcessEnv): CliLang {
  const v = (typeof flag === 'string' ? flag : (env.POS_LANG ?? env.LANG ?? '')).toLowerCase();
  return v.startsWith('zh') ? 'zh-CN' : 'en';
}

/** The sentence for a device code in `lang`; `fallback` (the driver's English words) for codes without one. */
export function cliText(code: string, lang: CliLang, fallback: string): string {
  const t = TEXT[code];
  if (!t) return fallback;
  return lang === 'zh-CN' ? t.zh : t.en;
}
