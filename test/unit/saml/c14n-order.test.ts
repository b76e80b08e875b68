/**
 * C14N 1.0 §2.2 ordering (R-CRY-03, ATK-19 interop): attributes by namespace URI (none first)
 * then local name, namespace declarations by prefix, both by UCS code point. What we sign
 * after editing a parsed DOM (setAttribute / setAttributeNS) must digest as every receiver
 * computes it after parsing our serialisation: xmlsec1 (libxml2) and our own verifier.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithPeer } from '../../helpers/peers.ts';
import { fixtureText, G } from '../../helpers/saml-fixtures.ts';
import { canonicalize, compareCodePoints } from '../../../src/saml/c14n.ts';
import { XmlSecurityError } from '../../../src/saml/errors.ts';
import { loadCertificate, loadPrivateKey } from '../../../src/saml/keys.ts';
import { NS } from '../../../src/saml/namespaces.ts';
import { parseXml, serializeXml } from '../../../src/saml/parser.ts';
import { signElement } from '../../../src/saml/sign.ts';
import { verifyXml } from '../../../src/saml/verify.ts';

const KEYS = fileURLToPath(new URL('../../fixtures/keys/dsig/', import.meta.url));
const CERT_FILE = join(KEYS, 'p256.cert.pem');
const key = loadPrivateKey(readFileSync(join(KEYS, 'p256.key.pem')));
const certificate = loadCertificate(readFileSync(CERT_FILE));
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

function reasonOf(f: () => unknown): string {
  try {
    f();
    return 'accepted';
  } catch (e) {
    if (e instanceof XmlSecurityError) return e.reason;
    throw e;
  }
}

/**
 * The golden Response, edited through the DOM the way a flow builds a message: attributes
 * replaced and added with setAttribute (null namespace, where parsed ones have undefined),
 * and namespaced ones with setAttributeNS whose URIs are prefixes of each other
 * ("urn:x:a"+"zz" against "urn:x:ab"+"c"), whose prefixes localeCompare orders otherwise
 * than code points (Z < a1 < a_), and xml:lang (the XML namespace) on a child.
 */
function domEditedResponse(): Document {
  const doc = parseXml(fixtureText(G.RESP_PLAIN));
  const root = doc.documentElement;
  root.setAttribute('ID', '_built-with-the-dom-2');
  root.setAttribute('Destination', 'https://pont.example.fr/connector/acs');
  root.setAttribute('AAA', 'unqualified, set last, sorts first by name');
  root.setAttributeNS('urn:x:ab', 'a_:c', 'ab');
  root.setAttributeNS('urn:x:a', 'a1:zz', 'a');
  root.setAttributeNS('urn:x:Z', 'Z:q', 'Z');
  const status = root.getElementsByTagNameNS(NS.samlp, 'StatusCode')[0]!;
  status.setAttributeNS(XML_NS, 'xml:lang', 'fr');
  status.setAttributeNS('urn:x:b', 'b:v', 'b');
  return doc;
}

describe('C14N 1.0 §2.2 order of attributes and namespace declarations (R-CRY-03)', () => {
  it('orders by code point, not UTF-16 unit nor locale', () => {
    expect(compareCodePoints('\u{FF21}', '\u{10000}')).toBeLessThan(0); // UTF-16 units say the opposite
    expect(compareCodePoints('\u{10000}', '\u{10001}')).toBeLessThan(0);
    expect(compareCodePoints('Z', 'a1')).toBeLessThan(0);
    expect(compareCodePoints('a1', 'a_')).toBeLessThan(0); // localeCompare says the opposite
    expect(compareCodePoints('urn:x:a', 'urn:x:ab')).toBeLessThan(0);
    expect(compareCodePoints('same', 'same')).toBe(0);
  });

  it('canonical form of a DOM-edited element = canonical form of its serialisation parsed again', () => {
    const doc = domEditedResponse();
    const sent = canonicalize(doc.documentElement).toString('utf8');
    const received = canonicalize(parseXml(serializeXml(doc)).documentElement).toString('utf8');
    expect(sent).toBe(received);
    expect(sent).toContain(
      ' xmlns:Z="urn:x:Z" xmlns:a1="urn:x:a" xmlns:a_="urn:x:ab" xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol"' +
        ' AAA="unqualified, set last, sorts first by name"' +
        ' Consent="urn:oasis:names:tc:SAML:2.0:consent:obtained" Destination="https://pont.example.fr/connector/acs"' +
        ' ID="_built-with-the-dom-2"',
    );
    expect(sent).toContain(' Z:q="Z" a1:zz="a" a_:c="ab">');
    expect(sent).toMatch(/ Value="[^"]*" xml:lang="fr" b:v="b">/);
  });

  it('refuses to sign an attribute given a prefix with setAttribute (no namespace): XML_MALFORMED', async () => {
    const doc = parseXml(fixtureText(G.RESP_PLAIN));
    doc.documentElement.setAttribute('xml:lang', 'fr');
    await expect(signElement(doc.documentElement, { key, certificate })).rejects.toMatchObject({ reason: 'XML_MALFORMED' });
    expect(reasonOf(() => canonicalize(doc.documentElement))).toBe('XML_MALFORMED');
  });
});

describeWithPeer(['xmlsec1'], 'R-CRY-03 interop: signElement on a DOM-edited element verifies with xmlsec1 and ours', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pont-c14n-order-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function xmlsec1Verifies(xml: string): boolean {
    const file = join(dir, 'dom-edited.xml');
    writeFileSync(file, xml);
    const args = ['--verify', '--pubkey-cert-pem', CERT_FILE, '--id-attr:ID', `${NS.samlp}:Response`, file];
    return spawnSync('xmlsec1', args, { encoding: 'utf8' }).status === 0;
  }

  it('attributes set with setAttribute / setAttributeNS before signing → xmlsec1 OK and verifyXml OK', async () => {
    const doc = domEditedResponse();
    await signElement(doc.documentElement, { key, certificate });
    const xml = serializeXml(doc);
    expect(xmlsec1Verifies(xml)).toBe(true);
    const verified = await verifyXml(xml, { trusted: [certificate] });
    expect(verified.id).toBe('_built-with-the-dom-2');
    // and the check is not vacuous: a changed attribute value fails with both
    const tampered = xml.replace('a1:zz="a"', 'a1:zz="b"');
    expect(xmlsec1Verifies(tampered)).toBe(false);
    await expect(verifyXml(tampered, { trusted: [certificate] })).rejects.toMatchObject({ reason: 'DIGEST_MISMATCH' });
  });
});
