/** One signed metadata document for one role, built from the configuration and the key ring. */
import { createHash, randomBytes, type X509Certificate } from 'node:crypto';
import { serializeXml } from '../../saml/parser.ts';
import { addIdpDescriptor, addSpDescriptor } from './descriptors.ts';
import { MetadataDom } from './dom-builder.ts';
import { addContacts, addEntityExtensions, addOrganization, setEntityHeader } from './entity.ts';
import { signEntity } from './signing.ts';
import { requireDistinctKeys } from './key-descriptors.ts';
import type { MetadataKeySource, PublishedDocument, PublishedKey, PublisherConfig, Role } from './types.ts';
import { entityIdFor } from './urls.ts';

export interface BuildInput {
  role: Role;
  config: PublisherConfig;
  keys: MetadataKeySource;
  /** Signing time; validUntil counts from it (to the second). */
  now: Date;
  chain: readonly X509Certificate[];
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export async function buildSignedMetadata(input: BuildInput): Promise<PublishedDocument> {
  const { role, config, keys } = input;
  const { validUntil, resignAt, cacheDurationSeconds } = lifetime(input.now, config);
  const entityId = entityIdFor(role, config);
  const signer = keys.active('metadata');
  requireDistinctKeys(publishedGroups(role, keys, signer));

  const dom = new MetadataDom();
  setEntityHeader(dom, { entityId, id: newId(), validUntil, cacheDurationSeconds });
  addEntityExtensions(dom, role, config);
  if (role === 'proxy-service') addIdpDescriptor(dom, config, keys);
  else addSpDescriptor(dom, config, keys);
  addOrganization(dom, config);
  addContacts(dom, config);
  await signEntity(dom.root, signer, input.chain);

  const xml = XML_DECLARATION + serializeXml(dom.doc);
  return { xml, validUntil, entityId, resignAt, etag: etagOf(xml) };
}

/** Every key the document names or is signed with, by use (the proxy service publishes no encryption key). */
function publishedGroups(role: Role, keys: MetadataKeySource, signer: PublishedKey): Record<string, readonly PublishedKey[]> {
  const groups: Record<string, readonly PublishedKey[]> = { metadata: [signer], signing: keys.published('signing') };
  if (role === 'connector') groups.encryption = keys.published('encryption');
  return groups;
}

/** validUntil = now (whole seconds) + validity; re-signed `resignMarginMinutes` before that. */
export function lifetime(now: Date, config: PublisherConfig): { validUntil: Date; resignAt: Date; cacheDurationSeconds: number } {
  const signedAt = Math.floor(now.getTime() / 1000) * 1000;
  const validityMs = config.metadata.validityHours * 3_600_000;
  const marginMs = config.metadata.resignMarginMinutes * 60_000;
  return {
    validUntil: new Date(signedAt + validityMs),
    resignAt: new Date(signedAt + validityMs - marginMs),
    cacheDurationSeconds: (validityMs - marginMs) / 1000,
  };
}

/** An xs:ID with 160 random bits (R-MSG-01 asks the same of message IDs). */
function newId(): string {
  return `_${randomBytes(20).toString('hex')}`;
}

function etagOf(xml: string): string {
  return `"${createHash('sha256').update(xml).digest('base64url')}"`;
}
