/**
 * XML-DSig interop with Debian's xmlsec1 1.2.37 (libxmlsec1 + OpenSSL), code nobody here
 * wrote. xmlsec1 1.2.x has no RSA-PSS (see debian-peers.md), so the common ground is ECDSA
 * P-256 and, for the legacy opt-in only, RSA-SHA256 (R-CRY-03).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPeer } from '../helpers/peers.ts';
import { loadCertificate, loadPrivateKey } from '../../src/saml/keys.ts';
import { signXml } from '../../src/saml/sign.ts';
import { verifyXml } from '../../src/saml/verify.ts';
import { XmlSecurityError } from '../../src/saml/errors.ts';
import { NS, SIG } from '../../src/saml/namespaces.ts';

const KEYS = fileURLToPath(new URL('../fixtures/keys/dsig/', import.meta.url));
const keyFile = (name: string) => join(KEYS, `${name}.key.pem`);
const certFile = (name: string) => join(KEYS, `${name}.cert.pem`);
const ID_ATTR = `${NS.samlp}:Response`;

const RESPONSE = (signature = '') =>
  `<samlp:Response xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="_resp1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z">` +
  `<saml:Issuer>https://proxy.example.fr/metadata</saml:Issuer>${signature}` +
  '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>' +
  '<saml:Assertion ID="_a1" Version="2.0"><saml:Subject><saml:NameID>FR/DE/Ωμέγα &amp; 中文</saml:NameID></saml:Subject></saml:Assertion>' +
  '</samlp:Response>';

/** An empty enveloped-signature template for xmlsec1 --sign (values are filled by xmlsec1). */
const TEMPLATE = (signatureMethod: string) =>
  RESPONSE(
    `<ds:Signature xmlns:ds="${NS.ds}"><ds:SignedInfo>` +
      '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>' +
      `<ds:SignatureMethod Algorithm="${signatureMethod}"/>` +
      '<ds:Reference URI="#_resp1"><ds:Transforms>' +
      '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>' +
      '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>' +
      '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>' +
      '</ds:SignedInfo><ds:SignatureValue/></ds:Signature>',
  );

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pont-xmlsec1-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function xmlsecVerify(xml: string, cert: string): { ok: boolean; output: string } {
  const file = join(dir, 'to-verify.xml');
  writeFileSync(file, xml);
  const r = spawnSync('xmlsec1', ['--verify', '--pubkey-cert-pem', cert, '--id-attr:ID', ID_ATTR, file], { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

function xmlsecSign(signatureMethod: string, signer: string): string {
  const file = join(dir, 'template.xml');
  writeFileSync(file, TEMPLATE(signatureMethod));
  return execFileSync('xmlsec1', ['--sign', '--privkey-pem', `${keyFile(signer)},${certFile(signer)}`, '--id-attr:ID', ID_ATTR, file], {
    encoding: 'utf8',
  });
}

async function reasonOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (e) {
    if (e instanceof XmlSecurityError) return e.reason;
    throw e;
  }
}

describeWithPeer(['xmlsec1'], 'xmlsec1 1.2.37 ⇄ our XML-DSig (R-CRY-03)', () => {
  it('what we sign with ECDSA P-256 verifies with xmlsec1; a tampered copy does not', async () => {
    const signed = await signXml(RESPONSE(), {
      key: loadPrivateKey(readFileSync(keyFile('p256'))),
      certificate: loadCertificate(readFileSync(certFile('p256'))),
      algorithm: 'ecdsa-sha256',
    });
    const good = xmlsecVerify(signed, certFile('p256'));
    expect(good.output).toMatch(/^OK/m);
    expect(good.ok).toBe(true);
    const tampered = xmlsecVerify(signed.replace('FR/DE/', 'FR/XX/'), certFile('p256'));
    expect(tampered.ok).toBe(false);
    const otherKey = xmlsecVerify(signed, certFile('evil-p256'));
    expect(otherKey.ok).toBe(false);
  });

  it('what xmlsec1 signs with ECDSA P-256 verifies with ours, with the trusted certificate only', async () => {
    const signed = xmlsecSign(SIG.ECDSA_SHA256, 'p256');
    const cert = loadCertificate(readFileSync(certFile('p256')));
    const verified = await verifyXml(signed, { trusted: [cert] });
    expect(verified.signatureAlgorithm).toBe(SIG.ECDSA_SHA256);
    expect(verified.id).toBe('_resp1');
    expect(verified.element.textContent).toContain('FR/DE/Ωμέγα & 中文');
    const evil = loadCertificate(readFileSync(certFile('evil-p256')));
    expect(await reasonOf(verifyXml(signed, { trusted: [evil] }))).toBe('SIG_INVALID');
    expect(await reasonOf(verifyXml(signed.replace('FR/DE/', 'FR/XX/'), { trusted: [cert] }))).toBe('DIGEST_MISMATCH');
  });

  it('ATK-25: what xmlsec1 signs with RSA-SHA256 (RSA-3072) verifies with ours only with allowLegacyRsaSha256', async () => {
    const signed = xmlsecSign(SIG.RSA_SHA256, 'rsa-3072');
    const cert = loadCertificate(readFileSync(certFile('rsa-3072')));
    expect(await reasonOf(verifyXml(signed, { trusted: [cert] }))).toBe('SIG_ALG_NOT_ALLOWED');
    const verified = await verifyXml(signed, { trusted: [cert], allowLegacyRsaSha256: true });
    expect(verified.signatureAlgorithm).toBe(SIG.RSA_SHA256);
    expect(verified.key.asymmetricKeyDetails?.modulusLength).toBe(3072);
  });
});
