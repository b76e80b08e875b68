/**
 * attacks.md ATK-26 (dangerous transforms, reference/signature counts, huge SignedInfo) and ATK-27
 * (external or odd Reference URIs, RetrievalMethod); R-SEC-01 (one Reference '#'+ID, only
 * enveloped-signature + exc-c14n). A loopback listener runs during ATK-27 and must see no connection.
 * No timing is asserted: only that each input is refused with its reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METADATA_LIMITS, parseXml } from '../../../../src/saml/parser.ts';
import { NS } from '../../../../src/saml/namespaces.ts';
import { verifyElement, verifyXml } from '../../../../src/saml/verify.ts';
import {
  G,
  IDS,
  assertionOf,
  attackerParse,
  fixtureText,
  kid,
  kids,
  mutate,
  outcomeOf,
  serialize,
  signatureOf,
  signedAssertionResponse,
  signedResponse,
  testKey,
} from '../../../helpers/saml-fixtures.ts';
import { URI, forgeSignature, resignSignedInfo, signers, type ForgedReference } from './support/forge-signature.ts';
import { startLoopbackListener, type LoopbackListener } from './support/loopback-listener.ts';

const options = () => ({ trusted: [testKey('K_XX').certificate] });
const metadataSized = () => ({ ...options(), limits: METADATA_LIMITS });
const ecdsa = () => signers.ecdsa(testKey('K_XX').privateKey);

/** G_RESP_PLAIN signed on the root by the harness signer; `after` edits the Signature, then it is re-signed. */
function forged(references: ForgedReference[], after?: (sig: Element, root: Element) => void, keyInfo?: (ki: Element) => void): string {
  const doc = attackerParse(fixtureText(G.RESP_PLAIN));
  const root = doc.documentElement!;
  const sig = forgeSignature({ parent: root, references, signatureMethod: URI.ECDSA_SHA256, signer: ecdsa(), keyInfo });
  if (after) {
    after(sig, root);
    resignSignedInfo(sig, ecdsa());
  }
  return serialize(doc);
}
const rootRef = (transforms?: string[]): ForgedReference => ({ uri: `#${IDS.response}`, transforms });
const transformEl = (sig: Element, algorithm: string): Element => {
  const ref = kid(kid(sig, NS.ds, 'SignedInfo'), NS.ds, 'Reference');
  return kids(kid(ref, NS.ds, 'Transforms'), NS.ds, 'Transform').find((t) => t.getAttribute('Algorithm') === algorithm)!;
};
const withChild = (ns: string, qname: string, text: string) => (sig: Element, transform: string) => {
  const doc = sig.ownerDocument!;
  transformEl(sig, transform).appendChild(doc.createElementNS(ns, qname)).appendChild(doc.createTextNode(text));
};

describe('ATK-26 R-SEC-01: dangerous transforms are refused by URI → SIG_ALG_NOT_ALLOWED', () => {
  const XSL = 'http://www.w3.org/1999/XSL/Transform';
  it.each([
    ['XSLT with a stylesheet', [URI.ENVELOPED, URI.XSLT], withChild(XSL, 'xsl:stylesheet', 'document("http://127.0.0.1:9/x")'), URI.XSLT],
    ['XPath', [URI.ENVELOPED, URI.XPATH], withChild(NS.ds, 'ds:XPath', 'not(ancestor-or-self::ds:Signature)'), URI.XPATH],
    ['XPath before exc-c14n', [URI.XPATH, URI.EXC], withChild(NS.ds, 'ds:XPath', 'true()'), URI.XPATH],
    ['XPath Filter 2.0', [URI.ENVELOPED, URI.XPATH_FILTER2], withChild(URI.XPATH_FILTER2, 'dsig-xpath:XPath', '/'), URI.XPATH_FILTER2],
    ['base64', [URI.ENVELOPED, URI.BASE64], undefined, URI.BASE64],
  ] as const)('ATK-26: %s transform → SIG_ALG_NOT_ALLOWED', async (_, transforms, add, uri) => {
    const xml = forged([rootRef([...transforms])], add ? (sig) => add(sig, uri) : undefined);
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('SIG_ALG_NOT_ALLOWED');
  });

  it('ATK-26: 1,000 References → XML_LIMIT at message size; SIG_SCOPE under metadata limits', async () => {
    const xml = forged(Array.from({ length: 1000 }, () => rootRef()));
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('XML_LIMIT');
    expect(await outcomeOf(() => verifyXml(xml, metadataSized()))).toBe('SIG_SCOPE');
  });

  it('ATK-26: 500 ds:Signature children on the signed root → XML_LIMIT at message size; SIG_SCOPE under metadata limits', async () => {
    const xml = mutate(await signedResponse('K_XX'), (d) => {
      const root = d.documentElement!;
      const sig = signatureOf(root);
      for (let i = 0; i < 499; i++) root.insertBefore(sig.cloneNode(true), sig);
    });
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('XML_LIMIT');
    expect(await outcomeOf(() => verifyXml(xml, metadataSized()))).toBe('SIG_SCOPE');
  });

  it('ATK-26: 500 ds:Signature elements outside a validly signed Assertion → XML_LIMIT (document-wide cap)', async () => {
    const xml = mutate(await signedAssertionResponse('K_XX'), (d) => {
      const root = d.documentElement!;
      const sig = signatureOf(assertionOf(root));
      const extensions = root.insertBefore(d.createElementNS(NS.samlp, 'saml2p:Extensions'), kid(root, NS.samlp, 'Status'));
      for (let i = 0; i < 500; i++) extensions.appendChild(sig.cloneNode(true));
    });
    const assertion = assertionOf(parseXml(xml, METADATA_LIMITS).documentElement!);
    expect(await outcomeOf(() => verifyElement(assertion, options()))).toBe('XML_LIMIT');
  });

  it('ATK-26: a megabyte of whitespace inside a validly signed SignedInfo → XML_LIMIT (message size, and SignedInfo cap)', async () => {
    const xml = forged([rootRef()], (sig) => {
      const si = kid(sig, NS.ds, 'SignedInfo');
      si.insertBefore(sig.ownerDocument!.createTextNode(' '.repeat(1 << 20)), si.lastChild);
    });
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('XML_LIMIT');
    expect(await outcomeOf(() => verifyXml(xml, metadataSized()))).toBe('XML_LIMIT');
  });

  it('ATK-26: a megabyte-long ID referenced by a validly signed SignedInfo → XML_LIMIT (SignedInfo cap)', async () => {
    const doc = attackerParse(fixtureText(G.RESP_PLAIN));
    const root = doc.documentElement!;
    const id = `_${'a'.repeat(1 << 20)}`;
    root.setAttribute('ID', id);
    forgeSignature({ parent: root, references: [{ uri: `#${id}` }], signatureMethod: URI.ECDSA_SHA256, signer: ecdsa() });
    expect(await outcomeOf(() => verifyXml(serialize(doc), metadataSized()))).toBe('XML_LIMIT');
  });
});

describe('ATK-27 R-SEC-01: only same-document #ID references; nothing is fetched', () => {
  let listener: LoopbackListener;
  beforeAll(async () => {
    listener = await startLoopbackListener();
  });
  afterAll(async () => {
    expect(listener.connections()).toBe(0);
    await listener.close();
  });

  const uris = (): Array<[string, string]> => [
    ['http on the loopback listener', listener.url('/x')],
    ['scheme-relative //host', `//127.0.0.1:${listener.port}/x`],
    ['file:///etc/passwd', 'file:///etc/passwd'],
    ['#xpointer(/)', '#xpointer(/)'],
    ["#xpointer(id('ID'))", `#xpointer(id('${IDS.response}'))`],
    ['a bare ID without "#"', IDS.response],
    ['"#" + ID + trailing space', `#${IDS.response} `],
  ];
  it('ATK-27: Reference URI http://127.0.0.1:PORT/x, //host, file:, #xpointer(…), bare or padded ID → SIG_STRUCTURE, zero connections', async () => {
    for (const [, uri] of uris()) {
      const doc = attackerParse(fixtureText(G.RESP_PLAIN));
      const root = doc.documentElement!;
      forgeSignature({ parent: root, references: [{ uri, target: root }], signatureMethod: URI.ECDSA_SHA256, signer: ecdsa() });
      expect(await outcomeOf(() => verifyXml(serialize(doc), options()))).toBe('SIG_STRUCTURE');
    }
    expect(listener.connections()).toBe(0);
  });

  it('ATK-27: KeyInfo/RetrievalMethod with an http URI on a validly signed Response → SIG_STRUCTURE, zero connections', async () => {
    const retrieval = (ki: Element) => {
      const rm = ki.appendChild(ki.ownerDocument!.createElementNS(NS.ds, 'ds:RetrievalMethod')) as Element;
      rm.setAttribute('URI', listener.url('/key'));
      rm.setAttribute('Type', 'http://www.w3.org/2000/09/xmldsig#X509Data');
    };
    const xml = forged([rootRef()], undefined, retrieval);
    expect(xml).toContain('RetrievalMethod');
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('SIG_STRUCTURE');
    expect(listener.connections()).toBe(0);
  });
});
