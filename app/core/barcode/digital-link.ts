// GS1 Digital Link URIs (what a GS1 QR code on new packaging carries), e.g.
// https://id.example.com/01/09520123456788/10/ABC?17=261231 — any host, an optional path
// prefix before the primary key, key qualifiers in the path, data attributes in the query.
// Only the uncompressed form is read.
import { lookupAi } from './gs1-ai-table';
import { fail } from './invalid';
import type { AiPair } from './gs1-element-string';

/** Primary keys that may start the AI part of the path. */
const PRIMARY_KEYS = new Set([
  '00',
  '01',
  '253',
  '255',
  '401',
  '402',
  '414',
  '417',
  '8003',
  '8004',
  '8006',
  '8010',
  '8013',
  '8017',
  '8018',
]);

/** Older Digital Link drafts allowed short names; scanners in the field still meet them. */
const ALIASES: Record<string, string> = {
  gtin: '01',
  lot: '10',
  batch: '10',
  ser: '21',
  exp: '17',
  sscc: '00',
  gln: '414',
};

function aiName(segment: string): string | undefined {
  if (/^\d{2,4}$/.test(segment)) return lookupAi(segment) ? segment : undefined;
  return ALIASES[segment.toLowerCase()];
}

function decode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return fail('bad-url', 'bad percent-encoding');
  }
}

export function looksLikeUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

export function splitDigitalLink(s: string): AiPair[] {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return fail('bad-url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail('bad-url');
  const segments = url.pathname.split('/').filter((x) => x.length > 0);
  const start = segments.findIndex((seg) => PRIMARY_KEYS.has(aiName(seg) ?? ''));
  // Query decoded by hand: URLSearchParams silently keeps malformed %-escapes and turns '+' into
  // a space, while '+' is a legal GS1 character.
  const query = url.search
    .slice(1)
    .split('&')
    .filter((p) => p.length > 0)
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? ([p, ''] as const) : ([p.slice(0, eq), p.slice(eq + 1)] as const);
    });
  const queryAis = query.some(([k]) => aiName(k) !== undefined);
  if (start < 0) return fail(queryAis ? 'no-primary-key' : 'bad-url');
  const path = segments.slice(start);
  if (path.length % 2 !== 0) fail('truncated', `AI ${path[path.length - 1]} has no value`);
  const pairs: AiPair[] = [];
  for (let i = 0; i < path.length; i += 2) {
    const ai = aiName(path[i]!);
    if (!ai) fail('unknown-ai', `AI ${decode(path[i]!).slice(0, 8)}`);
    let value = decode(path[i + 1]!);
    // Digital Link allows GTIN-8/12/13 in the path; the element-string form is always 14 digits.
    if (ai === '01' && /^\d+$/.test(value) && [8, 12, 13].includes(value.length)) value = value.padStart(14, '0');
    pairs.push([ai, value]);
  }
  for (const [key, value] of query) {
    const ai = aiName(key);
    if (ai) pairs.push([ai, decode(value)]); // non-AI parameters (linkType, context…) are for resolvers, not us
  }
  return pairs;
}
