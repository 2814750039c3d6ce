// Staff, PIN login with lockout, bearer sessions and manager override.
export { hashPin, verifyPin, DEFAULT_PIN_SCRYPT_N } from './pin-hash';
export { addStaff, insertStaff, getStaff, listStaff, findStaffByPin, verifyStaffPin, isActiveStaff, toStaffView } from './staff-store';
export type { NewStaff } from './staff-store';
export { createSession, resolveSession, revokeSession, hashToken, SESSION_TTL_MS } from './sessions';
export { attemptPin, lockoutMsForLevel, MAX_PIN_FAILURES, LOCKOUT_MS, MAX_LOCKOUT_MS, LOCKOUT_FORGET_MS, type PinScope, type PinAttempt } from './pin-lockout';
export { loginWithPin, requireManagerApproval } from './pin-auth';
