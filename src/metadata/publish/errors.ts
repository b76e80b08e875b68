/** Our metadata cannot be built or signed; the message names the key or file, never key material. */
export const METADATA_PUBLISH_CODES = {
  NO_KEY: 'no key to publish or to sign with',
  KEY_UNUSABLE: 'a key of the key ring cannot serve this purpose',
  CHAIN_UNREADABLE: 'the signing chain file cannot be read or holds no certificate',
  CHAIN_MISMATCH: 'the signing chain does not go up from the metadata signing certificate',
} as const;

export type MetadataPublishCode = keyof typeof METADATA_PUBLISH_CODES;

export class MetadataPublishError extends Error {
  override readonly name = 'MetadataPublishError';
  constructor(
    readonly code: MetadataPublishCode,
    message: string,
  ) {
    super(message);
  }
}
