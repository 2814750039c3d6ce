// The one reading of `Authorization: Bearer <token>` for every server. The scheme is
// case-insensitive (RFC 9110 §11.1); the token is one run of non-space characters, so a header
// with two words after "Bearer" is no credential at all rather than a guess at which word is.

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

export function bearer(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  return BEARER.exec(header)?.[1];
}
