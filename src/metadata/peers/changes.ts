/**
 * What changed between the copy in service and a newly verified one, for the audit event
 * `peer.metadata.changed`: keys by certificate fingerprint, endpoints by binding and URL.
 * Nothing else (names, contacts) is compared or recorded.
 */
import type { PeerDescriptor } from './types.ts';

export interface Delta {
  added: string[];
  removed: string[];
}

export type MetadataChanges = Partial<Record<'signingKeys' | 'encryptionKeys' | 'ssoServices' | 'assertionConsumerServices', Delta>>;

function facets(d: PeerDescriptor | undefined): Record<keyof MetadataChanges, string[]> {
  return {
    signingKeys: d?.signingCertificates.map((c) => c.fingerprint256) ?? [],
    encryptionKeys: d?.encryptionCertificates.map((c) => c.fingerprint256) ?? [],
    ssoServices: d?.ssoServices.map((e) => `${e.binding} ${e.location}`) ?? [],
    assertionConsumerServices:
      d?.assertionConsumerServices.map((e) => `${e.binding} ${e.location}${e.index === undefined ? '' : ` #${e.index}`}${e.isDefault ? ' default' : ''}`) ?? [],
  };
}

/** undefined when keys and endpoints are the same; a first copy counts as all added. */
export function metadataChanges(previous: PeerDescriptor | undefined, next: PeerDescriptor): MetadataChanges | undefined {
  const before = facets(previous);
  const after = facets(next);
  const changes: MetadataChanges = {};
  for (const key of Object.keys(after) as (keyof MetadataChanges)[]) {
    const added = after[key].filter((v) => !before[key].includes(v));
    const removed = before[key].filter((v) => !after[key].includes(v));
    if (added.length > 0 || removed.length > 0) changes[key] = { added, removed };
  }
  return Object.keys(changes).length > 0 ? changes : undefined;
}
