// The sync servers' error-to-status table (cloud and hub answer alike). Every code a sync route
// throws has its status here; the http-kit turns a thrown coded error into the answer.
import { codedError, type HttpError, type StatusTable } from '../../http-kit';

export type SyncErrorCode =
  | 'BAD_INPUT'
  | 'BATCH_MALFORMED'
  | 'BATCH_INVALID'
  | 'BATCH_TOO_LARGE'
  | 'UNAUTHENTICATED'
  | 'ENROLL_REFUSED'
  | 'FORBIDDEN'
  | 'REVOKED'
  | 'SCOPE_FORBIDDEN'
  | 'AUTHOR_FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'CLOCK_AHEAD'
  | 'RATE_LIMITED'
  | 'REFUSED'
  | 'OFFLINE'
  | 'HUB_NOT_ENROLLED'
  | 'CLOUD_UNREACHABLE'
  | 'INTERNAL';

export const SYNC_HTTP_STATUS: StatusTable<SyncErrorCode> = {
  BAD_INPUT: 400,
  BATCH_MALFORMED: 400,
  BATCH_INVALID: 400,
  BATCH_TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  ENROLL_REFUSED: 401,
  FORBIDDEN: 403,
  REVOKED: 403,
  SCOPE_FORBIDDEN: 403,
  AUTHOR_FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  CLOCK_AHEAD: 422,
  RATE_LIMITED: 429,
  REFUSED: 400,
  OFFLINE: 503,
  HUB_NOT_ENROLLED: 503,
  CLOUD_UNREACHABLE: 503,
  INTERNAL: 500,
};

/** A sync refusal with the status the table gives its code. */
export function syncError(
  code: SyncErrorCode,
  message: string,
  details?: unknown,
  headers?: Record<string, string>,
): HttpError {
  return codedError(SYNC_HTTP_STATUS, code, message, details, headers);
}
