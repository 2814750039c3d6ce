// http-kit: the one HTTP kit of every server (till web host, cloud and hub sync, edge agent):
// Hono on Node's http.Server, one request guard, bounded bodies, JSON replies, one bearer
// reading, and an error-to-status table per server. See docs/architecture.md (One HTTP kit).
export { HttpError, codedError, type StatusTable } from './http-error';
export { bearer } from './bearer';
export { readBody, readBytes, readJson, MAX_JSON_BYTES, type BodyRefusal } from './request-body';
export { jsonReply, errorReply, JSON_TYPE } from './replies';
export { plainTarget, writeJson } from './request-guard';
export {
  createKitServer,
  answerErrors,
  listenOn,
  closeServer,
  alreadySent,
  type KitApp,
  type KitContext,
  type KitEnv,
  type KitServerOptions,
  type Refusal,
} from './http-server';
