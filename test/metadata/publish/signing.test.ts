/** Our metadata is signed by the dedicated metadata key, with its chain, and shows next keys (R-MD-05, R-MD-14). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, expectTypeOf, it, onTestFinished } from 'vitest';
import type { KeyRing } from '../../../src/metadata/keys/index.ts';
import {
  createMetadataPublisher,
  MetadataPublishError,
  type MetadataKeySource,
  type Role,
} from '../../../src/metadata/publish/index.ts';
import { XmlSecurityError } from '../../../src/saml/errors.ts';
import { NS, SIG } from '../../../src/saml/namespaces.ts';
import { verifyXml } from '../../../src/saml/verify.ts';
import { METADATA_LIMITS } from '../../../src/saml/parser.ts';
import { testPki, type TestPki } from './ca.ts';
import { FakeKeyRing, fakeKey } from './fake-key-ring.ts';
import { T0, der, kids, only, publishedCertificates, ringOf, rootOf, standardKeys, testConfig, type TestKeys } from './support.ts';

let keys: TestKeys;
let pki: TestPki;
beforeAll(async () => {
  [keys, pki] = await Promise.all([standardKeys(), testPki()]);
});

function publish(ring: MetadataKeySource, config = testConfig()) {
  return createMetadataPublisher({ keyRing: ring, config, clock: () => new Date(T0) });
}

async function reasonOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (e) {
    if (e instanceof XmlSecurityError || e instanceof MetadataPublishError) return 'reason' in e ? e.reason : e.code;
    throw e;
  }
}

function keyInfoCertificates(xml: string): string[] {
  const signature = only(rootOf(xml), 'Signature', NS.ds);
  return kids(only(only(signature, 'KeyInfo', NS.ds), 'X509Data', NS.ds), 'X509Certificate', NS.ds).map((c) => c.textContent ?? '');
}

describe('signature (R-MD-14, R-CRY-03)', () => {
  it.each<Role>(['proxy-service', 'connector'])('%s: verifies with the metadata certificate as the only trusted key', async (role) => {
    const { xml } = await publish(ringOf(keys)).document(role);
    const verified = await verifyXml(xml, { trusted: [keys.metadata.certificate], limits: METADATA_LIMITS });
    expect(verified.element.localName).toBe('EntityDescriptor');
    expect(verified.signatureAlgorithm).toBe(SIG.ECDSA_SHA256);
    expect(verified.id).toBe(rootOf(xml).getAttribute('ID'));
  });

  it('is signed by the metadata key, never a message key: the message signing certificate does not verify it', async () => {
    const { xml } = await publish(ringOf(keys)).document('connector');
    expect(await reasonOf(verifyXml(xml, { trusted: [keys.signing.certificate], limits: METADATA_LIMITS }))).toBe('KEY_UNTRUSTED');
    const otherEc = await fakeKey('metadata', 'ec-p256', 'active', 'other');
    expect(await reasonOf(verifyXml(xml, { trusted: [otherEc.certificate], limits: METADATA_LIMITS }))).toBe('KEY_UNTRUSTED');
  });

  it('an RSA metadata key signs with RSASSA-PSS SHA-256', async () => {
    const rsaKeys = { ...keys, metadata: await fakeKey('metadata', 'rsa-3072') };
    const { xml } = await publish(ringOf(rsaKeys)).document('proxy-service');
    const verified = await verifyXml(xml, { trusted: [rsaKeys.metadata.certificate], limits: METADATA_LIMITS });
    expect(verified.signatureAlgorithm).toBe(SIG.RSA_PSS_SHA256);
  });

  it('a key source that hands a message key as the metadata key is refused (KEY_UNUSABLE)', async () => {
    const ring = ringOf(keys);
    const confused: MetadataKeySource = { ...ring, active: (use) => (use === 'metadata' ? keys.signing : ring.active(use)), published: (u) => ring.published(u), onChange: (l) => ring.onChange(l) };
    expect(await reasonOf(publish(confused).document('proxy-service'))).toBe('KEY_UNUSABLE');
  });

  it('KeyInfo carries the metadata signing certificate alone when no chain file is configured', async () => {
    const { xml } = await publish(ringOf(keys)).document('proxy-service');
    expect(keyInfoCertificates(xml)).toEqual([der(keys.metadata)]);
  });

  it('R-MD-14: with metadata.signingChainFile, KeyInfo carries signer, intermediate and root, in that order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pont-md-chain-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const chainFile = join(dir, 'chain.pem');
    writeFileSync(chainFile, `${pki.signer.certificatePem}${pki.chainPem}`); // a copy of the signer itself is dropped
    const ring = new FakeKeyRing([pki.signer, keys.signing, keys.encryption]);
    const { xml } = await publish(ring, testConfig({ signingChainFile: chainFile })).document('connector');
    expect(keyInfoCertificates(xml)).toEqual([pki.signer.certificate, pki.intermediate, pki.root].map((c) => c.raw.toString('base64')));
    await expect(verifyXml(xml, { trusted: [pki.signer.certificate], limits: METADATA_LIMITS })).resolves.toBeDefined();
  });

  it('R-MD-14: a chain file that did not issue the metadata certificate is refused (CHAIN_MISMATCH); an empty one at start (CHAIN_UNREADABLE)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pont-md-chain-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const chainFile = join(dir, 'chain.pem');
    writeFileSync(chainFile, pki.chainPem);
    expect(await reasonOf(publish(ringOf(keys), testConfig({ signingChainFile: chainFile })).document('connector'))).toBe('CHAIN_MISMATCH');
    const empty = join(dir, 'empty.pem');
    writeFileSync(empty, 'no certificate here\n');
    expect(() => publish(ringOf(keys), testConfig({ signingChainFile: empty }))).toThrow(MetadataPublishError);
    expect(() => publish(ringOf(keys), testConfig({ signingChainFile: join(dir, 'missing.pem') }))).toThrow(/cannot read/);
  });
});

describe('published keys (R-MD-05, key rotation)', () => {
  it("the node's KeyRing (src/metadata/keys) is a key source for the publisher (checked by tsc)", () => {
    expectTypeOf<KeyRing>().toExtend<MetadataKeySource>();
  });

  it('a next signing key appears beside the active one, in both entities', async () => {
    const next = await fakeKey('signing', 'ec-p256', 'next', 'next-signing');
    const doc = publish(ringOf(keys, next));
    for (const [role, descriptor] of [['proxy-service', 'IDPSSODescriptor'], ['connector', 'SPSSODescriptor']] as const) {
      const { xml } = await doc.document(role);
      expect(publishedCertificates(only(rootOf(xml), descriptor), 'signing')).toEqual([der(next), der(keys.signing)]);
    }
  });

  it('a next encryption key appears beside the active one, each with its own EncryptionMethod list', async () => {
    const next = await fakeKey('encryption', 'ec-p384', 'next', 'next-encryption');
    const { xml } = await publish(ringOf(keys, next)).document('connector');
    const sp = only(rootOf(xml), 'SPSSODescriptor');
    expect(publishedCertificates(sp, 'encryption')).toEqual([der(next), der(keys.encryption)]);
    const [forNext, forActive] = kids(sp, 'KeyDescriptor').filter((k) => k.getAttribute('use') === 'encryption');
    expect(kids(forNext!, 'EncryptionMethod').map((m) => m.getAttribute('Algorithm'))).toContain('http://www.w3.org/2009/xmlenc11#ECDH-ES');
    expect(kids(forActive!, 'EncryptionMethod').map((m) => m.getAttribute('Algorithm'))).toContain('http://www.w3.org/2009/xmlenc11#rsa-oaep');
  });

  it('a role with no key to publish is never served half-built (NO_KEY)', async () => {
    const ring = new FakeKeyRing([keys.metadata, keys.signing]);
    expect(await reasonOf(publish(ring).document('connector'))).toBe('NO_KEY');
    await expect(publish(ring).document('proxy-service')).resolves.toBeDefined();
  });
});
