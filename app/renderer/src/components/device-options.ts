// Device options as a technician types them on the setup screen: `key=value, key=value`.
// Digits become numbers and true/false booleans; the core checks names and ranges per kind.
export type OptionValue = string | number | boolean;

/** "width=58, encoding=cp936" -> { width: 58, encoding: 'cp936' }; {} for blank; null when it does not parse. */
export function parseOptions(text: string): Record<string, OptionValue> | null {
  const out: Record<string, OptionValue> = {};
  for (const part of text
    .split(/[,，\n]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z][\w-]*)\s*[=:]\s*(.+)$/.exec(part);
    if (!m) return null;
    const v = m[2]!.trim();
    out[m[1]!] = /^-?\d+$/.test(v) ? Number(v) : v === 'true' ? true : v === 'false' ? false : v;
  }
  return out;
}

/** The inverse of parseOptions, for pre-filling the form. */
export const formatOptions = (o: Record<string, OptionValue>): string =>
  Object.entries(o)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
