/**
 * attacks.md ATK-10 (signature exclusion), ATK-11 (wrong scope, URI="", several References,
 * non-enveloped), ATK-12 (several assertions, at core level) and ATK-13 (duplicate IDs, ID-attribute
 * confusion); R-SEC-01 (one signature per message, Reference/@URI = '#' + root ID, enveloped).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseXml } from '../../../../src/saml/parser.ts';
import { NS } from '../../../../src/saml/namespaces.ts';
import { verifyElement, verifyXml } from '../../../../src/saml/verify.ts';
import {
  G,
  IDS,
  PERSON_IDENTIFIER,
  VICTIM_IDENTIFIER,
  assertionOf,
  attackerParse,
  fixtureText,
  kid,
  kids,
  mutate,
  outcomeOf,
  personIdentifierOf,
  serialize,
  setPersonIdentifier,
  signatureOf,
  signedAssertionResponse,
  signedRequest,
  signedResponse,
  testKey,
} from '../../../helpers/saml-fixtures.ts';
import { URI, forgeSignature, signers } from './support/forge-signature.ts';
import { xsw2 } from './support/xsw.ts';

const options = (extra = {}) => ({ trusted: [testKey('K_XX').certificate], ...extra });
const ecdsa = () => signers.ecdsa(testKey('K_XX').privateKey);
let resp: string;
let sa: string;
beforeAll(async () => {
  resp = await signedResponse('K_XX');
  sa = await signedAssertionResponse('K_XX');
});

/** G_RESP_PLAIN with a forged (valid, K_XX) signature built by `forge` on the attacker's DOM. */
function forged(forge: (doc: Document, root: Element) => void): string {
  const doc = attackerParse(fixtureText(G.RESP_PLAIN));
  forge(doc, doc.documentElement!);
  return serialize(doc);
}

/** The node's parse of `xml`, then verifyElement on the (first) Assertion child that carries a ds:Signature. */
const signedAssertionIn = (root: Element): Element =>
  kids(root, NS.saml, 'Assertion').find((a) => kids(a, NS.ds, 'Signature').length > 0)!;
const verifyAssertion = (xml: string) => verifyElement(signedAssertionIn(parseXml(xml).documentElement!), options());

describe('ATK-10 R-SEC-01: signature exclusion is SIG_MISSING or SIG_STRUCTURE, never a pass', () => {
  it('ATK-10: ds:Signature removed from the signed Response → SIG_MISSING', async () => {
    const xml = mutate(resp, (d) => d.documentElement!.removeChild(signatureOf(d.documentElement!)));
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('SIG_MISSING');
  });

  it('ATK-10: never-signed Response and never-signed AuthnRequest → SIG_MISSING', async () => {
    expect(await outcomeOf(() => verifyXml(fixtureText(G.RESP_PLAIN), options()))).toBe('SIG_MISSING');
    expect(await outcomeOf(() => verifyXml(fixtureText(G.REQ), options()))).toBe('SIG_MISSING');
  });

  it('ATK-10: only the inner Assertion is signed, the Response is not → verifying the Response gives SIG_MISSING', async () => {
    expect(await outcomeOf(() => verifyXml(sa, options()))).toBe('SIG_MISSING');
  });

  it('ATK-10: empty <SignatureValue/> and whitespace-only SignatureValue → SIG_STRUCTURE', async () => {
    for (const text of ['', ' \n ']) {
      const xml = mutate(resp, (d) => {
        kid(signatureOf(d.documentElement!), NS.ds, 'SignatureValue').textContent = text;
      });
      expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('SIG_STRUCTURE');
    }
  });

  it('ATK-10: SignedInfo with zero Reference elements → SIG_STRUCTURE', async () => {
    for (const make of [() => resp, signedRequest]) {
      const xml = mutate(await make(), (d) => {
        const si = kid(signatureOf(d.documentElement!), NS.ds, 'SignedInfo');
        si.removeChild(kid(si, NS.ds, 'Reference'));
      });
      expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('SIG_STRUCTURE');
    }
  });

  it('ATK-10: two Signatures whose References point to IDs that do not exist → SIG_SCOPE', async () => {
    const xml = forged((doc, root) => {
      const status = kid(root, NS.samlp, 'Status');
      for (const id of ['_nowhere-1', '_nowhere-2']) {
        forgeSignature({ parent: root, references: [{ uri: `#${id}`, target: status }], signatureMethod: URI.ECDSA_SHA256, signer: ecdsa() });
      }
    });
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('SIG_SCOPE');
  });
});

describe('ATK-11 R-SEC-01: the signature must cover exactly the element, by its ID, enveloped', () => {
  const standard = (uri: string, target?: (root: Element) => Element) =>
    forged((_, root) =>
      forgeSignature({ parent: root, references: [{ uri, target: target?.(root) }], signatureMethod: URI.ECDSA_SHA256, signer: ecdsa() }),
    );

  it('control: the independent signer of the harness (ECDSA, #ID, enveloped, exc-c14n) is accepted', async () => {
    const verified = await verifyXml(standard(`#${IDS.response}`), options());
    expect(personIdentifierOf(verified.element)).toBe(PERSON_IDENTIFIER);
  });

  it('ATK-11: Reference URI="" → SIG_SCOPE by default; accepted only with allowWholeDocumentReference on the root', async () => {
    const xml = standard('');
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('SIG_SCOPE');
    const verified = await verifyXml(xml, options({ allowWholeDocumentReference: true }));
    expect(personIdentifierOf(verified.element)).toBe(PERSON_IDENTIFIER);
  });

  it('ATK-11: Reference URI="" on a non-root element (the Assertion) → SIG_SCOPE even with allowWholeDocumentReference', async () => {
    const xml = forged((_, root) =>
      forgeSignature({ parent: assertionOf(root), references: [{ uri: '', target: root }], signatureMethod: URI.ECDSA_SHA256, signer: ecdsa() }),
    );
    const assertion = assertionOf(parseXml(xml).documentElement!);
    expect(await outcomeOf(() => verifyElement(assertion, options({ allowWholeDocumentReference: true })))).toBe('SIG_SCOPE');
  });

  it('ATK-11: valid signature over Status or Issuer (given an ID), placed under the Response → SIG_SCOPE', async () => {
    for (const child of [[NS.samlp, 'Status'], [NS.saml, 'Issuer']] as const) {
      const xml = forged((_, root) => {
        const target = kid(root, child[0], child[1]);
        target.setAttribute('ID', '_signed-part-1');
        forgeSignature({ parent: root, references: [{ uri: '#_signed-part-1', target }], signatureMethod: URI.ECDSA_SHA256, signer: ecdsa() });
      });
      expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('SIG_SCOPE');
    }
  });

  it('ATK-11: two References (the Response and its Status) → SIG_SCOPE', async () => {
    const xml = forged((_, root) => {
      const status = kid(root, NS.samlp, 'Status');
      status.setAttribute('ID', '_status-1');
      const references = [{ uri: `#${IDS.response}` }, { uri: '#_status-1', target: status }];
      forgeSignature({ parent: root, references, signatureMethod: URI.ECDSA_SHA256, signer: ecdsa() });
    });
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('SIG_SCOPE');
  });

  it('ATK-11: non-enveloped signature (sibling of the signed Assertion) → SIG_SCOPE on the Response, SIG_MISSING on the Assertion', async () => {
    const xml = mutate(sa, (d) => {
      const assertion = assertionOf(d.documentElement!);
      d.documentElement!.insertBefore(signatureOf(assertion), assertion);
    });
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('SIG_SCOPE');
    const assertion = assertionOf(parseXml(xml).documentElement!);
    expect(await outcomeOf(() => verifyElement(assertion, options()))).toBe('SIG_MISSING');
  });
});

describe('ATK-12 R-SEC-01 (core level): with several assertions, only the signed element is the verified one', () => {
  const decoy = (doc: Document): Element => {
    const d = assertionOf(doc.documentElement!).cloneNode(true) as Element;
    kids(d, NS.ds, 'Signature').forEach((s) => d.removeChild(s));
    d.setAttribute('ID', '_decoy-assertion-1');
    setPersonIdentifier(d, VICTIM_IDENTIFIER);
    return d;
  };
  it.each(['after', 'before'])('ATK-12: decoy unsigned Assertion %s the signed one: signed → accepted as itself; decoy → SIG_MISSING', async (where) => {
    const xml = mutate(sa, (d) => {
      const root = d.documentElement!;
      root.insertBefore(decoy(d), where === 'after' ? null : assertionOf(root));
    });
    const root = parseXml(xml).documentElement!;
    const [first, second] = kids(root, NS.saml, 'Assertion') as [Element, Element];
    const [signedOne, decoyOne] = where === 'after' ? [first, second] : [second, first];
    const verified = await verifyElement(signedOne, options());
    expect(verified.element).toBe(signedOne);
    expect(verified.element).not.toBe(decoyOne);
    expect(personIdentifierOf(verified.element)).toBe(PERSON_IDENTIFIER);
    expect(await outcomeOf(() => verifyElement(decoyOne, options()))).toBe('SIG_MISSING');
  });

  it('ATK-12: a decoy Assertion added inside a signed Response → DIGEST_MISMATCH', async () => {
    const xml = mutate(resp, (d) => d.documentElement!.appendChild(decoy(d)));
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('DIGEST_MISMATCH');
  });
});

describe('ATK-13 R-SEC-01: the referenced ID must occur once over every ID-like attribute (DUP_ID)', () => {
  const id = IDS.assertion;
  const decoys: Array<[string, (doc: Document) => Element]> = [
    ['<x:Foo x:ID> in another namespace', (d) => withAttr(d.createElementNS('urn:a', 'x:Foo'), 'urn:a', 'x:ID')],
    ['a second saml:Assertion with the same ID', (d) => withAttr(d.createElementNS(NS.saml, 'saml2:Assertion'), null, 'ID')],
    ['<x:Assertion xmlns:x="urn:evil" ID> (look-alike namespace)', (d) => withAttr(d.createElementNS('urn:evil', 'x:Assertion'), null, 'ID')],
    ['an element with Id=', (d) => withAttr(d.createElementNS(NS.samlp, 'saml2p:Extensions'), null, 'Id')],
    ['an element with id=', (d) => withAttr(d.createElementNS(NS.samlp, 'saml2p:Extensions'), null, 'id')],
    ['an element with xml:id=', (d) => withAttr(d.createElementNS(NS.samlp, 'saml2p:Extensions'), 'http://www.w3.org/XML/1998/namespace', 'xml:id')],
  ];
  function withAttr(el: Element, ns: string | null, name: string): Element {
    el.setAttributeNS(ns, name, id);
    return el;
  }
  it.each(decoys)('ATK-13: signed Assertion plus %s outside it → DUP_ID', async (_, make) => {
    const xml = mutate(sa, (d) => d.documentElement!.insertBefore(make(d), assertionOf(d.documentElement!)));
    expect(await outcomeOf(() => verifyAssertion(xml))).toBe('DUP_ID');
  });

  it('ATK-13: an x:ID duplicate of the root ID INSIDE a validly signed Response → DUP_ID', async () => {
    const xml = forged((doc, root) => {
      const status = kid(root, NS.samlp, 'Status');
      const detail = status.appendChild(doc.createElementNS(NS.samlp, 'saml2p:StatusDetail')) as Element;
      detail.appendChild(doc.createElementNS('urn:a', 'x:Foo')).setAttributeNS('urn:a', 'x:ID', IDS.response);
      forgeSignature({ parent: root, references: [{ uri: `#${IDS.response}` }], signatureMethod: URI.ECDSA_SHA256, signer: ecdsa() });
    });
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('DUP_ID');
  });

  it('ATK-13: XSW2 without the ID change (the clean clone keeps the root ID) → DUP_ID', async () => {
    const xml = mutate(resp, (d) => {
      xsw2(d, (r) => setPersonIdentifier(assertionOf(r), VICTIM_IDENTIFIER));
      d.documentElement!.setAttribute('ID', IDS.response);
    });
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('DUP_ID');
  });

  it.each([`_a'b`, `_a"b`, `x' or '1'='1`])('ATK-13: validly signed Assertion whose ID contains quotes (%s) → SIG_STRUCTURE', async (bad) => {
    const xml = forged((_, root) => {
      const assertion = assertionOf(root);
      assertion.setAttribute('ID', bad);
      forgeSignature({ parent: assertion, references: [{ uri: `#${bad}`, target: assertion }], signatureMethod: URI.ECDSA_SHA256, signer: ecdsa() });
    });
    expect(await outcomeOf(() => verifyAssertion(xml))).toBe('SIG_STRUCTURE');
  });
});
