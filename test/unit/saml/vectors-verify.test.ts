/**
 * The real eIDAS artefacts of test/fixtures/vectors (see PROVENANCE.md there): what the EU
 * reference node and the German eIDAS middleware signed must verify, and their broken or
 * forbidden variants must be refused for the right reason.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCertificate } from '../../../src/saml/keys.ts';
import { verifyXml, type VerifyOptions } from '../../../src/saml/verify.ts';
import { XmlSecurityError } from '../../../src/saml/errors.ts';
import { DIGEST, SIG } from '../../../src/saml/namespaces.ts';

const VECTORS = new URL('../../fixtures/vectors/', import.meta.url);
const vector = (f: string) => readFileSync(new URL(f, VECTORS));
/** The CN=metadata certificate embedded in the two EU metadata files (see its README). */
const EU_METADATA_SIGNER = loadCertificate(readFileSync(new URL('../../fixtures/keys/eu-mock-metadata/metadata-signer.cert.pem', import.meta.url)));
const GOVERNIKUS_SIGNER = loadCertificate(vector('governikus-eidas-middleware/metadata-signer.cer'));
const GOVERNIKUS_REQUEST_SIGNER = loadCertificate(vector('governikus-eidas-middleware/EidasSignerTest_x509-old.cer')); // DER

async function refusal(file: string, options: VerifyOptions): Promise<XmlSecurityError> {
  try {
    await verifyXml(vector(file), options);
  } catch (e) {
    if (e instanceof XmlSecurityError) return e;
    throw e;
  }
  throw new Error(`${file} was accepted`);
}

describe('R-CRY-03 / R-MD-14: real signed eIDAS artefacts verify', () => {
  it.each(['eidas-eu-mock/ServiceMetadata.xml', 'eidas-eu-mock/ConnectorMetadata.xml'])(
    '%s: RSA-PSS SHA-384, 4096-bit, URI="" with allowWholeDocumentReference',
    async (file) => {
      const verified = await verifyXml(vector(file), { trusted: [EU_METADATA_SIGNER], allowWholeDocumentReference: true });
      expect(verified.signatureAlgorithm).toBe(SIG.RSA_PSS_SHA384);
      expect(verified.digestAlgorithm).toBe(DIGEST.SHA384);
      expect(verified.element.localName).toBe('EntityDescriptor');
      expect(verified.element.getAttribute('entityID')).toMatch(/^http:\/\/localhost:8080\/EidasNode\//);
      expect(verified.key.asymmetricKeyDetails?.modulusLength).toBe(4096);
    },
  );

  it('ATK-11: the same EU metadata is refused without the whole-document opt-in (SIG_SCOPE)', async () => {
    const e = await refusal('eidas-eu-mock/ServiceMetadata.xml', { trusted: [EU_METADATA_SIGNER] });
    expect(e.reason).toBe('SIG_SCOPE');
  });

  it('governikus metadata-9443.xml: ECDSA (P-521, ecdsa-sha256), trusting metadata-signer.cer', async () => {
    const verified = await verifyXml(vector('governikus-eidas-middleware/metadata-9443.xml'), { trusted: [GOVERNIKUS_SIGNER] });
    expect(verified.signatureAlgorithm).toBe(SIG.ECDSA_SHA256);
    expect(verified.id).toBe('eIDASSAMLDemo');
    expect(verified.key.asymmetricKeyDetails?.namedCurve).toBe('secp521r1');
  });

  it('ATK-23: metadata-9443.xml is refused when its signer is not the trusted key (KEY_UNTRUSTED)', async () => {
    const e = await refusal('governikus-eidas-middleware/metadata-9443.xml', { trusted: [EU_METADATA_SIGNER] });
    expect(e.reason).toBe('KEY_UNTRUSTED');
  });
});

describe('R-CRY-02..04: real artefacts refused for the named reason', () => {
  it('R-CRY-04: EidasSamlRequest_13062017.xml (RSA-PSS on a 2048-bit key) → SIG_ALG_NOT_ALLOWED; accepted with minRsaBits 2048', async () => {
    const file = 'governikus-eidas-middleware/EidasSamlRequest_13062017.xml';
    const e = await refusal(file, { trusted: [GOVERNIKUS_REQUEST_SIGNER] });
    expect(e.reason).toBe('SIG_ALG_NOT_ALLOWED');
    expect(e.message).toMatch(/2048/);
    const verified = await verifyXml(vector(file), { trusted: [GOVERNIKUS_REQUEST_SIGNER], minRsaBits: 2048 });
    expect(verified.signatureAlgorithm).toBe(SIG.RSA_PSS_SHA256);
    expect(verified.element.localName).toBe('AuthnRequest');
  });

  it('metadata-9445-invalid.xml (tampered after signing) → DIGEST_MISMATCH', async () => {
    const e = await refusal('governikus-eidas-middleware/metadata-9445-invalid.xml', { trusted: [GOVERNIKUS_SIGNER] });
    expect(e.reason).toBe('DIGEST_MISMATCH');
  });

  it('ATK-10: metadata-9444-shortsign-rsa.xml (no signature) → SIG_MISSING', async () => {
    const e = await refusal('governikus-eidas-middleware/metadata-9444-shortsign-rsa.xml', { trusted: [GOVERNIKUS_SIGNER] });
    expect(e.reason).toBe('SIG_MISSING');
  });

  it('R-CRY-02: EidasSamlRequestWithProviderNameAndRequesterId.xml (rsa-sha256 over a SHA-1 digest) is refused even with allowLegacyRsaSha256, naming SHA-1', async () => {
    const file = 'governikus-eidas-middleware/EidasSamlRequestWithProviderNameAndRequesterId.xml';
    for (const options of [
      { trusted: [GOVERNIKUS_REQUEST_SIGNER] },
      { trusted: [GOVERNIKUS_REQUEST_SIGNER], allowLegacyRsaSha256: true, minRsaBits: 2048 },
    ]) {
      const e = await refusal(file, options);
      expect(e.reason).toBe('SIG_ALG_NOT_ALLOWED');
      expect(e.message).toMatch(/SHA-1/);
    }
  });
});
