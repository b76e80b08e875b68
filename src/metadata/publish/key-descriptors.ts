/**
 * md:KeyDescriptor elements (R-MD-05): one per published key (next beside active), `use`
 * always set, the certificate as ds:X509Certificate. Encryption keys list the algorithms a
 * peer may use to encrypt to them (R-CRY-05..08): AES-GCM content encryption, then RSA-OAEP
 * (SHA-256, MGF1-SHA256) for an RSA key or ECDH-ES with AES key wrap for an EC key.
 * The keys of different uses must be different keys (requireDistinctKeys).
 */
import { certificateBase64, publicKeySpki } from '../../saml/keys.ts';
import { DIGEST, ENC } from '../../saml/namespaces.ts';
import type { MetadataDom } from './dom-builder.ts';
import type { PublishedKey } from './types.ts';
import { DATA_ENCRYPTION_METHODS, KEY_WRAP_METHODS } from './vocabulary.ts';
import { MetadataPublishError } from './errors.ts';

export function addSigningKeys(dom: MetadataDom, descriptor: Element, keys: readonly PublishedKey[]): void {
  requireSome(keys, 'signing');
  for (const key of keys) addKeyInfo(dom, dom.add(descriptor, 'md', 'KeyDescriptor', { use: 'signing' }), key);
}

export function addEncryptionKeys(dom: MetadataDom, descriptor: Element, keys: readonly PublishedKey[]): void {
  requireSome(keys, 'encryption');
  for (const key of keys) {
    const descriptorEl = dom.add(descriptor, 'md', 'KeyDescriptor', { use: 'encryption' });
    addKeyInfo(dom, descriptorEl, key);
    addEncryptionMethods(dom, descriptorEl, key);
  }
}

function addKeyInfo(dom: MetadataDom, keyDescriptor: Element, key: PublishedKey): void {
  const x509Data = dom.add(dom.add(keyDescriptor, 'ds', 'KeyInfo'), 'ds', 'X509Data');
  dom.add(x509Data, 'ds', 'X509Certificate', {}, certificateBase64(key.certificate));
}

function addEncryptionMethods(dom: MetadataDom, keyDescriptor: Element, key: PublishedKey): void {
  for (const algorithm of DATA_ENCRYPTION_METHODS) dom.add(keyDescriptor, 'md', 'EncryptionMethod', { Algorithm: algorithm });
  const type = key.certificate.publicKey.asymmetricKeyType;
  if (type === 'rsa') {
    const oaep = dom.add(keyDescriptor, 'md', 'EncryptionMethod', { Algorithm: ENC.RSA_OAEP });
    dom.add(oaep, 'ds', 'DigestMethod', { Algorithm: DIGEST.SHA256 });
    dom.add(oaep, 'xenc11', 'MGF', { Algorithm: ENC.MGF1_SHA256 });
  } else if (type === 'ec') {
    dom.add(keyDescriptor, 'md', 'EncryptionMethod', { Algorithm: ENC.ECDH_ES });
    for (const algorithm of KEY_WRAP_METHODS) dom.add(keyDescriptor, 'md', 'EncryptionMethod', { Algorithm: algorithm });
  } else {
    // An RSASSA-PSS (id-RSASSA-PSS) key can only sign: advertising rsa-oaep for it would be a lie.
    throw new MetadataPublishError('KEY_UNUSABLE', `encryption key ${key.id} is neither an RSA (rsaEncryption) nor an EC key`);
  }
}

/**
 * R-MD-05 / R-CRY-10 ([CR §3.5.2]): signing and encryption use different keys, and the metadata
 * signing key is none of the message keys (DESIGN §4). Compared by public key, not by
 * certificate, so one key re-certified under two uses is refused too.
 */
export function requireDistinctKeys(groups: Readonly<Record<string, readonly PublishedKey[]>>): void {
  const seen = new Map<string, string>();
  for (const [use, keys] of Object.entries(groups)) {
    for (const key of keys) {
      const spki = publicKeySpki(key.certificate.publicKey)?.toString('base64') ?? key.fingerprint;
      const other = seen.get(spki);
      if (other !== undefined && other !== use) {
        throw new MetadataPublishError('KEY_UNUSABLE', `key ${key.id} serves both ${other} and ${use}: each use needs its own key`);
      }
      seen.set(spki, use);
    }
  }
}

/** A role without a published key would be unusable by every peer: never publish it. */
function requireSome(keys: readonly PublishedKey[], use: string): void {
  if (keys.length === 0) throw new MetadataPublishError('NO_KEY', `no ${use} key to publish (none active or next)`);
}
