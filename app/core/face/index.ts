// Face lookup for members (刷脸识别): the encrypted template store, the 1:N matcher, the frame
// rules and calibrated threshold, and the consent-aware service behind members.identifyFace /
// members.enrollFace. The models run outside the core (app/till injects a FaceEmbedder).
export { FaceService, decodeFaceImage } from './face-service';
export type { FaceServiceDeps, EnrollConsent } from './face-service';
export { FaceIndex } from './face-index';
export { FaceTemplates } from './face-templates';
export type { FaceMatch } from './face-index';
export {
  judgeFrame,
  FACE_MATCH_THRESHOLD,
  FACE_ANTISPOOF_MIN,
  FACE_LIVENESS_MIN,
  MIN_FACE_PX,
  MAX_FACE_CANDIDATES,
} from './face-policy';
export type { FaceAnalysis, FaceEmbedder, FaceRefusal } from './face-policy';
export { replicaMemberDirectory, maskName } from './member-directory';
export type { FaceMemberDirectory, FaceConsent } from './member-directory';
export { sealTemplate, openTemplate } from './template-cipher';
export { loadFaceKey, FACE_KEY_FILE } from './face-key';
