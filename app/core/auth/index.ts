// Staff, PIN login with lockout, bearer sessions and manager override.
export { hashPin, verifyPin, DEFAULT_PIN_SCRYPT_N } from './pin-hash';
export { insertStaff, listStaff } from './staff-store';
export type { NewStaff } from './staff-store';
export { resolveSession, revokeSession } from './sessions';
export { loginWithPin, requireManagerApproval } from './pin-auth';
