// What a store hub says about itself on the LAN (DNS-SD `_edgepos-hub._tcp`), and how an answer
// heard from the network becomes a hub the wizard may list. Pure: the advert and the browser
// (hub-advert.ts, hub-browse.ts) do the I/O. The TXT record holds the store id, the hub's node id
// and the protocol version — never a secret: anyone on the LAN can read it, and anyone on the LAN
// can answer, so a listed hub is a suggestion the technician confirms, not a trusted peer.
import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';

/** The DNS-SD service type, without the leading underscore and protocol (`_edgepos-hub._tcp`). */
export const HUB_SERVICE_TYPE = 'edgepos-hub';
/** Bumped when the TXT keys change meaning. */
const HUB_TXT_VERSION = '1';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/);
const txtSchema = z.object({ store: id, hub: id.optional(), v: z.literal(HUB_TXT_VERSION) });

/** A hub found on the LAN: where to reach it and which store it serves. */
export interface DiscoveredHub {
  /** The advertised instance name, for the list (at most 63 characters). */
  name: string;
  storeId: string;
  hubId: string | null;
  /** http://<address>:<port> — what the wizard puts in the hub field. */
  url: string;
}

export function hubTxt(storeId: string, hubId: string): Record<string, string> {
  return { store: storeId, hub: hubId, v: HUB_TXT_VERSION };
}

/** The instance name a hub advertises: unique per store and hub, readable in the list. */
export function hubInstanceName(storeId: string, hubId: string): string {
  return `EdgePOS hub ${storeId} ${hubId}`.slice(0, 63);
}

/** What the browser library hands over for one answer (bonjour-service's Service, the parts we read). */
export interface HeardService {
  name?: unknown;
  port?: unknown;
  txt?: unknown;
  addresses?: unknown;
  referer?: { address?: unknown } | undefined;
}

/** TXT values arrive as strings or Buffers depending on the library's decoding. */
function txtStrings(txt: unknown): Record<string, string> {
  if (!txt || typeof txt !== 'object') return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(txt as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (Buffer.isBuffer(v)) out[k] = v.toString('utf8');
  }
  return out;
}

function urlHost(address: string): string | null {
  if (isIPv4(address)) return address;
  // Link-local IPv6 needs a zone the browser cannot use in a URL; global IPv6 is fine.
  if (isIPv6(address) && !/^fe80:/i.test(address)) return `[${address}]`;
  return null;
}

/**
 * One heard answer as a hub, or null when it is not one we can use (wrong TXT version, bad store
 * id, no usable address). The address the answer came from wins over the advertised A records:
 * it is the one that reached us on this link.
 */
export function hubFromService(s: HeardService): DiscoveredHub | null {
  const txt = txtSchema.safeParse(txtStrings(s.txt));
  if (!txt.success) return null;
  const port = typeof s.port === 'number' && Number.isInteger(s.port) && s.port > 0 && s.port < 65536 ? s.port : null;
  if (port === null) return null;
  const candidates = [
    s.referer?.address,
    ...(Array.isArray(s.addresses) ? (s.addresses as unknown[]) : []).filter((a) => typeof a === 'string' && isIPv4(a)),
    ...(Array.isArray(s.addresses) ? (s.addresses as unknown[]) : []),
  ];
  let host: string | null = null;
  for (const c of candidates) {
    if (typeof c === 'string' && (host = urlHost(c))) break;
  }
  if (!host) return null;
  const name = typeof s.name === 'string' ? s.name.slice(0, 63) : hubInstanceName(txt.data.store, txt.data.hub ?? '');
  return { name, storeId: txt.data.store, hubId: txt.data.hub ?? null, url: `http://${host}:${port}` };
}

/** One entry per address: a hub heard twice (two interfaces, a re-announce) is listed once. */
export function uniqueHubs(hubs: readonly DiscoveredHub[]): DiscoveredHub[] {
  const seen = new Map<string, DiscoveredHub>();
  for (const h of hubs) if (!seen.has(h.url)) seen.set(h.url, h);
  return [...seen.values()].sort((a, b) => a.storeId.localeCompare(b.storeId) || a.url.localeCompare(b.url));
}
