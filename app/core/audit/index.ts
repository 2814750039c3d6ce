// Audit log of sensitive actions.
export { writeAudit, listAudit } from './audit-log';
export type { AuditInput } from './audit-log';
