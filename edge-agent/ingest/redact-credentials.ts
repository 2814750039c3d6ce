// The one credential filter of the edge agent: every text that leaves the process — /health,
// /metrics, HTTP errors, logs, the audit log — goes through redactCredentials (or redactDeep
// for JSON). Camera URLs carry passwords, and ffmpeg repeats the URL in its error lines, so a
// filter only at the places we print `input` missed them (security issue #10, item 14).
//
// Two layers: patterns for the shapes credentials take in URLs and ffmpeg's text (userinfo,
// percent-encoded URLs, ?password= and friends, Authorization headers), and the exact
// passwords of the configured cameras (remembered when an input is checked), so a secret is
// masked even in a shape no pattern foresaw.
import type { LoggerOptions } from 'pino';

const MASK = '***';

// Every repetition is bounded (and schemes must start a word): these run on ffmpeg's text,
// which a device on the camera network can shape, so no pattern may go quadratic on a long
// line. Real user names and passwords are far shorter than the bounds.
//
// scheme://user:password@host — the password runs to the last "@" of the token, so an
// unencoded "@" or "/" in it is masked too (masking a little too much beats leaking).
const USERINFO = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,31}:\/\/)([^\s:@/'"<>]{0,256}):([^\s'"<>]{0,512})@/gi;
// user:password@host without a scheme (ffmpeg and RTSP libraries print the authority alone)
const BARE_USERINFO =
  /(^|[\s'"(=,[])([A-Za-z0-9._~%!$&*+;-]{1,256}):([^\s@'"<>/]{1,512})@(?=\[|[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,10}(?:[:/\s'",)\]]|$))/g;
// The same URL percent-encoded inside another URL or a log line: rtsp%3A%2F%2Fuser%3Apass%40host
const ENCODED_USERINFO = /(%3A%2F%2F)((?:[^\s%/'"<>]|%(?!3A)[0-9A-F]{2}){0,256})%3A([^\s'"<>]{0,512}?)%40/gi;
const SECRET_KEY = String.raw`(?:pass(?:word|wd|phrase)?|pwd|secret|token|access[_-]?token|auth(?:orization)?|api[_-]?key|key|sig(?:nature)?|credentials?)`;
const SECRET_KEY_ONLY = new RegExp(`^${SECRET_KEY}$`, 'i');
// key=value anywhere (query strings, ffmpeg's "?password=…", DVR paths "user=a_password=b_channel=1")
const KEY_VALUE = new RegExp(String.raw`(^|[^a-z0-9])(${SECRET_KEY})(=)([^&;\s#'"<>]{1,512})`, 'gi');
// JSON / header style: "password": "x", password: x (an auth scheme word is left to AUTH_HEADER)
const KEY_COLON = new RegExp(
  String.raw`(^|[^a-z0-9])(${SECRET_KEY})(["']?[ \t]{0,8}:[ \t]{0,8}["']?)(?!(?:Basic|Bearer|Digest)\b|\*\*\*)([^"'\s,;&}]{1,512})`,
  'gi',
);
// Authorization: Basic/Bearer <token>, Digest username=…, as ffmpeg prints headers at -loglevel debug
const AUTH_HEADER =
  /\b(Basic|Bearer)[ \t]{1,8}[A-Za-z0-9+/=._~-]{8,1024}|\b(Digest)[ \t]{1,8}(?=[^\r\n]{0,512}?\b(?:username|response)=)[^\r\n]{0,2048}/g;

const known = new Set<string>();
// Shorter secrets are not remembered: masking a common word or number everywhere ("stream",
// "123456") would garble /health without protecting a password that weak.
const MIN_REMEMBERED = 8;
// A box has a handful of cameras; the cap keeps a stream of PUT /cameras from growing the set.
const MAX_REMEMBERED = 256;

/**
 * Remembers a configured secret (a camera password, raw and percent-decoded) so that it is
 * masked wherever it shows up, whatever the shape of the text around it.
 */
export function rememberCredential(secret: string): void {
  for (const s of new Set([secret, safeDecode(secret)])) {
    if (s.length < MIN_REMEMBERED || known.has(s)) continue;
    if (known.size >= MAX_REMEMBERED) known.delete(known.values().next().value as string);
    known.add(s);
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The text with every credential replaced by "***". Never throws; idempotent. */
export function redactCredentials(text: string): string {
  let out = text
    .replace(USERINFO, (_m, scheme: string, user: string) => `${scheme}${user}:${MASK}@`)
    .replace(BARE_USERINFO, (_m, pre: string, user: string) => `${pre}${user}:${MASK}@`)
    .replace(ENCODED_USERINFO, (_m, sep: string, user: string) => `${sep}${user}%3A${MASK}%40`)
    .replace(AUTH_HEADER, (_m, basic: string | undefined, digest: string | undefined) => `${basic ?? digest} ${MASK}`)
    .replace(KEY_VALUE, (_m, pre: string, key: string, eq: string) => `${pre}${key}${eq}${MASK}`)
    .replace(KEY_COLON, (_m, pre: string, key: string, sep: string) => `${pre}${key}${sep}${MASK}`);
  for (const s of known) if (out.includes(s)) out = out.split(s).join(MASK);
  return out;
}

/**
 * A JSON-like value with every string passed through redactCredentials, and the value of any
 * field named like a secret (password, token, …) masked whole. Keys are ours and kept.
 */
export function redactDeep<T>(value: T): T {
  return walk(value, 0) as T;
}

function walk(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return redactCredentials(v);
  if (depth > 20 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
  if (v instanceof Error) return redactCredentials(v.message);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v))
    out[k] = typeof x === 'string' && SECRET_KEY_ONLY.test(k) ? MASK : walk(x, depth + 1);
  return out;
}

/**
 * pino hooks for the agent's loggers: every message and field through the filter, so a log
 * call that forgets to redact (or logs an error with a URL in it) still writes no password.
 */
export const redactingLogHooks: NonNullable<LoggerOptions['hooks']> = {
  logMethod(args, method) {
    const clean = (args as unknown[]).map((a) => redactDeep(a));
    return method.apply(this, clean as Parameters<typeof method>);
  },
};
