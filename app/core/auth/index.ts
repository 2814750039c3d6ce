// Staff, PIN login with lockout, bearer sessions and manager override.
export { hashPin, verifyPin, DEFAULT_PIN_SCRYPT_N } from './pin-hash';
export { addStaff, insertStaff, getStaff, listStaff, findStaffByPin, toStaffView } from './staff-store';
export type { NewStaff } from './staff-store';
export { createSession, resolveSession, revokeSession, hashToken, SESSION_TTL_MS } from './sessions';
export { assertNotLockedOut, recordPinFailure, recordPinSuccess, MAX_PIN_FAILURES, LOCKOUT_MS } from './pin-lockout';
export { loginWithPin, requireManagerApproval } from './pin-auth';
