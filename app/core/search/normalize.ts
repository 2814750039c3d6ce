// One normalisation for indexed text and queries, so both sides compare the same way:
// NFKC (full-width letters/digits from an IME become ASCII), lower case, single spaces, and
// none of the separator characters the index uses internally.

// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/g;
const SPACES = /\s+/g;

const PLAIN = /^[!-~]*$/;

export function normalizeText(s: string | undefined | null): string {
  if (typeof s !== 'string' || s.length === 0) return '';
  // Printable ASCII without spaces is already NFKC and trimmed: the common case for SKUs, codes, pinyin.
  if (PLAIN.test(s)) return s.toLowerCase();
  return s.normalize('NFKC').toLowerCase().replace(CONTROL, ' ').replace(SPACES, ' ').trim();
}

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;

export function hasCjk(s: string): boolean {
  return CJK.test(s);
}
