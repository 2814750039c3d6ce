// Who may talk to the till's HTTP API: the till's own page, by a name that is the till's.
// Two browser attacks are closed here (docs/security-notes/host.md):
//  - a web page open in the till's browser posting to http://127.0.0.1:8080/api/… ("cross-site
//    request"): the browser marks it with an Origin / Sec-Fetch-Site that is not the till's;
//  - DNS rebinding: a page whose own name is made to resolve to 127.0.0.1, so the browser
//    treats the till as same-origin; its requests carry that foreign name in the Host header.
// Non-browser clients (curl, the tests, the edge agent) send no Origin and are let through on
// a Host check alone: they are not confused deputies, anything they could do they can do anyway.
import { networkInterfaces } from 'node:os';

export interface RequestOriginOptions {
  /** The address the server is bound to (POS_HOST); a wildcard lets in this machine's own addresses. */
  bindHost: string;
  /** Extra host names (POS_ALLOWED_HOSTS), e.g. the till's LAN name for back-office browsers. */
  extraHosts?: readonly string[];
}

export type OriginVerdict = { ok: true } | { ok: false; status: 400 | 403; reason: string };

const LOOPBACK = ['localhost', '127.0.0.1', '::1'];
const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]']);
// host[:port], the host a DNS name, an IPv4 literal or a bracketed IPv6 literal.
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::(\d{1,5}))?$/i;
const INTERFACE_CACHE_MS = 10_000;

/** The host name of a Host header, lower-case, without port, brackets or trailing dot; null when malformed. */
export function hostNameOf(hostHeader: string | undefined): string | null {
  if (!hostHeader) return null;
  const m = HOST_HEADER.exec(hostHeader.trim());
  if (!m) return null;
  let name = m[1]!.toLowerCase();
  if (name.startsWith('[')) name = name.slice(1, -1);
  if (name.endsWith('.')) name = name.slice(0, -1);
  return name === '' ? null : name;
}

export function parseAllowedHosts(raw: string | undefined): string[] {
  if (!raw) return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const name = hostNameOf(s);
      if (!name)
        throw new Error(`POS_ALLOWED_HOSTS must be a comma-separated list of host names or addresses, got "${s}"`);
      return name;
    });
}

export function createRequestOriginCheck(opts: RequestOriginOptions) {
  const fixed = new Set<string>([...LOOPBACK, ...(opts.extraHosts ?? [])]);
  const bind = hostNameOf(opts.bindHost);
  const wildcard = WILDCARDS.has(opts.bindHost.trim());
  if (bind && !wildcard) fixed.add(bind);
  // Bound to every interface: the addresses this machine has now (DHCP may change them).
  let ownAddresses = new Set<string>();
  let ownAt = -Infinity;
  const own = (): Set<string> => {
    if (Date.now() - ownAt > INTERFACE_CACHE_MS) {
      ownAddresses = new Set(
        Object.values(networkInterfaces()).flatMap((list) =>
          (list ?? []).map((i) => i.address.toLowerCase().replace(/%.*$/, '')),
        ),
      );
      ownAt = Date.now();
    }
    return ownAddresses;
  };
  const hostAllowed = (name: string) => fixed.has(name) || (wildcard && own().has(name));

  /**
   * `api` marks the routes that act or read private state (/api/*, /display/state|events): a
   * browser must say the request comes from the till's own page.
   */
  return function checkRequestOrigin(
    headers: { host?: string; origin?: string | string[]; 'sec-fetch-site'?: string | string[] },
    api: boolean,
  ): OriginVerdict {
    const name = hostNameOf(headers.host);
    if (!name) return { ok: false, status: 400, reason: 'missing or malformed Host header' };
    if (!hostAllowed(name)) return { ok: false, status: 403, reason: 'Host is not a name of this till' };
    const origin = headers.origin;
    if (origin !== undefined) {
      if (typeof origin !== 'string' || !sameOrigin(origin, headers.host!))
        return { ok: false, status: 403, reason: 'Origin is not this till' };
    }
    const site = headers['sec-fetch-site'];
    if (api && site !== undefined && site !== 'same-origin' && site !== 'none')
      return { ok: false, status: 403, reason: 'cross-site request' };
    return { ok: true };
  };
}

export type RequestOriginCheck = ReturnType<typeof createRequestOriginCheck>;

// The page's origin must be this very host and port ("null" from sandboxes and files never is).
function sameOrigin(origin: string, hostHeader: string): boolean {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  if (origin.replace(/\/$/, '') !== u.origin) return false;
  return u.host.toLowerCase() === normaliseHostHeader(hostHeader, u.protocol);
}

function normaliseHostHeader(hostHeader: string, protocol: string): string {
  const h = hostHeader
    .trim()
    .toLowerCase()
    .replace(/\.(?=(:\d+)?$)/, '');
  // URL drops the default port, so the Host header must too before comparing.
  const defaultPort = protocol === 'https:' ? ':443' : ':80';
  return h.endsWith(defaultPort) ? h.slice(0, -defaultPort.length) : h;
}
