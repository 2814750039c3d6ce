// What face lookup needs to know about members, and nothing more: does the member exist (not
// erased), did they consent to face lookup (and to chain-wide use), and the masked name and
// level the cashier sees. The members module will implement this at merge; until then
// `replicaMemberDirectory` reads the replicated member ops the till already holds (LWW profile
// fields on entity 'member', `consent.<purpose>` flags, erase tombstones: docs/sync.md).
import type { SyncOutbox } from '../../../sync/storage';

export interface FaceConsent {
  face: boolean;
  chainWide: boolean;
}

/** How the customer confirmed consent at enrolment (recorded with the consent). */
export interface FaceConsentRecord {
  chainWide: boolean;
  channel: 'customer-display' | 'till';
  textVersion: string;
  at: string;
  staffId: string;
}

export interface FaceMemberDirectory {
  memberExists(memberId: string): Promise<boolean>;
  faceConsent(memberId: string): Promise<FaceConsent>;
  /** Masked name and level for the candidate list; null for an unknown or erased member. */
  candidateView(memberId: string): Promise<{ maskedName: string; level: string | null } | null>;
  /** Records the consent the customer gave at enrolment (replicated as `consent.face*` fields). */
  recordFaceConsent(memberId: string, consent: FaceConsentRecord): Promise<void>;
}

/** `王小明` → `王**`; never shows more than the first character. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '*';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** A consent flag as the members module writes it: `true`, or `{ granted: true, at, channel, … }`. */
export function consentGranted(value: unknown): boolean {
  if (value === true) return true;
  if (value && typeof value === 'object' && 'granted' in value) return (value as { granted: unknown }).granted === true;
  return false;
}

export const FACE_CONSENT_FIELD = 'consent.face';
export const FACE_CHAIN_CONSENT_FIELD = 'consent.faceChainWide';

/** Members as the till's sync replica holds them (null outbox: sync is off, no members known). */
export function replicaMemberDirectory(outbox: SyncOutbox | null, storeId: string): FaceMemberDirectory {
  const view = async (id: string) => {
    if (!outbox) return null;
    const v = await outbox.storage.member(id);
    const known = Object.keys(v.profile).length > 0 || v.identities.length > 0 || v.points !== 0;
    // A merged-away id answers with its survivor's view; face data stays with the id it was enrolled under.
    if (v.erased || !known || v.id !== id) return null;
    return v;
  };
  return {
    async memberExists(id) {
      return (await view(id)) !== null;
    },
    async faceConsent(id) {
      const v = await view(id);
      if (!v) return { face: false, chainWide: false };
      const face = consentGranted(v.profile[FACE_CONSENT_FIELD]);
      return { face, chainWide: face && consentGranted(v.profile[FACE_CHAIN_CONSENT_FIELD]) };
    },
    async candidateView(id) {
      const v = await view(id);
      if (!v) return null;
      const name = typeof v.profile['name'] === 'string' ? (v.profile['name'] as string) : '';
      const level = typeof v.profile['level'] === 'string' ? (v.profile['level'] as string) : null;
      return { maskedName: maskName(name), level };
    },
    async recordFaceConsent(id, c) {
      if (!outbox) return;
      const scope = `store:${storeId}`;
      const record = { granted: true, at: c.at, channel: c.channel, textVersion: c.textVersion, staffId: c.staffId };
      outbox.append([
        outbox.ops.set(scope, 'member', id, FACE_CONSENT_FIELD, record),
        outbox.ops.set(scope, 'member', id, FACE_CHAIN_CONSENT_FIELD, { ...record, granted: c.chainWide }),
      ]);
    },
  };
}
