/**
 * Every refusal of the XML security core carries one reason code. The codes are
 * the ones of the attack catalogue (reason codes asserted by the tests), so a
 * log line or a test can tell *why* a message was refused, not only that it was.
 * The protocol sides map these to the wire (SAML status, HTTP status) in one place each.
 */
export const XML_REASONS = {
  XML_MALFORMED: 'not well-formed XML, or more than one root',
  XML_DTD_FORBIDDEN: 'a DOCTYPE is never accepted',
  XML_LIMIT: 'size, depth or count limit exceeded',
  XML_ENCODING: 'only UTF-8 is accepted',
  XML_UNEXPECTED_NODE: 'a comment or processing instruction where none may be',
  SCHEMA: 'element not of the expected shape',
  SIG_MISSING: 'no signature',
  SIG_SCOPE: 'the signature does not cover the element it must cover',
  SIG_STRUCTURE: 'the signature is not built as XML-DSig and eIDAS require',
  SIG_ALG_NOT_ALLOWED: 'algorithm or key refused by the eIDAS crypto profile',
  DIGEST_MISMATCH: 'the signed content was changed after signing',
  SIG_INVALID: 'the signature value does not verify with the trusted key',
  DUP_ID: 'the referenced ID is not unique',
  KEY_UNTRUSTED: 'no trusted key for this signature',
  KEY_INVALID: 'the key or certificate cannot be used',
  ENC_ALG_NOT_ALLOWED: 'encryption algorithm refused by the eIDAS crypto profile',
  ENC_FORMAT: 'encrypted element not built as XML-Enc requires',
  DECRYPT_FAILED: 'the encrypted element cannot be decrypted with our keys',
  ASSERTION_COUNT: 'exactly one assertion is expected',
} as const;

export type XmlReason = keyof typeof XML_REASONS;

export class XmlSecurityError extends Error {
  override readonly name = 'XmlSecurityError';
  constructor(
    readonly reason: XmlReason,
    detail?: string,
  ) {
    super(detail ? `${reason}: ${detail}` : `${reason}: ${XML_REASONS[reason]}`);
  }
}

export function refuse(reason: XmlReason, detail?: string): never {
  throw new XmlSecurityError(reason, detail);
}
