// Members at the till: identification (member code, phone), sign-up with consent, the member
// panel, points on sales and returns, and the read model of replicated member ops.
export {
  identifyByCode,
  identifyByPhone,
  memberPanel,
  signUpMember,
  setCartMember,
  creditSaleToMember,
  takeBackPoints,
  saleMemberSummary,
  memberConsents,
  writePointsEntry,
} from './member-service';
export type { MemberLookupDeps, SignUpInput } from './member-service';
export {
  applyMemberOps,
  findByIdentity as findMemberByIdentity,
  memberGroup,
  mergedMemberIds,
  readMember,
} from './member-store';
export { mirrorMemberVisits } from './member-history';
export { offlineMemberOps, dropOfflineMemberOps } from './offline-member-ops';
export type { PointsRule } from './points-rule';
export { wecomState, wecomContactUrl } from './wecom-state';
export { looksLikeMemberCode } from '../../../sync/protocol';
