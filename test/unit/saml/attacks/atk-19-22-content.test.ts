/**
 * attacks.md ATK-19/20 (namespace confusion, parser differentials: BOM), ATK-21 (comment, CDATA,
 * PI and character references inside NameID / AttributeValue) and ATK-22 (canonicalisation and
 * transform policy, CR characters); R-SEC-01 (only enveloped-signature + exclusive C14N).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseXml } from '../../../../src/saml/parser.ts';
import { NS } from '../../../../src/saml/namespaces.ts';
import { verifyElement, verifyXml } from '../../../../src/saml/verify.ts';
import {
  G,
  IDS,
  PERSON_IDENTIFIER,
  assertionOf,
  attackerParse,
  fixtureText,
  kid,
  outcomeOf,
  personIdentifierOf,
  serialize,
  signedAssertionResponse,
  signedResponse,
  testKey,
} from '../../../helpers/saml-fixtures.ts';
import { URI, forgeSignature, signers } from './support/forge-signature.ts';

const options = () => ({ trusted: [testKey('K_XX').certificate] });
const signed: Record<string, string> = {};
beforeAll(async () => {
  signed.response = await signedResponse('K_XX');
  signed.assertion = await signedAssertionResponse('K_XX');
  signed.xmlsec1 = fixtureText(G.RESP_XMLSEC1);
  signed.xmlsec1Assertion = fixtureText(G.RESP_SA_XMLSEC1);
});

/** G_RESP_PLAIN signed on the root by the harness's independent signer with K_XX / ECDSA. */
function forged(extra: Partial<Parameters<typeof forgeSignature>[0]> = {}): string {
  const doc = attackerParse(fixtureText(G.RESP_PLAIN));
  const root = doc.documentElement!;
  forgeSignature({
    parent: root,
    references: [{ uri: `#${IDS.response}` }],
    signatureMethod: URI.ECDSA_SHA256,
    signer: signers.ecdsa(testKey('K_XX').privateKey),
    ...extra,
  });
  return serialize(doc);
}

describe('ATK-19/20 R-SEC-01: signature elements are matched by namespace, not by prefix', () => {
  it.each([
    ['no "#"', 'http://www.w3.org/2000/09/xmldsig'],
    ['"#x" suffix', 'http://www.w3.org/2000/09/xmldsig#x'],
    ['https scheme', 'https://www.w3.org/2000/09/xmldsig#'],
  ])('ATK-20: the ds:Signature bound to a look-alike namespace (%s) → SIG_MISSING', async (_, lookAlike) => {
    const xml = signed.response!.replace(`xmlns:ds="${NS.ds}"`, `xmlns:ds="${lookAlike}"`);
    expect(xml).not.toBe(signed.response);
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('SIG_MISSING');
  });

  it('ATK-20: the ds prefix rebound to another namespace on SignedInfo → SIG_STRUCTURE', async () => {
    const xml = signed.response!.replace('<ds:SignedInfo>', '<ds:SignedInfo xmlns:ds="urn:evil">');
    expect(xml).not.toBe(signed.response);
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('SIG_STRUCTURE');
  });

  it('ATK-20: saml2 rebound to a look-alike namespace on the signed Assertion → DIGEST_MISMATCH', async () => {
    const xml = signed.response!.replace('<saml2:Assertion ', '<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertionX" ');
    expect(xml).not.toBe(signed.response);
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('DIGEST_MISMATCH');
  });

  it('ATK-20 (control): a redundant re-declaration of saml2 with the same URI changes nothing → accepted', async () => {
    const xml = signed.response!.replace('<saml2:Assertion ', `<saml2:Assertion xmlns:saml2="${NS.saml}" `);
    const verified = await verifyXml(xml, options());
    expect(personIdentifierOf(verified.element)).toBe(PERSON_IDENTIFIER);
  });

  it.each([['the default namespace', ''], ['the prefix "sig"', 'sig']])(
    'ATK-20 (control): a valid signature whose XML-DSig elements use %s is accepted',
    async (_, prefix) => {
      const xml = forged({ prefix });
      expect(xml).toContain(prefix ? '<sig:Signature' : '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"');
      expect((await verifyXml(xml, options())).id).toBe(IDS.response);
    },
  );

  it.each([
    ['xml bound to another namespace', 'xmlns:xml="urn:evil"'],
    ['xmlns declared as a prefix', 'xmlns:xmlns="urn:evil"'],
  ])('ATK-20: reserved prefix rebinding (%s) on the Assertion → XML_MALFORMED (Namespaces in XML §3)', async (_, decl) => {
    const xml = fixtureText(G.RESP_PLAIN).replace('<saml2:Assertion ', `<saml2:Assertion ${decl} `);
    expect(await outcomeOf(() => parseXml(xml))).toBe('XML_MALFORMED');
  });

  it('ATK-19: a UTF-8 BOM before a signed Response is accepted (bytes and string)', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(signed.response!, 'utf8')]);
    expect(personIdentifierOf((await verifyXml(bytes, options())).element)).toBe(PERSON_IDENTIFIER);
    expect(personIdentifierOf((await verifyXml(`\uFEFF${signed.response!}`, options())).element)).toBe(PERSON_IDENTIFIER);
  });
});

describe('ATK-21 R-SEC-01: comments and splits inside signed values never truncate what is read', () => {
  // The signed values are not re-signed: only exc-c14n-neutral edits keep the signature valid.
  const split: Array<[string, string]> = [
    ['a comment', 'XX/FR/123<!---->456'],
    ['a comment with text', 'XX/FR/123<!--.attacker-->456'],
    ['a CDATA split', 'XX/FR/<![CDATA[123]]>456'],
    ['a character reference', 'XX/FR/123&#52;56'],
    ['a hex character reference', 'XX/FR/123&#x34;56'],
  ];
  const sources = [['Assertion signed by the core signer', 'assertion'], ['Assertion signed by xmlsec1', 'xmlsec1Assertion']];
  describe.each(sources)('%s', (_, source) => {
    it.each(split)('ATK-21: %s inside NameID and PersonIdentifier → still verifies; the FULL value is read', async (_, value) => {
      const xml = signed[source]!.replaceAll(`>${PERSON_IDENTIFIER}<`, `>${value}<`);
      expect(xml).not.toBe(signed[source]);
      const assertion = assertionOf(parseXml(xml).documentElement!);
      const verified = await verifyElement(assertion, options());
      expect(personIdentifierOf(verified.element)).toBe(PERSON_IDENTIFIER);
      const nameId = kid(kid(verified.element, NS.saml, 'Subject'), NS.saml, 'NameID');
      expect(nameId.textContent).toBe(PERSON_IDENTIFIER);
    });

    it('ATK-21: a processing instruction inside the PersonIdentifier → XML_UNEXPECTED_NODE', async () => {
      const xml = signed[source]!.replaceAll(`>${PERSON_IDENTIFIER}<`, '>XX/FR/123<?x 999?>456<');
      const assertion = assertionOf(parseXml(xml).documentElement!);
      expect(await outcomeOf(() => verifyElement(assertion, options()))).toBe('XML_UNEXPECTED_NODE');
    });
  });

  it('ATK-21: a comment that moves text (victim prefix kept, suffix commented out) → DIGEST_MISMATCH', async () => {
    const xml = signed.assertion!.replaceAll(`>${PERSON_IDENTIFIER}<`, '>XX/FR/123<!--456--><');
    const assertion = assertionOf(parseXml(xml).documentElement!);
    expect(await outcomeOf(() => verifyElement(assertion, options()))).toBe('DIGEST_MISMATCH');
  });
});

describe('ATK-22 R-SEC-01: only exc-c14n and [enveloped-signature, exc-c14n] are accepted', () => {
  it('control: the same forged signature with the allowed C14N and transforms is accepted', async () => {
    expect((await verifyXml(forged(), options())).id).toBe(IDS.response);
  });

  it.each([
    ['exc-c14n#WithComments', URI.EXC_COMMENTS],
    ['inclusive c14n', URI.C14N],
    ['inclusive c14n#WithComments', URI.C14N_COMMENTS],
    ['c14n 1.1', URI.C14N11],
  ])('ATK-22: CanonicalizationMethod %s (valid signature) → SIG_ALG_NOT_ALLOWED', async (_, c14n) => {
    expect(await outcomeOf(() => verifyXml(forged({ c14n }), options()))).toBe('SIG_ALG_NOT_ALLOWED');
  });

  it.each([
    ['[enveloped, exc-c14n#WithComments]', [URI.ENVELOPED, URI.EXC_COMMENTS]],
    ['[enveloped, inclusive c14n]', [URI.ENVELOPED, URI.C14N]],
    ['[enveloped, c14n 1.1]', [URI.ENVELOPED, URI.C14N11]],
    ['[enveloped] alone (implies inclusive c14n)', [URI.ENVELOPED]],
    ['[enveloped, enveloped]', [URI.ENVELOPED, URI.ENVELOPED]],
    ['[exc-c14n, enveloped] (reversed)', [URI.EXC, URI.ENVELOPED]],
    ['[enveloped, enveloped, exc-c14n] (duplicated enveloped)', [URI.ENVELOPED, URI.ENVELOPED, URI.EXC]],
    ['[enveloped, exc-c14n, exc-c14n] (three transforms)', [URI.ENVELOPED, URI.EXC, URI.EXC]],
  ])('ATK-22: Transforms %s (valid signature) → SIG_ALG_NOT_ALLOWED', async (_, transforms) => {
    const xml = forged({ references: [{ uri: `#${IDS.response}`, transforms }] });
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('SIG_ALG_NOT_ALLOWED');
  });

  it('ATK-22: &#13; in an attribute and in text, signed by xmlsec1 → accepted, CRs preserved in the verified element', async () => {
    const verified = await verifyXml(fixtureText(G.RESP_CR_XMLSEC1), options());
    expect(verified.element.getAttribute('Consent')).toBe('urn:oasis:names:tc:SAML:2.0:consent:obtained\r');
    const message = kid(kid(verified.element, NS.samlp, 'Status'), NS.samlp, 'StatusMessage');
    expect(message.textContent).toBe('line one\r\nline two\r');
    expect(personIdentifierOf(verified.element)).toBe(PERSON_IDENTIFIER);
  });

  it('ATK-22: a signed &#13; replaced by a literal CR byte (normalised away by the parser) → DIGEST_MISMATCH', async () => {
    const xml = fixtureText(G.RESP_CR_XMLSEC1).replace('line one&#13;', 'line one\r');
    expect(await outcomeOf(() => verifyXml(xml, options()))).toBe('DIGEST_MISMATCH');
  });
});
