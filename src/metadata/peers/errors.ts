/**
 * Why a peer's metadata was refused (ATK-47). Every refusal carries one reason code: the XML
 * core's codes (attacks.md) for parse and signature failures, and the codes below for the
 * fetch and the metadata content. The stage says where in the pipeline it stopped.
 */
import { XmlSecurityError, XML_REASONS, type XmlReason } from '../../saml/errors.ts';

export const PEER_REASONS = {
  FETCH_NOT_ALLOWED: 'the URL is not an allowlisted metadata URL or host',
  HTTPS_REQUIRED: 'metadata is fetched over https only in production',
  FETCH_FAILED: 'the metadata could not be fetched',
  FETCH_TIMEOUT: 'the peer did not answer in time',
  FETCH_TOO_LARGE: 'the answer is larger than the size cap',
  FETCH_NOT_XML: 'the answer is not an XML document',
  NOT_AN_ENTITY: 'the document is not one md:EntityDescriptor',
  METADATA_EXPIRED: 'validUntil is missing or not in the future',
  ENTITY_ID_MISMATCH: 'the entityID is not the URL the metadata was fetched from',
  ROLE_MISMATCH: 'the document does not describe the role the peer was added for',
  COUNTRY_MISMATCH: 'eidas:NodeCountry is not the country the peer was added for',
  CHAIN_INVALID: 'the certificate chain in the signature does not lead to a trust anchor',
  UNKNOWN_PEER: 'no peer with this entityID is registered',
  STORAGE: 'the verified metadata could not be stored',
  STORED_MISMATCH: 'the stored bytes are not those of the SHA-256 they are stored under',
  INTERNAL: 'unexpected failure while refreshing (nothing was put in service)',
} as const;

export type PeerReason = keyof typeof PEER_REASONS;
export type MetadataReason = PeerReason | XmlReason;

export type RefusalStage = 'fetch' | 'parse' | 'signature' | 'content' | 'storage' | 'internal';

export class MetadataRefusal extends Error {
  override readonly name = 'MetadataRefusal';
  constructor(
    readonly reason: MetadataReason,
    readonly detail: string,
    readonly stage: RefusalStage,
  ) {
    super(`${reason}: ${detail}`);
  }
}

export function refuseMetadata(reason: MetadataReason, detail: string, stage: RefusalStage): never {
  throw new MetadataRefusal(reason, detail, stage);
}

/** The detail of an XML core refusal, without its reason prefix. */
function xmlDetail(err: XmlSecurityError): string {
  const prefix = `${err.reason}: `;
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : XML_REASONS[err.reason];
}

/**
 * Runs one pipeline stage and names its XML core refusals with that stage. Anything that is
 * neither a refusal of ours nor of the XML core is a bug and propagates unchanged.
 */
export async function inStage<T>(stage: RefusalStage, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof XmlSecurityError) throw new MetadataRefusal(err.reason, xmlDetail(err), stage);
    throw err;
  }
}

/** A peer error (anything thrown while refreshing) as a refusal the status can show. */
export function asRefusal(err: unknown): MetadataRefusal {
  if (err instanceof MetadataRefusal) return err;
  if (err instanceof XmlSecurityError) return new MetadataRefusal(err.reason, xmlDetail(err), 'parse');
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new MetadataRefusal('INTERNAL', message.slice(0, 300), 'internal');
}
