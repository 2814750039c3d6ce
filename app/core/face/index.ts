// Face lookup for members (刷脸识别): the encrypted template store, the 1:N matcher, the frame
// rules and calibrated threshold, and the consent-aware service behind members.identifyFace /
// members.enrollFace. The models run outside the core (app/till injects a FaceEmbedder).
export { FaceService } from './face-service';
export type { FaceServiceDeps, EnrollConsent } from './face-service';
export { FaceIndex } from './face-index';
export type { FaceMatch } from './face-index';
export { FaceTemplates } from './face-templates';
export { judgeFrame, FACE_MATCH_THRESHOLD, MIN_FACE_PX } from './face-policy';
export type { FaceAnalysis, FaceEmbedder, FaceRefusal } from './face-policy';
export { replicaMemberDirectory } from './member-directory';
export type { FaceMemberDirectory, FaceConsent } from './member-directory';
export { loadFaceKey } from './face-key';
