/** A key lifecycle operation was refused, or our keys cannot be used. Messages never carry key material. */
export const KEY_LIFECYCLE_CODES = {
  NOT_FOUND: 'no key with this id',
  TRANSITION_REFUSED: 'the key cannot move to that state',
  LAST_ACTIVE: 'the change would leave a use without an active key',
  NO_ACTIVE_KEY: 'a use has no active key',
  DUPLICATE: 'this certificate is already a node key',
  KEY_FILE: 'a private key file is missing, unreadable or does not match its certificate',
  PERMISSIONS: 'a private key file or the keys directory is open to other users',
  INVALID_KEY: 'the key or certificate is outside the eIDAS profile or expired',
  CONFLICT: 'the key state changed during the operation',
} as const;

export type KeyLifecycleCode = keyof typeof KEY_LIFECYCLE_CODES;

export class KeyLifecycleError extends Error {
  override readonly name = 'KeyLifecycleError';
  constructor(
    readonly code: KeyLifecycleCode,
    message: string = KEY_LIFECYCLE_CODES[code],
  ) {
    super(message);
  }
}
