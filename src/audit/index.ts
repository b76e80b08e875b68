/** The audit log: named events, hash-chained rows, no personal data and no key material. */
export { AUDIT_EVENTS, AUDIT_EVENT_DOCS, isAuditEvent, renderAuditEventTable, type AuditEventName } from './events.ts';
export {
  createAuditLog,
  DEFAULT_ACTOR,
  type AuditEvent,
  type AuditListOptions,
  type AuditLog,
  type ChainVerification,
} from './log.ts';
export { GENESIS_HASH, canonicalJson, chainHash } from './chain.ts';
export { AuditError, AUDIT_CODES, type AuditCode } from './errors.ts';
