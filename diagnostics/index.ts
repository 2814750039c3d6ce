// Diagnostics shared by the technicians' doctors: check results, their table, bundle redaction.
export { check, doctorFailed, doctorTable } from './checks';
export type { Check, CheckStatus } from './checks';
export { redact } from './redact';
export { diskCheck } from './disk';
