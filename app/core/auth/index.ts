// Staff, PIN login with lockout, bearer sessions and manager override.
export { hashPin, verifyPin, DEFAULT_PIN_SCRYPT_N } from './pin-hash';
export { insertStaff, listStaff } from './staff-store';
export type { NewStaff } from './staff-store';
export { resolveSession, revokeSession, hashToken } from './sessions';
export {
  attemptPin,
  MAX_PIN_FAILURES,
  LOCKOUT_MS,
  MAX_LOCKOUT_MS,
  LOCKOUT_FORGET_MS,
  type PinScope,
  type PinAttempt,
} from './pin-lockout';
export { confirmStaffPin, loginWithPin, requireManagerApproval, type ManagerApproval } from './pin-auth';
export { addStaff, listStaffMembers, resetStaffPin, setOwnPin, setStaffActive, setStaffRole } from './staff-admin';
export { mirrorStaff } from './staff-replica';
