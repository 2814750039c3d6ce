/**
 * Whether a secret is written in a text as a word of its own. A short secret such as a PIN turns up
 * by chance inside timestamps, hex ids and base64: "5678" is in the timestamp 1796567812149. That is
 * not a leak; the secret bounded by anything but a letter or digit (a quote, a space, `=`) is.
 */
export function writesSecret(text: string, secret: string): boolean {
  const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![0-9A-Za-z])${escaped}(?![0-9A-Za-z])`).test(text);
}
