/** The audit log refused an entry (unknown event, details that may hold secrets) or cannot be read. */
export const AUDIT_CODES = {
  UNKNOWN_EVENT: 'the event is not one of AUDIT_EVENTS',
  DETAILS_REFUSED: 'the details could hold key material or personal data, or are not plain JSON',
  BAD_ACTOR: 'the actor is not a short name',
} as const;

export type AuditCode = keyof typeof AUDIT_CODES;

export class AuditError extends Error {
  override readonly name = 'AuditError';
  constructor(
    readonly code: AuditCode,
    message: string = AUDIT_CODES[code],
  ) {
    super(message);
  }
}
