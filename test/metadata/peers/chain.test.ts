/**
 * Trust through the chain carried in the signature's KeyInfo (R-MD-14, R-MD-16, R-CRY-10):
 * accepted only when each certificate is signed by the next and the last by the configured
 * anchor, valid at the (pinned) clock, signed with RSASSA-PSS or ECDSA, intermediates being CAs.
 * A certificate found only in the document never verifies anything.
 */
import { X509Certificate, webcrypto } from 'node:crypto';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { checkedCertificate } from '../../../src/metadata/peers/certificates.ts';
import { trustedSigners } from '../../../src/metadata/peers/chain.ts';
import { MetadataRefusal } from '../../../src/metadata/peers/errors.ts';
import { verifyPeerMetadata, type PeerTrust } from '../../../src/metadata/peers/verify.ts';
import { NS } from '../../../src/saml/namespaces.ts';
import { infinityCertificate, issue, pkcs1Root, type Issued } from './chain-certs.ts';
import { GK, dsigKey, read, resigned, withKeyInfoCertificates } from './helpers.ts';

const NOW = new Date(GK.now);
let root: Issued;
let intermediate: Issued;
let leaf: Issued;

beforeAll(async () => {
  root = await issue({ name: 'CN=DE metadata trust anchor', ca: true });
  intermediate = await issue({ name: 'CN=DE metadata CA', issuer: root, ca: true });
  leaf = await issue({ name: 'CN=DE metadata signer', issuer: intermediate, ca: false });
});

const trust = (anchor: Issued, legacy = false): PeerTrust => ({
  entityId: GK.connector.url,
  role: 'connector',
  country: 'DE',
  anchors: [checkedCertificate(anchor.cert)],
  policy: { minRsaBits: 3072, allowLegacyRsaSha256: legacy },
});

/** The real 9443 content signed by `signer`, KeyInfo = signer's certificate then `chain`. */
async function signedBy(signer: Issued, chain: X509Certificate[], xml: string | Buffer = read(GK.connector.file)): Promise<Buffer> {
  return Buffer.from(withKeyInfoCertificates(await resigned(xml, signer), chain));
}

async function reasonOf(p: Promise<unknown>): Promise<{ reason: string; detail: string }> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(MetadataRefusal);
  return { reason: (err as MetadataRefusal).reason, detail: (err as MetadataRefusal).detail };
}

describe('KeyInfo chain up to the trust anchor', () => {
  it('R-MD-14: leaf → intermediate → anchor is accepted, and the path is reported', async () => {
    const v = await verifyPeerMetadata(await signedBy(leaf, [intermediate.cert]), trust(root), NOW);
    expect(v.chain.map((c) => c.subject)).toEqual(['CN=DE metadata signer', 'CN=DE metadata CA']);
    expect(v.anchor.subject).toBe('CN=DE metadata trust anchor');
  });

  it('R-MD-16: without the intermediate in KeyInfo, the leaf is a key found only in the document: KEY_UNTRUSTED', async () => {
    expect((await reasonOf(verifyPeerMetadata(await signedBy(leaf, []), trust(root), NOW))).reason).toBe('KEY_UNTRUSTED');
  });

  it('R-MD-16: a self-made "anchor" with the anchor\'s name but another key does not link: KEY_UNTRUSTED', async () => {
    const fakeRoot = await issue({ name: 'CN=DE metadata trust anchor', ca: true });
    const fakeIntermediate = await issue({ name: 'CN=DE metadata CA', issuer: fakeRoot, ca: true });
    const fakeLeaf = await issue({ name: 'CN=DE metadata signer', issuer: fakeIntermediate, ca: false });
    const doc = await signedBy(fakeLeaf, [fakeIntermediate.cert, fakeRoot.cert]);
    expect((await reasonOf(verifyPeerMetadata(doc, trust(root), NOW))).reason).toBe('KEY_UNTRUSTED');
  });

  it('R-MD-16: an expired intermediate is CHAIN_INVALID (validity checked against the clock)', async () => {
    const old = await issue({ name: 'CN=old CA', issuer: root, ca: true, notAfter: new Date('2024-06-01T00:00:00Z') });
    const signer = await issue({ name: 'CN=signer under old CA', issuer: old, ca: false });
    const r = await reasonOf(verifyPeerMetadata(await signedBy(signer, [old.cert]), trust(root), NOW));
    expect(r.reason).toBe('CHAIN_INVALID');
    expect(r.detail).toContain('CN=old CA expired 2024-06-01');
  });

  it('R-MD-16: a signer certificate not yet valid is CHAIN_INVALID', async () => {
    const early = await issue({ name: 'CN=future signer', issuer: intermediate, ca: false, notBefore: new Date('2025-01-01T00:00:00Z') });
    const r = await reasonOf(verifyPeerMetadata(await signedBy(early, [intermediate.cert]), trust(root), NOW));
    expect(r.reason).toBe('CHAIN_INVALID');
    expect(r.detail).toContain('not valid before 2025-01-01');
  });

  it('R-CRY-10: an intermediate signed RSA PKCS#1 v1.5 by the anchor is CHAIN_INVALID, unless the peer is named legacy (rsa-sha256)', async () => {
    const rsaRoot = await pkcs1Root('CN=legacy RSA anchor');
    const ca = await issue({ name: 'CN=CA under PKCS#1 root', issuer: rsaRoot, ca: true });
    const signer = await issue({ name: 'CN=signer under PKCS#1 root', issuer: ca, ca: false });
    const doc = await signedBy(signer, [ca.cert]);
    const r = await reasonOf(verifyPeerMetadata(doc, trust(rsaRoot), NOW));
    expect(r.reason).toBe('CHAIN_INVALID');
    expect(r.detail).toMatch(/CN=CA under PKCS#1 root is signed with RSASSA-PKCS1-v1_5\/SHA-256.*R-CRY-10/);
    expect((await verifyPeerMetadata(doc, trust(rsaRoot, true), NOW)).chain).toHaveLength(2);
  });

  it('R-MD-16: an intermediate that is not a CA (basicConstraints cA=false) cannot issue the signer: CHAIN_INVALID', async () => {
    const notCa = await issue({ name: 'CN=not a CA', issuer: root, ca: false, certSignWithoutCa: true });
    const signer = await issue({ name: 'CN=signer under a non-CA', issuer: notCa, ca: false });
    const r = await reasonOf(verifyPeerMetadata(await signedBy(signer, [notCa.cert]), trust(root), NOW));
    expect(r.reason).toBe('CHAIN_INVALID');
    expect(r.detail).toContain('CN=not a CA issues a certificate but is not a CA');
  });
});

describe('ATK-47 / Node 20 abort: a certificate whose EC key is the point at infinity', () => {
  it('in the signature KeyInfo: KEY_INVALID, and the process is still alive', async () => {
    const doc = withKeyInfoCertificates(await resigned(read(GK.connector.file), leaf), [new X509Certificate(infinityCertificate())]);
    const r = await reasonOf(verifyPeerMetadata(Buffer.from(doc), trust(root), NOW));
    expect(r.reason).toBe('KEY_INVALID');
  });

  it('as a role signing certificate of a correctly signed document: KEY_INVALID', async () => {
    const doc = new DOMParser().parseFromString(read(GK.connector.file).toString(), 'text/xml');
    const sp = doc.getElementsByTagNameNS(NS.md, 'SPSSODescriptor').item(0)!;
    const cert = sp.getElementsByTagNameNS(NS.ds, 'X509Certificate').item(0)!;
    cert.textContent = infinityCertificate().toString('base64');
    const signer = dsigKey('p256');
    const signed = await resigned(new XMLSerializer().serializeToString(doc), signer);
    const anchorTrust = { ...trust(root), anchors: [checkedCertificate(signer.cert)] };
    const r = await reasonOf(verifyPeerMetadata(Buffer.from(signed), anchorTrust, NOW));
    expect(r.reason).toBe('KEY_INVALID');
  });
});

describe('ATK-47 / ATK-26: the KeyInfo chain search is bounded by the pairs, not the paths', () => {
  it('eight self-issued certificates sharing one name and key (each "issues" every other) cost at most one signature check per pair', async () => {
    const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const loop = await Promise.all(Array.from({ length: 8 }, () => issue({ name: 'CN=loop', ca: true, keys })));
    const offered = loop.map((c) => checkedCertificate(c.cert));
    const anchors = [checkedCertificate(root.cert)];
    const verify = vi.spyOn(X509Certificate.prototype, 'verify');
    try {
      const result = trustedSigners(offered, anchors, { now: NOW, minRsaBits: 3072, allowPkcs1Certificates: false });
      expect(result.signers).toEqual([]);
      // Every path through the loop (8 × 7 × 6 × 5 × 4 of them) used to re-verify each link.
      expect(verify.mock.calls.length).toBeLessThanOrEqual(offered.length * (offered.length + anchors.length));
    } finally {
      verify.mockRestore();
    }
  });
});
