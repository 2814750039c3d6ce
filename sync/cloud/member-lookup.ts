// The cloud's side of member lookup on demand: resolve one exact identity (phone, member code,
// WeChat unionid/openid) to a member and answer what the asking store may see of it. Erased
// members are not found. Another store's member comes back without its tags (store-private
// marketing labels); nobody gets phone numbers, identities or other personal fields.
import { MEMBER_OP_TYPES, type PgSyncStorage } from '../storage';
import { maskName, type DeviceClaims, type MemberLookupQuery, type MemberLookupResult } from '../protocol';

export function cloudMemberLookup(
  storage: PgSyncStorage,
): (claims: DeviceClaims, q: MemberLookupQuery) => Promise<MemberLookupResult> {
  return async (claims, q) => {
    const id = await storage.findMember(q.type, q.value);
    if (!id) return { found: false };
    const view = await storage.member(id);
    if (view.erased) return { found: false };
    const group = [view.id, ...view.mergedFrom];
    const r = await storage.db.query<{ s: string }>(
      `SELECT DISTINCT s FROM ${storage.table}.ops WHERE (t = 'set' AND e = 'member' AND k = ANY($1::text[])) OR (t = ANY($2::text[]) AND e = ANY($1::text[]))`,
      [group, [...MEMBER_OP_TYPES]],
    );
    const scopes = r.rows.map((x) => x.s);
    const local = claims.r === 'hq' || scopes.includes('chain') || scopes.includes(`store:${claims.st}`);
    const consent: Record<string, boolean> = {};
    for (const [f, v] of Object.entries(view.profile))
      if (f.startsWith('consent.') && typeof v === 'boolean') consent[f.slice('consent.'.length)] = v;
    const level = view.profile['level'];
    return {
      found: true,
      member: {
        id: view.id,
        displayName: maskName(view.profile['name']),
        points: view.points,
        tags: local ? view.tags : [],
        consent,
        level: typeof level === 'string' ? level : null,
        local,
      },
    };
  };
}
