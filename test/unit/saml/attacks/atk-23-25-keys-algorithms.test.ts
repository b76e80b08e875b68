/**
 * attacks.md ATK-23 (KeyInfo certificate trusted), ATK-24 (HMAC with a public value as secret) and
 * ATK-25 (algorithms and keys eIDAS forbids); R-CRY-02 (SHA-2 digests only), R-CRY-03 (RSASSA-PSS
 * and ECDSA only; rsa-sha256 only by per-call legacy opt-in), R-CRY-04 (named curves ≥ 256 bits),
 * R-MSG-06 (the key comes from metadata, never from the message). Every forged signature here is
 * cryptographically valid: only the policy can refuse it.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { NS } from '../../../../src/saml/namespaces.ts';
import { verifyXml, type VerifyOptions } from '../../../../src/saml/verify.ts';
import {
  G,
  IDS,
  PERSON_IDENTIFIER,
  VICTIM_IDENTIFIER,
  assertionOf,
  attackerParse,
  fixtureText,
  outcomeOf,
  personIdentifierOf,
  serialize,
  setPersonIdentifier,
  signedResponse,
  testKey,
} from '../../../helpers/saml-fixtures.ts';
import { URI, forgeSignature, signers, x509KeyInfo, type ForgeOptions } from './support/forge-signature.ts';

const trustXX = (extra: Partial<VerifyOptions> = {}): VerifyOptions => ({ trusted: [testKey('K_XX').certificate], ...extra });
const trustRsa = (extra: Partial<VerifyOptions> = {}): VerifyOptions => ({ trusted: [testKey('K_XX_RSA').certificate], ...extra });
const b64 = (name: 'K_XX' | 'K_EVIL') => testKey(name).certificate.raw.toString('base64');

/** G_RESP_PLAIN (optionally with the victim's PersonIdentifier) signed on the root by the harness signer. */
function forged(o: Omit<ForgeOptions, 'parent' | 'references'> & { digest?: string; victim?: boolean }): string {
  const doc = attackerParse(fixtureText(G.RESP_PLAIN));
  const root = doc.documentElement!;
  if (o.victim) setPersonIdentifier(assertionOf(root), VICTIM_IDENTIFIER);
  forgeSignature({ ...o, parent: root, references: [{ uri: `#${IDS.response}`, digest: o.digest }] });
  return serialize(doc);
}

describe('ATK-23 R-MSG-06: the certificate in KeyInfo is never trusted', () => {
  const evil = () => signers.ecdsa(testKey('K_EVIL').privateKey);

  it('ATK-23: edited Response re-signed with K_EVIL, K_EVIL certificate (subject copied from K_XX) in KeyInfo → KEY_UNTRUSTED', async () => {
    expect(testKey('K_EVIL').certificate.subject).toBe(testKey('K_XX').certificate.subject);
    const xml = forged({ victim: true, signatureMethod: URI.ECDSA_SHA256, signer: evil(), keyInfo: x509KeyInfo(b64('K_EVIL')) });
    expect(await outcomeOf(async () => verifyXml(await signedResponse('K_EVIL'), trustXX()))).toBe('KEY_UNTRUSTED');
    expect(await outcomeOf(() => verifyXml(xml, trustXX()))).toBe('KEY_UNTRUSTED');
  });

  it('ATK-23: signed by K_EVIL with K_XX and K_EVIL certificates in KeyInfo → KEY_UNTRUSTED', async () => {
    const xml = forged({ victim: true, signatureMethod: URI.ECDSA_SHA256, signer: evil(), keyInfo: x509KeyInfo(b64('K_XX'), b64('K_EVIL')) });
    expect(await outcomeOf(() => verifyXml(xml, trustXX()))).toBe('KEY_UNTRUSTED');
  });

  it('ATK-23: signed by K_EVIL naming only the trusted K_XX certificate, or with no KeyInfo → SIG_INVALID', async () => {
    for (const keyInfo of [x509KeyInfo(b64('K_XX')), undefined]) {
      const xml = forged({ victim: true, signatureMethod: URI.ECDSA_SHA256, signer: evil(), keyInfo });
      expect(await outcomeOf(() => verifyXml(xml, trustXX()))).toBe('SIG_INVALID');
    }
  });

  it('ATK-23: signed by K_EVIL with its key as ds11:DEREncodedKeyValue in KeyInfo → SIG_INVALID', async () => {
    const spki = testKey('K_EVIL').publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const keyInfo = (ki: Element) =>
      ki.appendChild(ki.ownerDocument!.createElementNS(NS.ds11, 'ds11:DEREncodedKeyValue')).appendChild(ki.ownerDocument!.createTextNode(spki));
    const xml = forged({ victim: true, signatureMethod: URI.ECDSA_SHA256, signer: evil(), keyInfo });
    expect(await outcomeOf(() => verifyXml(xml, trustXX()))).toBe('SIG_INVALID');
  });

  it('ATK-23: an empty trusted-key list refuses even a genuine K_XX signature and a K_EVIL one carrying its certificate → KEY_UNTRUSTED', async () => {
    expect(await outcomeOf(async () => verifyXml(await signedResponse('K_XX'), { trusted: [] }))).toBe('KEY_UNTRUSTED');
    expect(await outcomeOf(async () => verifyXml(await signedResponse('K_EVIL'), { trusted: [] }))).toBe('KEY_UNTRUSTED');
    const missing = { trusted: undefined } as unknown as VerifyOptions;
    expect(await outcomeOf(async () => verifyXml(await signedResponse('K_XX'), missing))).toBe('KEY_UNTRUSTED');
  });

  it('ATK-23: a trusted key of the wrong type only (RSA trusted, ECDSA signature) → KEY_UNTRUSTED', async () => {
    expect(await outcomeOf(async () => verifyXml(await signedResponse('K_XX'), trustRsa()))).toBe('KEY_UNTRUSTED');
  });
});

describe('ATK-24 R-CRY-03: HMAC or unknown SignatureMethod → SIG_ALG_NOT_ALLOWED', () => {
  const secrets = (): Array<[string, string | Buffer]> => [
    ['the certificate PEM', testKey('K_XX').certPem],
    ['the certificate DER', testKey('K_XX').certificate.raw],
    ['the SPKI DER', testKey('K_XX').publicKey.export({ type: 'spki', format: 'der' })],
  ];
  it.each([
    ['hmac-sha1', URI.HMAC_SHA1, 'sha1'],
    ['hmac-sha256', URI.HMAC_SHA256, 'sha256'],
  ])('ATK-24: %s computed with the public certificate as secret → SIG_ALG_NOT_ALLOWED', async (_, uri, hash) => {
    for (const [, secret] of secrets()) {
      const xml = forged({ victim: true, signatureMethod: uri, signer: signers.hmac(secret, hash) });
      expect(await outcomeOf(() => verifyXml(xml, trustXX()))).toBe('SIG_ALG_NOT_ALLOWED');
    }
  });

  it.each([['ecdsa-sha256'], ['rsa-pss-sha256']])(
    'ATK-24/ATK-19: SignatureMethod Algorithm="%s" (a short name, not the URI: no other verifier reads it) → SIG_ALG_NOT_ALLOWED',
    async (name) => {
      const signer = name.startsWith('ecdsa') ? signers.ecdsa(testKey('K_XX').privateKey) : signers.rsaPss(testKey('K_XX_RSA').privateKey);
      const xml = forged({ signatureMethod: name, signer });
      const trust = { trusted: [testKey('K_XX').certificate, testKey('K_XX_RSA').certificate] };
      expect(await outcomeOf(() => verifyXml(xml, trust))).toBe('SIG_ALG_NOT_ALLOWED');
    },
  );

  it.each([['unknown', 'urn:evil:sig'], ['empty', '']])('ATK-24: %s SignatureMethod Algorithm → SIG_ALG_NOT_ALLOWED', async (_, uri) => {
    const xml = forged({ signatureMethod: uri, signer: signers.ecdsa(testKey('K_XX').privateKey) });
    expect(await outcomeOf(() => verifyXml(xml, trustXX()))).toBe('SIG_ALG_NOT_ALLOWED');
  });
});

describe('ATK-25 R-CRY-02/03/04: forbidden algorithms and keys from a TRUSTED signer are refused', () => {
  const rsa = () => testKey('K_XX_RSA').privateKey;
  const ecdsa = () => signers.ecdsa(testKey('K_XX').privateKey);

  it('control: RSASSA-PSS SHA-256 with the RSA-3072 key and ECDSA P-256 from the harness signer are accepted', async () => {
    const pss = forged({ signatureMethod: URI.RSA_PSS_SHA256, signer: signers.rsaPss(rsa()) });
    expect(personIdentifierOf((await verifyXml(pss, trustRsa())).element)).toBe(PERSON_IDENTIFIER);
    expect((await verifyXml(forged({ signatureMethod: URI.ECDSA_SHA256, signer: ecdsa() }), trustXX())).id).toBe(IDS.response);
  });

  it('ATK-25 R-CRY-03: rsa-sha1 → SIG_ALG_NOT_ALLOWED, with or without the legacy opt-in', async () => {
    const xml = forged({ signatureMethod: URI.RSA_SHA1, signer: signers.rsaPkcs1(rsa(), 'sha1') });
    expect(await outcomeOf(() => verifyXml(xml, trustRsa()))).toBe('SIG_ALG_NOT_ALLOWED');
    expect(await outcomeOf(() => verifyXml(xml, trustRsa({ allowLegacyRsaSha256: true })))).toBe('SIG_ALG_NOT_ALLOWED');
  });

  it('ATK-25 R-CRY-03: rsa-sha256 (PKCS#1 v1.5) → SIG_ALG_NOT_ALLOWED; accepted only with allowLegacyRsaSha256', async () => {
    const xml = forged({ signatureMethod: URI.RSA_SHA256, signer: signers.rsaPkcs1(rsa(), 'sha256') });
    expect(await outcomeOf(() => verifyXml(xml, trustRsa()))).toBe('SIG_ALG_NOT_ALLOWED');
    expect(await outcomeOf(() => verifyXml(xml, trustRsa({ allowLegacyRsaSha256: false })))).toBe('SIG_ALG_NOT_ALLOWED');
    const verified = await verifyXml(xml, trustRsa({ allowLegacyRsaSha256: true }));
    expect(verified.signatureAlgorithm).toBe(URI.RSA_SHA256);
  });

  it('ATK-25 R-CRY-03: rsa-sha512 (PKCS#1 v1.5) → SIG_ALG_NOT_ALLOWED, with or without the legacy opt-in', async () => {
    const xml = forged({ signatureMethod: URI.RSA_SHA512, signer: signers.rsaPkcs1(rsa(), 'sha512') });
    expect(await outcomeOf(() => verifyXml(xml, trustRsa()))).toBe('SIG_ALG_NOT_ALLOWED');
    expect(await outcomeOf(() => verifyXml(xml, trustRsa({ allowLegacyRsaSha256: true })))).toBe('SIG_ALG_NOT_ALLOWED');
  });

  it('ATK-25 R-CRY-03: ecdsa-sha1 → SIG_ALG_NOT_ALLOWED', async () => {
    const xml = forged({ signatureMethod: URI.ECDSA_SHA1, signer: signers.ecdsa(testKey('K_XX').privateKey, 'sha1') });
    expect(await outcomeOf(() => verifyXml(xml, trustXX()))).toBe('SIG_ALG_NOT_ALLOWED');
  });

  it('ATK-25 R-CRY-02: SHA-1 DigestMethod → SIG_ALG_NOT_ALLOWED (ECDSA; and rsa-sha256 even with the legacy opt-in)', async () => {
    const ec = forged({ signatureMethod: URI.ECDSA_SHA256, signer: ecdsa(), digest: URI.SHA1 });
    expect(await outcomeOf(() => verifyXml(ec, trustXX()))).toBe('SIG_ALG_NOT_ALLOWED');
    const legacy = forged({ signatureMethod: URI.RSA_SHA256, signer: signers.rsaPkcs1(rsa(), 'sha256'), digest: URI.SHA1 });
    expect(await outcomeOf(() => verifyXml(legacy, trustRsa({ allowLegacyRsaSha256: true })))).toBe('SIG_ALG_NOT_ALLOWED');
  });

  it('ATK-25 R-CRY-03: RSA-2048 key (PSS) → SIG_ALG_NOT_ALLOWED by default; accepted with minRsaBits 2048', async () => {
    const k = testKey('K_XX_RSA2048');
    const xml = forged({ signatureMethod: URI.RSA_PSS_SHA256, signer: signers.rsaPss(k.privateKey) });
    expect(await outcomeOf(() => verifyXml(xml, { trusted: [k.certificate] }))).toBe('SIG_ALG_NOT_ALLOWED');
    expect((await verifyXml(xml, { trusted: [k.certificate], minRsaBits: 2048 })).id).toBe(IDS.response);
  });

  it('ATK-25 R-CRY-03: RSA-1024 key (PSS) → SIG_ALG_NOT_ALLOWED even when the caller asks for minRsaBits 1024', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const xml = forged({ signatureMethod: URI.RSA_PSS_SHA256, signer: signers.rsaPss(privateKey) });
    expect(await outcomeOf(() => verifyXml(xml, { trusted: [publicKey], minRsaBits: 1024 }))).toBe('SIG_ALG_NOT_ALLOWED');
  });

  const weakCurves: Array<[string, KeyObject, KeyObject]> = [];
  beforeAll(() => {
    for (const curve of ['prime192v1', 'secp256k1']) {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
      weakCurves.push([curve, privateKey, publicKey]);
    }
  });
  it('ATK-25 R-CRY-04: trusted ECDSA keys on P-192 and secp256k1 → SIG_ALG_NOT_ALLOWED', async () => {
    expect(weakCurves).toHaveLength(2);
    for (const [, privateKey, publicKey] of weakCurves) {
      const xml = forged({ signatureMethod: URI.ECDSA_SHA256, signer: signers.ecdsa(privateKey) });
      expect(await outcomeOf(() => verifyXml(xml, { trusted: [publicKey] }))).toBe('SIG_ALG_NOT_ALLOWED');
    }
  });

  it('ATK-25: ECDSA SignatureValue DER-encoded instead of raw r||s (XML-DSig 1.1) → SIG_INVALID', async () => {
    const xml = forged({ signatureMethod: URI.ECDSA_SHA256, signer: signers.ecdsaDer(testKey('K_XX').privateKey) });
    expect(await outcomeOf(() => verifyXml(xml, trustXX()))).toBe('SIG_INVALID');
  });
});
