/**
 * RSA-PSS and ECDSA-on-Brainpool interop (R-CRY-03/04) with an independent verifier:
 * Debian's Python, lxml (libxml2) exclusive C14N and `cryptography`
 * (test/interop/python/dsig_peer.py). xmlsec1 1.2.37 cannot check RSA-PSS at all.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEBIAN_PYTHON, describeWithPeer } from '../helpers/peers.ts';
import { loadCertificate, loadPrivateKey } from '../../src/saml/keys.ts';
import { signXml } from '../../src/saml/sign.ts';
import { verifyElement } from '../../src/saml/verify.ts';
import { parseXml } from '../../src/saml/parser.ts';
import { onlyChild } from '../../src/saml/dom.ts';
import { NS, SIG } from '../../src/saml/namespaces.ts';

const KEYS = fileURLToPath(new URL('../fixtures/keys/dsig/', import.meta.url));
const PEER = fileURLToPath(new URL('./python/dsig_peer.py', import.meta.url));
const keyFile = (name: string) => join(KEYS, `${name}.key.pem`);
const certFile = (name: string) => join(KEYS, `${name}.cert.pem`);

const ASSERTION =
  `<saml:Assertion xmlns:saml="${NS.saml}" xmlns:xsi="${NS.xsi}" xmlns:eidas-natural="${NS.eidasNatural}" ID="_a1" Version="2.0">` +
  '<saml:Issuer>https://proxy.example.fr/metadata</saml:Issuer><saml:AttributeStatement>' +
  '<saml:Attribute Name="http://eidas.europa.eu/attributes/naturalperson/CurrentFamilyName">' +
  '<saml:AttributeValue xsi:type="eidas-natural:CurrentFamilyNameType">Παπαδόπουλος &amp; &lt;Ñandú&gt; 中文</saml:AttributeValue>' +
  '</saml:Attribute></saml:AttributeStatement></saml:Assertion>';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pont-pydsig-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function peer(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const file = join(dir, 'doc.xml');
  if (input !== undefined) writeFileSync(file, input);
  const r = spawnSync(DEBIAN_PYTHON, [PEER, args[0]!, file, ...args.slice(1)], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describeWithPeer(['python-crypto'], 'Python lxml + cryptography ⇄ our XML-DSig (R-CRY-03, RSA-PSS and Brainpool)', () => {
  it.each([
    ['rsa-3072', 'rsa-pss-sha256', SIG.RSA_PSS_SHA256],
    ['rsa-3072', 'rsa-pss-sha384', SIG.RSA_PSS_SHA384],
    ['rsa-3072', 'rsa-pss-sha512', SIG.RSA_PSS_SHA512],
    ['brainpoolP256r1', 'ecdsa-sha256', SIG.ECDSA_SHA256],
    ['brainpoolP384r1', 'ecdsa-sha384', SIG.ECDSA_SHA384],
    ['brainpoolP512r1', 'ecdsa-sha512', SIG.ECDSA_SHA512],
  ])('what we sign with %s / %s verifies with the Python peer', async (name, algorithm, uri) => {
    const signed = await signXml(ASSERTION, {
      key: loadPrivateKey(readFileSync(keyFile(name))),
      certificate: loadCertificate(readFileSync(certFile(name))),
      algorithm,
    });
    const good = peer(['verify', certFile(name)], signed);
    expect(good.stdout.trim()).toBe(`OK ${uri}`);
    expect(good.status).toBe(0);
    const tampered = peer(['verify', certFile(name)], signed.replace('Ñandú', 'Nandu'));
    expect(tampered.stdout.trim()).toBe('FAIL digest mismatch');
  });

  it.each([
    ['rsa-3072', SIG.RSA_PSS_SHA384],
    ['brainpoolP256r1', SIG.ECDSA_SHA256],
  ])('what the Python peer signs (%s), with an InclusiveNamespaces prefix bound on an ancestor, verifies with ours', async (name, uri) => {
    // The Assertion is signed inside a Response that alone declares xmlns:xs, a prefix the
    // Assertion uses only in attribute content: exc-c14n must render it from PrefixList="xs".
    const response =
      `<samlp:Response xmlns:samlp="${NS.samlp}" xmlns:xs="${NS.xs}" ID="_r1">` +
      ASSERTION.replace('eidas-natural:CurrentFamilyNameType', 'xs:string') +
      '</samlp:Response>';
    const run = peer(['sign', keyFile(name), uri, '_a1', 'xs'], response);
    expect(run.stderr).toBe('');
    const doc = parseXml(run.stdout);
    const assertion = onlyChild(doc.documentElement, NS.saml, 'Assertion');
    const verified = await verifyElement(assertion, { trusted: [loadCertificate(readFileSync(certFile(name)))] });
    expect(verified.signatureAlgorithm).toBe(uri);
    expect(verified.element).toBe(assertion);
  });
});
