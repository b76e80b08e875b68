/**
 * The node's file key set (src/keys: one key per role, all active) seen as a key source for
 * the publisher, for as long as the node runs without the database key ring of
 * src/metadata/keys. It never changes, so it never fires onChange.
 */
import type { KeySet, LoadedKey } from '../../keys/keyset.ts';
import { MetadataPublishError } from './errors.ts';
import type { KeyUse, MetadataKeySource, PublishedKey } from './types.ts';

const ROLE_OF_USE = { signing: 'message-signing', encryption: 'encryption', metadata: 'metadata-signing' } as const;

export function keySourceFromKeySet(keys: KeySet): MetadataKeySource {
  const byUse = (use: KeyUse): PublishedKey => {
    const loaded: LoadedKey | undefined = keys[ROLE_OF_USE[use]];
    if (!loaded) throw new MetadataPublishError('NO_KEY', `no ${use} key loaded`);
    return { id: loaded.role, use, state: 'active', certificate: loaded.certificate, fingerprint: loaded.fingerprint, privateKey: loaded.privateKey };
  };
  return {
    active: byUse,
    published: (use) => [byUse(use)],
    onChange: () => () => undefined,
  };
}
