// Member lookup on demand: a store replicates only its own and chain-wide members; any other
// member is looked up online, one exact identity at a time. The answer is minimised (no phone,
// no identities, no birthday/address/email/face, a masked name), never a list, and the value
// looked up is never logged.
import { z } from 'zod';
import { IDENTITY_TYPES } from '../core';

export const memberLookupInput = z.object({
  type: z.enum(IDENTITY_TYPES),
  value: z.string().trim().min(1).max(128),
});
export type MemberLookupQuery = z.infer<typeof memberLookupInput>;

/** What a store may see of a member. */
export interface MemberSummary {
  id: string;
  /** First character, the rest masked ('王**', 'L******'). */
  displayName: string | null;
  points: number;
  /** Tags; only for members of the asking store or chain-wide members (another store's tags are its own). */
  tags: string[];
  /** Consent flags by purpose (`consent.marketing` → `marketing`). */
  consent: Record<string, boolean>;
  level: string | null;
  /** True when the member is this store's or chain-wide (so it is also replicated locally). */
  local: boolean;
}

export type MemberLookupResult = { found: false } | { found: true; member: MemberSummary };

export class MemberLookupError extends Error {
  /** `message` is English (logs, API users); a UI says `code` + `details` in its own language. */
  constructor(
    public readonly code: 'OFFLINE' | 'UNAUTHENTICATED' | 'BAD_INPUT' | 'REFUSED',
    message: string,
    public readonly details?: { field?: string; peerCode?: string },
  ) {
    super(message);
    this.name = 'MemberLookupError';
  }
}

export const MEMBER_LOOKUP_OFFLINE = 'Offline: looking up a member needs the store hub or the cloud';

export function maskName(name: unknown): string | null {
  if (typeof name !== 'string' || name.trim() === '') return null;
  const chars = [...name.trim()];
  return chars[0]! + '*'.repeat(Math.max(1, chars.length - 1));
}

/** Parses a lookup body; the error message never repeats the value. */
export function parseMemberLookup(body: unknown): MemberLookupQuery {
  const r = memberLookupInput.safeParse(body);
  if (!r.success) {
    const field = String(r.error.issues[0]?.path[0] ?? 'body');
    throw new MemberLookupError(
      'BAD_INPUT',
      `Bad member lookup: ${field} must be one of ${IDENTITY_TYPES.join(', ')} with a value of 1-128 characters`,
      { field },
    );
  }
  return r.data;
}
