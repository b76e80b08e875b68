/**
 * The attack suite must not only test the core's signer against the core's verifier: the committed
 * fixtures signed by xmlsec1 (test/fixtures/saml/valid/README.md) go through verifyXml, and xmlsec1
 * checks what signElement / signXml produce. R-SEC-01, R-CRY-02/03 (ECDSA P-256, SHA-256, exc-c14n).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { NS } from '../../../../src/saml/namespaces.ts';
import { parseXml, serializeXml } from '../../../../src/saml/parser.ts';
import { signElement, signXml } from '../../../../src/saml/sign.ts';
import { verifyElement, verifyXml } from '../../../../src/saml/verify.ts';
import { describeWithPeer } from '../../../helpers/peers.ts';
import {
  G,
  IDS,
  PERSON_IDENTIFIER,
  assertionOf,
  fixtureText,
  kid,
  mutate,
  outcomeOf,
  personIdentifierOf,
  signOptions,
  signatureOf,
  signedAssertionResponse,
  signedRequest,
  signedResponse,
  testKey,
} from '../../../helpers/saml-fixtures.ts';

const options = () => ({ trusted: [testKey('K_XX').certificate] });
const NS_ATTRIBUTES = 'eidas-response-ns-attributes-signed-xmlsec1-ecdsa-p256.xml';

describe('R-SEC-01 interop: the core verifier accepts what xmlsec1 signed, and only that', () => {
  it('xmlsec1-signed Response (64-column base64) → accepted, PersonIdentifier read', async () => {
    const verified = await verifyXml(fixtureText(G.RESP_XMLSEC1), options());
    expect(verified.id).toBe(IDS.response);
    expect(personIdentifierOf(verified.element)).toBe(PERSON_IDENTIFIER);
  });

  it('xmlsec1-signed Assertion inside an unsigned Response → accepted through verifyElement', async () => {
    const assertion = assertionOf(parseXml(fixtureText(G.RESP_SA_XMLSEC1)).documentElement);
    expect(personIdentifierOf((await verifyElement(assertion, options())).element)).toBe(PERSON_IDENTIFIER);
  });

  it('xmlsec1-signed AuthnRequest → accepted', async () => {
    expect((await verifyXml(fixtureText(G.REQ_XMLSEC1), options())).id).toBe(IDS.request);
  });

  it('xmlsec1-signed Response with attributes in two namespaces, one URI a prefix of the other → accepted (C14N attribute order)', async () => {
    const verified = await verifyXml(fixtureText(NS_ATTRIBUTES), options());
    expect(kid(kid(verified.element, NS.samlp, 'Status'), NS.samlp, 'StatusCode').getAttributeNS('urn:x:ab', 'c')).toBe('2');
  });

  it('xmlsec1-signed Response with the PersonIdentifier changed → DIGEST_MISMATCH', async () => {
    const xml = fixtureText(G.RESP_XMLSEC1).replaceAll(`>${PERSON_IDENTIFIER}<`, '>XX/FR/999999<');
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('DIGEST_MISMATCH');
  });

  it('xmlsec1-signed Response with one SignatureValue byte changed → SIG_INVALID', async () => {
    const xml = mutate(fixtureText(G.RESP_XMLSEC1), (d) => {
      const value = kid(signatureOf(d.documentElement!), NS.ds, 'SignatureValue');
      const bytes = Buffer.from(value.textContent!.replace(/\s+/g, ''), 'base64');
      bytes[5] = bytes[5]! ^ 0x01;
      value.textContent = bytes.toString('base64');
    });
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('SIG_INVALID');
  });
});

describeWithPeer(['xmlsec1'], 'R-SEC-01 interop: xmlsec1 verifies what the core signer produced', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pont-attack-xmlsec1-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const keys = (path: string) => fileURLToPath(new URL(`../../../fixtures/keys/${path}.cert.pem`, import.meta.url));
  const cert = keys('attack-harness/k-xx');

  function xmlsec1Verifies(name: string, xml: string, trusted = cert): boolean {
    const file = join(dir, name);
    writeFileSync(file, xml);
    const ids = ['protocol:Response', 'assertion:Assertion', 'protocol:AuthnRequest'].flatMap((t) => [
      '--id-attr:ID',
      `urn:oasis:names:tc:SAML:2.0:${t}`,
    ]);
    const r = spawnSync('xmlsec1', ['--verify', '--trusted-pem', trusted, ...ids, file], { encoding: 'utf8', timeout: 20_000 });
    return r.status === 0;
  }

  it.each([
    [G.RESP_XMLSEC1, 'attack-harness/k-xx'],
    [G.RESP_SA_XMLSEC1, 'attack-harness/k-xx'],
    [G.RESP_CR_XMLSEC1, 'attack-harness/k-xx'],
    [G.REQ_XMLSEC1, 'attack-harness/k-xx'],
    [NS_ATTRIBUTES, 'attack-harness/k-xx'],
    ['authnrequest-de-signed-xmlsec1-ecdsa-p256.xml', 'dsig/p256'],
    ['authnrequest-de-signed-xmlsec1-rsa-sha256.xml', 'dsig/rsa-3072'],
    ['authnrequest-yy-signed-xmlsec1-rsa-sha256.xml', 'dsig/rsa-3072'],
  ])('the committed fixture %s is what xmlsec1 signed: it verifies with xmlsec1 (%s), base64 wrapped at 64 columns', (file, signer) => {
    const xml = fixtureText(file);
    expect(xmlsec1Verifies(`fixture-${file}`, xml, keys(signer))).toBe(true);
    expect(xml).toMatch(/<ds:SignatureValue>[A-Za-z0-9+/]{64}\n/);
  });

  it('signElement on a parsed Response, Assertion and AuthnRequest (ECDSA P-256) → xmlsec1 OK', async () => {
    expect(xmlsec1Verifies('response.xml', await signedResponse('K_XX'))).toBe(true);
    expect(xmlsec1Verifies('assertion.xml', await signedAssertionResponse('K_XX'))).toBe(true);
    expect(xmlsec1Verifies('request.xml', await signedRequest('K_XX'))).toBe(true);
  });

  it('signXml on the golden Response string → xmlsec1 OK, and the core verifier agrees', async () => {
    const xml = await signXml(fixtureText(G.RESP_PLAIN), signOptions('K_XX'));
    expect(xmlsec1Verifies('signxml.xml', xml)).toBe(true);
    expect((await verifyXml(xml, options())).id).toBe(IDS.response);
  });

  it('signElement on an element whose attributes were set through the DOM (setAttribute) → xmlsec1 OK', async () => {
    const doc = parseXml(fixtureText(G.RESP_PLAIN));
    doc.documentElement.setAttribute('ID', '_built-with-the-dom-1');
    doc.documentElement.setAttribute('Destination', 'https://pont.example.fr/connector/acs');
    await signElement(doc.documentElement, signOptions('K_XX'));
    const xml = serializeXml(doc);
    expect(xmlsec1Verifies('dom-built.xml', xml)).toBe(true);
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('ACCEPTED');
  });
});
