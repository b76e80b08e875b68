/**
 * Our metadata never publishes one key for two uses (R-MD-05, R-CRY-10: signing ≠ encryption,
 * and the metadata signing key is its own, DESIGN §4), and only offers RSA-OAEP for a key that
 * can do it (R-MD-05 / R-CRY-07).
 */
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMetadataPublisher, MetadataPublishError, type Role } from '../../../src/metadata/publish/index.ts';
import { certificateFor } from '../../keys/support/certificates.ts';
import type { FakeKey } from './fake-key-ring.ts';
import { T0, ringOf, standardKeys, testConfig, type TestKeys } from './support.ts';

let keys: TestKeys;
beforeAll(async () => {
  keys = await standardKeys();
});

async function outcome(ring: ReturnType<typeof ringOf>, role: Role): Promise<string> {
  const publisher = createMetadataPublisher({ keyRing: ring, config: testConfig(), clock: () => new Date(T0) });
  try {
    await publisher.document(role);
    return 'published';
  } catch (e) {
    if (e instanceof MetadataPublishError) return `${e.code}: ${e.message}`;
    throw e;
  } finally {
    publisher.close();
  }
}

/** `key` again, for another use, under a new certificate of the same public key. */
async function recertified(key: FakeKey, use: FakeKey['use']): Promise<FakeKey> {
  const { certificate, certificatePem } = await certificateFor(key.certificate.publicKey, `CN=Pont eIDAS test ${use} (re-certified), C=FR`);
  return { ...key, id: `${use}-recertified`, use, certificate, certificatePem, fingerprint: certificate.fingerprint256 };
}

describe('R-MD-05 / R-CRY-10: one key per use', () => {
  it('R-MD-05: the connector metadata is refused when the encryption key is the signing key under another certificate', async () => {
    const ring = ringOf({ ...keys, encryption: await recertified(keys.signing, 'encryption') });
    expect(await outcome(ring, 'connector')).toMatch(/^KEY_UNUSABLE: key encryption-recertified serves both signing and encryption/);
  });

  it('R-MD-05: the same certificate published for signing and encryption is refused', async () => {
    const ring = ringOf({ ...keys, encryption: { ...keys.signing, id: 'encryption-same', use: 'encryption' } });
    expect(await outcome(ring, 'connector')).toMatch(/^KEY_UNUSABLE: .*serves both signing and encryption/);
  });

  it.each<Role>(['proxy-service', 'connector'])('R-CRY-10: %s metadata is refused when the metadata signing key is a message signing key', async (role) => {
    const ring = ringOf({ ...keys, signing: await recertified(keys.metadata, 'signing') });
    expect(await outcome(ring, role)).toMatch(/^KEY_UNUSABLE: key signing-recertified serves both metadata and signing/);
  });

  it('distinct keys are published (the control case)', async () => {
    expect(await outcome(ringOf(keys), 'connector')).toBe('published');
  });
});

describe('R-MD-05 / R-CRY-07: EncryptionMethod only for what the key can do', () => {
  it('R-CRY-07: an id-RSASSA-PSS encryption key (sign-only) is refused instead of being offered with rsa-oaep', async () => {
    const pair = await promisify(generateKeyPair)('rsa-pss', { modulusLength: 3072 });
    const { certificate, certificatePem } = await certificateFor(pair.publicKey, 'CN=Pont eIDAS test rsa-pss encryption, C=FR');
    expect(certificate.publicKey.asymmetricKeyType).toBe('rsa-pss');
    const pss: FakeKey = { ...keys.encryption, id: 'encryption-pss', certificate, certificatePem, fingerprint: certificate.fingerprint256, privateKey: pair.privateKey };
    expect(await outcome(ringOf({ ...keys, encryption: pss }), 'connector')).toMatch(/^KEY_UNUSABLE: encryption key encryption-pss is neither an RSA/);
  });
});
