/**
 * The verification pipeline on the real EU artefacts (pinned clocks): accepted as peers with
 * their signer certificate as trust anchor, and every refusal with its reason code (R-MD-01..05,
 * R-MD-14..16, R-CRY-03/04, ATK-47).
 */
import { describe, expect, it } from 'vitest';
import { MetadataRefusal } from '../../../src/metadata/peers/errors.ts';
import { verifyPeerMetadata, type PeerTrust } from '../../../src/metadata/peers/verify.ts';
import { EU, GK, anchor, dsigKey, read, resigned, unsigned } from './helpers.ts';

const STRICT = { minRsaBits: 3072, allowLegacyRsaSha256: false };
const euAnchor = anchor(EU.anchorFile);
const gkAnchor = anchor(GK.anchorFile);

const euService: PeerTrust = { entityId: EU.service.url, role: 'proxy-service', country: 'CA', anchors: [euAnchor], policy: STRICT };
const euConnector: PeerTrust = { entityId: EU.connector.url, role: 'connector', country: 'CA', anchors: [euAnchor], policy: STRICT };
const gkConnector: PeerTrust = { entityId: GK.connector.url, role: 'connector', country: 'DE', anchors: [gkAnchor], policy: STRICT };

async function refusal(promise: Promise<unknown>): Promise<MetadataRefusal> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(MetadataRefusal);
  return err as MetadataRefusal;
}

describe('real EU metadata accepted as peers (pinned clock)', () => {
  it('R-MD-03/09/10: eidas-eu-mock ServiceMetadata.xml is a proxy service with SSO endpoints, LoA and attributes', async () => {
    const v = await verifyPeerMetadata(read(EU.service.file), euService, new Date(EU.now));
    const d = v.descriptor;
    expect(d.entityId).toBe(EU.service.url);
    expect(d.country).toBe('CA');
    expect(d.ssoServices.map((s) => s.binding.split(':').pop())).toEqual(['HTTP-POST', 'HTTP-Redirect']);
    expect(d.loas).toEqual(['http://eidas.europa.eu/LoA/substantial']);
    expect(d.supportedAttributes).toHaveLength(38);
    expect(d.supportedAttributes).toContain('http://eidas.europa.eu/attributes/naturalperson/PersonIdentifier');
    expect(d.signingKeys.map((k) => k.asymmetricKeyDetails?.modulusLength)).toEqual([4096]);
    expect(d.validUntil.toISOString()).toBe('2020-03-21T13:33:58.823Z');
    expect(d.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(v.anchor.fingerprint).toBe(euAnchor.fingerprint);
    expect(v.chain).toEqual([]); // the anchor signed directly (RSA-PSS SHA-384, URI="")
  });

  it('R-MD-03/12: eidas-eu-mock ConnectorMetadata.xml is a connector with ACS, SPType and a brainpoolP256r1 encryption key', async () => {
    const d = (await verifyPeerMetadata(read(EU.connector.file), euConnector, new Date(EU.now))).descriptor;
    expect(d.role).toBe('connector');
    expect(d.spType).toBe('public');
    expect(d.assertionConsumerServices[0]).toEqual({
      binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', location: 'http://cef-eid-build-1:8080/EidasNode/ColleagueResponse', index: 0, isDefault: true,
    });
    expect(d.encryptionCertificates[0]!.publicKey.asymmetricKeyDetails?.namedCurve).toBe('brainpoolP256r1');
    expect(d.encryptionMethods).toContain('http://www.w3.org/2009/xmlenc11#aes256-gcm');
  });

  it('R-MD-05: governikus metadata-9443.xml is a connector signed ECDSA by its P-521 anchor (Reference to its ID)', async () => {
    const d = (await verifyPeerMetadata(read(GK.connector.file), gkConnector, new Date(GK.now))).descriptor;
    expect(d.country).toBe('DE'); // no NodeCountry in this file: the configured country
    expect(d.signingKeys[0]!.asymmetricKeyDetails?.namedCurve).toBe('secp521r1');
    expect(d.encryptionCertificates[0]!.publicKey.asymmetricKeyDetails?.modulusLength).toBe(4096);
    expect(d.assertionConsumerServices.map((a) => a.location)).toEqual(['https://localhost:9443/eIDASDemoApplication/NewReceiverServlet']);
  });
});

describe('refused, each with its reason (ATK-47)', () => {
  it('R-MD-16: metadata-9445-invalid.xml (tampered after signing) is DIGEST_MISMATCH', async () => {
    const trust = { ...gkConnector, entityId: 'https://localhost:9445/eIDASDemoApplication/Metadata' };
    const r = await refusal(verifyPeerMetadata(read(GK.tampered), trust, new Date(GK.now)));
    expect([r.reason, r.stage]).toEqual(['DIGEST_MISMATCH', 'signature']);
  });

  it('R-MD-14: an unsigned copy is SIG_MISSING', async () => {
    const r = await refusal(verifyPeerMetadata(Buffer.from(unsigned(read(GK.connector.file))), gkConnector, new Date(GK.now)));
    expect(r.reason).toBe('SIG_MISSING');
  });

  it('R-MD-16: a copy signed by another key (its certificate in KeyInfo) is KEY_UNTRUSTED, never trusted from the document', async () => {
    const forged = await resigned(read(GK.connector.file), dsigKey('evil-p256'));
    const r = await refusal(verifyPeerMetadata(Buffer.from(forged), gkConnector, new Date(GK.now)));
    expect(r.reason).toBe('KEY_UNTRUSTED');
  });

  it('R-MD-01: the real file at a clock after its validUntil is METADATA_EXPIRED', async () => {
    const r = await refusal(verifyPeerMetadata(read(GK.connector.file), gkConnector, new Date('2024-12-04T14:22:46.804Z')));
    expect([r.reason, r.stage]).toEqual(['METADATA_EXPIRED', 'content']);
  });

  it('R-MD-01: a signed copy without validUntil is METADATA_EXPIRED', async () => {
    const signer = dsigKey('p384');
    const copy = await resigned(read(GK.connector.file), signer, { validUntil: null });
    const r = await refusal(verifyPeerMetadata(Buffer.from(copy), { ...gkConnector, anchors: [anchor(signer.certFile)] }, new Date(GK.now)));
    expect(r.detail).toContain('no validUntil');
  });

  it('R-MD-02: served from another URL than its entityID is ENTITY_ID_MISMATCH', async () => {
    const r = await refusal(verifyPeerMetadata(read(EU.service.file), { ...euService, entityId: 'https://other.example/metadata' }, new Date(EU.now)));
    expect(r.reason).toBe('ENTITY_ID_MISMATCH');
  });

  it('R-MD-03: a proxy-service document for a connector peer is ROLE_MISMATCH', async () => {
    const r = await refusal(verifyPeerMetadata(read(EU.service.file), { ...euService, role: 'connector' }, new Date(EU.now)));
    expect(r.reason).toBe('ROLE_MISMATCH');
  });

  it('R-MD-11: a NodeCountry other than the configured country is COUNTRY_MISMATCH', async () => {
    const r = await refusal(verifyPeerMetadata(read(EU.service.file), { ...euService, country: 'FR' }, new Date(EU.now)));
    expect(r.reason).toBe('COUNTRY_MISMATCH');
  });

  it('R-CRY-04: a 2048-bit RSA role key is SIG_ALG_NOT_ALLOWED unless the peer is named legacy (rsa-2048)', async () => {
    const signer = dsigKey('p256');
    const copy = await resigned(read(GK.shortRsa), signer, { validUntil: '2030-01-01T00:00:00Z' });
    const entityId = 'https://localhost:9444/eIDASDemoApplication/Metadata';
    const trust: PeerTrust = { entityId, role: 'connector', country: 'DE', anchors: [anchor(signer.certFile)], policy: STRICT };
    const r = await refusal(verifyPeerMetadata(Buffer.from(copy), trust, new Date(GK.now)));
    expect(r.reason).toBe('SIG_ALG_NOT_ALLOWED');
    expect(r.detail).toMatch(/signing certificate .*CN=Wurst.*2048 bits/);
    const legacy = await verifyPeerMetadata(Buffer.from(copy), { ...trust, policy: { minRsaBits: 2048, allowLegacyRsaSha256: false } }, new Date(GK.now));
    expect(legacy.descriptor.signingKeys[0]!.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('R-MD-18: an aggregate (EntitiesDescriptor) is not a peer\'s metadata: NOT_AN_ENTITY', async () => {
    const r = await refusal(verifyPeerMetadata(read(`${EU.service.file.replace(/eidas-eu-mock.*/, '')}swedenconnect-eidas-connector/eu-metadata-idps.xml`), euService, new Date(EU.now)));
    expect(r.reason).toBe('NOT_AN_ENTITY');
  });

  it('ATK-47: a DOCTYPE in metadata is XML_DTD_FORBIDDEN before any signature work', async () => {
    const xml = read(GK.connector.file).toString().replace('<md:EntityDescriptor', '<!DOCTYPE x [<!ENTITY a "b">]><md:EntityDescriptor');
    const r = await refusal(verifyPeerMetadata(Buffer.from(xml), gkConnector, new Date(GK.now)));
    expect([r.reason, r.stage]).toEqual(['XML_DTD_FORBIDDEN', 'parse']);
  });

});
