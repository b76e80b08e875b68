/**
 * attacks.md §A, ATK-01..ATK-09 (XML Signature Wrapping XSW1..8 and Advice) with the ATK-18 positive
 * control, R-SEC-01 ("process only what was signed"). Each mutation runs on a message signed by the
 * core's signer AND on one signed by xmlsec1 (independent signer). The node parses the attacker's bytes
 * with parseXml; at core level the caller hands one element to verifyElement, so each case checks what
 * a naive caller would hand over (the evil element) and, where the signature is still intact, that the
 * element the core accepts is the signed one and carries the signed PersonIdentifier.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseXml } from '../../../../src/saml/parser.ts';
import { NS } from '../../../../src/saml/namespaces.ts';
import { signElement } from '../../../../src/saml/sign.ts';
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
  signOptions,
  signatureOf,
  signedAssertionResponse,
  signedRequest,
  signedResponse,
  testKey,
  type Outcome,
} from '../../../helpers/saml-fixtures.ts';
import { evilRequest, xsw1, xsw2, xsw3, xsw4, xsw5, xsw6, xsw7, xsw8, type Xsw } from './support/xsw.ts';

const options = () => ({ trusted: [testKey('K_XX').certificate] });
const evilResponse = (resp: Element) => setPersonIdentifier(assertionOf(resp), VICTIM_IDENTIFIER);
const evilAssertion = (a: Element) => setPersonIdentifier(a, VICTIM_IDENTIFIER);

const sources: Record<'response' | 'assertion' | 'request', Record<string, () => Promise<string>>> = {
  response: { 'core signer': () => signedResponse('K_XX'), xmlsec1: async () => fixtureText(G.RESP_XMLSEC1) },
  assertion: { 'core signer': () => signedAssertionResponse('K_XX'), xmlsec1: async () => fixtureText(G.RESP_SA_XMLSEC1) },
  request: { 'core signer': () => signedRequest('K_XX'), xmlsec1: async () => fixtureText(G.REQ_XMLSEC1) },
};
const signed: Record<string, string> = {};
beforeAll(async () => {
  for (const [kind, bySigner] of Object.entries(sources)) {
    for (const [signer, make] of Object.entries(bySigner)) signed[`${kind}/${signer}`] = await make();
  }
});

/** Verifies `pick(root)` of the node's parse of `xml`; on acceptance, checks ATK-18 on the spot. */
async function verifyPicked(xml: string, pick: (root: Element) => Element, expected: Outcome): Promise<void> {
  const root = parseXml(xml).documentElement!;
  const element = pick(root);
  let verified: Awaited<ReturnType<typeof verifyElement>> | undefined;
  const outcome = await outcomeOf(async () => {
    verified = await verifyElement(element, options());
  });
  expect(outcome).toBe(expected);
  if (outcome === 'ACCEPTED') {
    // ATK-18 positive control: the accepted element is the signed one, with the signed value.
    expect(verified!.element).toBe(element);
    expect(verified!.id).toBe(IDS.assertion);
    expect(personIdentifierOf(verified!.element)).toBe(PERSON_IDENTIFIER);
  }
}

describe.each(['core signer', 'xmlsec1'])('ATK-01..09 R-SEC-01 XSW on a message signed by the %s', (signer) => {
  const src = (kind: string) => signed[`${kind}/${signer}`]!;

  it('control: the unmodified signed Response, Assertion and AuthnRequest verify (ATK-18 values)', async () => {
    const resp = await verifyXml(src('response'), options());
    expect(personIdentifierOf(resp.element)).toBe(PERSON_IDENTIFIER);
    await verifyPicked(src('assertion'), (r) => assertionOf(r), 'ACCEPTED');
    expect((await verifyXml(src('request'), options())).id).toBe(IDS.request);
  });

  it('ATK-01 XSW1: Response cloned into its own ds:Signature, root renamed and edited → SIG_SCOPE', async () => {
    const xml = mutate(src('response'), (d) => xsw1(d, evilResponse));
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('SIG_SCOPE');
    // the clean clone handed over directly carries no signature of its own
    await verifyPicked(xml, (r) => kid(signatureOf(r), NS.samlp, 'Response'), 'SIG_MISSING');
  });

  it('ATK-02 XSW2: Response cloned next to the Signature (detached), root renamed and edited → SIG_SCOPE', async () => {
    const xml = mutate(src('response'), (d) => xsw2(d, evilResponse));
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('SIG_SCOPE');
  });

  it('ATK-01/02/07 XSW1, XSW2 on the AuthnRequest (PS role: attacker ACS, SPType, extra attribute) → SIG_SCOPE', async () => {
    for (const xsw of [xsw1, xsw2]) {
      const xml = mutate(src('request'), (d) => xsw(d, evilRequest));
      expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('SIG_SCOPE');
    }
  });

  it.each(['KeyInfo', 'X509Data'])(
    'ATK-06/15/18: unsigned victim Assertion smuggled into ds:%s of the signed Response (first Assertion in document order) → SIG_STRUCTURE',
    async (where) => {
      const xml = mutate(src('response'), (d) => {
        const root = d.documentElement!;
        const victim = assertionOf(root).cloneNode(true) as Element;
        evilAssertion(victim);
        const keyInfo = kid(signatureOf(root), NS.ds, 'KeyInfo');
        (where === 'KeyInfo' ? keyInfo : kid(keyInfo, NS.ds, 'X509Data')).appendChild(victim);
      });
      expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('SIG_STRUCTURE');
    },
  );

  type Pick = [what: string, pick: (resp: Element) => Element, expected: Outcome];
  const assertions = (r: Element) => kids(r, NS.saml, 'Assertion');
  const cases: Array<[name: string, xsw: Xsw, picks: Pick[]]> = [
    ['ATK-03 XSW3: evil Assertion inserted before the signed one', xsw3, [
      ['evil first Assertion', (r) => assertions(r)[0]!, 'SIG_MISSING'],
      ['signed second Assertion', (r) => assertions(r)[1]!, 'ACCEPTED'],
    ]],
    ['ATK-04 XSW4: signed Assertion nested inside an evil one', xsw4, [
      ['evil outer Assertion', (r) => assertions(r)[0]!, 'SIG_MISSING'],
      ['signed inner Assertion', (r) => kid(assertions(r)[0]!, NS.saml, 'Assertion'), 'ACCEPTED'],
    ]],
    ['ATK-05 XSW5: signature-bearing Assertion edited and renamed, clean copy appended', xsw5, [
      ['evil signature-bearing Assertion', (r) => assertions(r)[0]!, 'SIG_SCOPE'],
      ['clean unsigned copy', (r) => assertions(r)[1]!, 'SIG_MISSING'],
    ]],
    ['ATK-06 XSW6: clean copy hidden inside the evil Assertion\'s Signature', xsw6, [
      ['evil signature-bearing Assertion', (r) => assertions(r)[0]!, 'SIG_SCOPE'],
      ['clean copy inside ds:Signature', (r) => kid(signatureOf(assertions(r)[0]!), NS.saml, 'Assertion'), 'SIG_MISSING'],
    ]],
    ['ATK-07 XSW7: evil copy with the same ID inside Extensions (no namespace, as SAML Raider)', xsw7(false), [
      ['evil copy in Extensions', (r) => kid(kid(r, null, 'Extensions'), NS.saml, 'Assertion'), 'SIG_MISSING'],
      ['signed Assertion (its ID now occurs twice)', (r) => assertions(r)[0]!, 'DUP_ID'],
    ]],
    ['ATK-07 XSW7: evil copy with the same ID inside samlp:Extensions', xsw7(true), [
      ['evil copy in samlp:Extensions', (r) => kid(kid(r, NS.samlp, 'Extensions'), NS.saml, 'Assertion'), 'SIG_MISSING'],
      ['signed Assertion (its ID now occurs twice)', (r) => assertions(r)[0]!, 'DUP_ID'],
    ]],
    ['ATK-08 XSW8: clean copy inside an Object in the Signature (no namespace, as SAML Raider)', xsw8(false), [
      ['evil signature-bearing Assertion', (r) => assertions(r)[0]!, 'SIG_SCOPE'],
      ['clean copy in Object', (r) => kid(kid(signatureOf(assertions(r)[0]!), null, 'Object'), NS.saml, 'Assertion'), 'SIG_MISSING'],
    ]],
    ['ATK-08 XSW8: clean copy inside ds:Object', xsw8(true), [
      ['evil signature-bearing Assertion', (r) => assertions(r)[0]!, 'SIG_SCOPE'],
      ['clean copy in ds:Object', (r) => kid(kid(signatureOf(assertions(r)[0]!), NS.ds, 'Object'), NS.saml, 'Assertion'), 'SIG_MISSING'],
    ]],
  ];
  for (const [name, xsw, picks] of cases) {
    it(`${name}: ${picks.map(([w, , e]) => `${w} → ${e}`).join('; ')}`, async () => {
      const xml = mutate(src('assertion'), (d) => xsw(d, evilAssertion));
      for (const [, pick, expected] of picks) await verifyPicked(xml, pick, expected);
    });
  }
});

describe('ATK-09 R-SEC-01: Assertions inside Advice never make the outer Assertion verified', () => {
  /** An Assertion with a fresh ID and `subject`, holding `advised` in saml:Advice after Conditions. */
  function outerWithAdvice(doc: Document, advised: Element, subject: string): Element {
    const template = assertionOf(attackerParse(fixtureText(G.RESP_PLAIN)).documentElement!);
    const outer = doc.importNode(template, true) as Element;
    outer.setAttribute('ID', '_outer-assertion-0001');
    setPersonIdentifier(outer, subject);
    const advice = doc.createElementNS(NS.saml, 'saml2:Advice');
    outer.insertBefore(advice, kid(outer, NS.saml, 'Conditions').nextSibling);
    advice.appendChild(advised.ownerDocument === doc ? advised : doc.importNode(advised, true));
    return outer;
  }

  it('ATK-09: unsigned outer Assertion (victim subject) with a K_XX-signed Assertion in Advice → SIG_MISSING', async () => {
    const xml = mutate(signed['assertion/core signer']!, (doc) => {
      const resp = doc.documentElement!;
      const signedAssertion = assertionOf(resp);
      const next = signedAssertion.nextSibling;
      resp.removeChild(signedAssertion);
      resp.insertBefore(outerWithAdvice(doc, signedAssertion, VICTIM_IDENTIFIER), next);
    });
    await verifyPicked(xml, (r) => assertionOf(r), 'SIG_MISSING');
    // the advised Assertion verifies as itself only: its own (signed) subject, not the outer one
    await verifyPicked(xml, (r) => kid(kid(assertionOf(r), NS.saml, 'Advice'), NS.saml, 'Assertion'), 'ACCEPTED');
  });

  it('ATK-09/18: signed outer Assertion carrying a signed victim Assertion in Advice → the outer subject is read', async () => {
    const doc = attackerParse(fixtureText(G.RESP_PLAIN));
    const resp = doc.documentElement!;
    const victim = assertionOf(attackerParse(fixtureText(G.RESP_PLAIN)).documentElement!);
    victim.setAttribute('ID', '_advised-victim-0001');
    setPersonIdentifier(victim, VICTIM_IDENTIFIER);
    await signElement(victim, signOptions('K_XX'));
    const original = assertionOf(resp);
    const outer = outerWithAdvice(doc, victim, PERSON_IDENTIFIER);
    outer.setAttribute('ID', IDS.assertion);
    resp.replaceChild(outer, original);
    await signElement(outer, signOptions('K_XX'));
    await verifyPicked(serialize(doc), (r) => assertionOf(r), 'ACCEPTED');
  });
});
