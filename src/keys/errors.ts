/** Our own key material cannot be used: missing, half present, unreadable, mismatched or too weak. */
export const KEYSTORE_CODES = {
  MISSING: 'no key material where the configuration points',
  INCOMPLETE: 'a private key without its certificate, or the reverse',
  UNREADABLE: 'a key or certificate file cannot be read or parsed',
  MISMATCH: 'the certificate does not belong to the private key',
  WEAK: 'the key is outside the eIDAS crypto profile (R-CRY-04)',
  SHARED: 'one key serves two roles; signing, encryption and metadata signing need their own keys (R-CRY-10)',
} as const;

export type KeyStoreCode = keyof typeof KEYSTORE_CODES;

export class KeyStoreError extends Error {
  override readonly name = 'KeyStoreError';
  constructor(
    readonly code: KeyStoreCode,
    message: string,
  ) {
    super(message);
  }
}
