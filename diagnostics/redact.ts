// Redaction for diagnostics bundles: secrets and personal data out, the rest kept for support.
const SECRET_KEY = /(token|secret|password|passwd|pin|credential|private|apikey|api_key|authorization|cookie|key)$/i;
const PERSONAL_KEY =
  /^(phone|mobile|name|customerName|memberName|maskedName|address|email|birthday|idCard|face|template|embedding|faceTemplate|openid|unionid)$/i;
/** Mainland mobile numbers anywhere in text: kept as 138****5678. */
const PHONE = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g;
/** Long base64/hex runs (keys, templates, tokens) in free text. */
const BLOB = /[A-Za-z0-9+/=_-]{48,}/g;

/** A copy with personal data and secrets removed; safe to hand to support. */
export function redact(value: unknown, key = ''): unknown {
  if (value === null || value === undefined) return value;
  if (key && SECRET_KEY.test(key)) return '[redacted]';
  if (key && PERSONAL_KEY.test(key)) return typeof value === 'string' && value.length <= 1 ? value : '[personal]';
  if (typeof value === 'string')
    return value.replace(BEARER, '$1[redacted]').replace(PHONE, '$1****$2').replace(BLOB, '[redacted]');
  if (Array.isArray(value)) return value.map((v) => redact(v));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redact(v, k);
    return out;
  }
  return value;
}
