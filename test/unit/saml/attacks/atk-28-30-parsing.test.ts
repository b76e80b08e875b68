/**
 * attacks.md §B (ATK-28 XXE/DOCTYPE, ATK-29 parser DoS, ATK-30 encoding tricks) and ATK-14 (several
 * roots, trailing content, end-tag junk), against the node's one parser (parseXml) and the
 * verification entry point (verifyXml) that parses attacker bytes itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseXml, METADATA_LIMITS } from '../../../../src/saml/parser.ts';
import { verifyXml } from '../../../../src/saml/verify.ts';
import {
  G,
  fixtureBytes,
  fixtureText,
  outcomeOf,
  personIdentifierOf,
  signedResponse,
  testKey,
  PERSON_IDENTIFIER,
} from '../../../helpers/saml-fixtures.ts';
import { startLoopbackListener, type LoopbackListener } from './support/loopback-listener.ts';

const trusted = () => ({ trusted: [testKey('K_XX').certificate] });
const golden = fixtureText(G.RESP_PLAIN);
const goldenBody = golden.replace(/^<\?xml[^>]*\?>\n/, '');
const withDoctype = (doctype: string, body = goldenBody) => `<?xml version="1.0" encoding="UTF-8"?>\n${doctype}\n${body}`;
const nameIdTo = (xml: string, v: string) => xml.replace(/(<saml2:NameID [^>]*>)XX\/FR\/123456</, `$1${v}<`);

let listener: LoopbackListener;
let signed: string;
beforeAll(async () => {
  listener = await startLoopbackListener();
  signed = await signedResponse('K_XX');
});
afterAll(async () => {
  await listener.close();
});

describe('ATK-28 R-SEC-01: any DOCTYPE is refused with XML_DTD_FORBIDDEN, nothing is fetched', () => {
  const files = [
    'doctype-internal-entity-in-nameid.xml',
    'doctype-external-entity-file.xml',
    'doctype-internal-subset-quotes.xml',
    'doctype-lowercase-no-subset.xml',
  ];
  it.each(files)('ATK-28: %s (bytes and string) → XML_DTD_FORBIDDEN', async (file) => {
    expect(await outcomeOf(() => parseXml(fixtureBytes(file, 'invalid')))).toBe('XML_DTD_FORBIDDEN');
    expect(await outcomeOf(() => parseXml(fixtureText(file, 'invalid')))).toBe('XML_DTD_FORBIDDEN');
  });

  const remote = (): Array<[string, string]> => [
    ['external entity over http', withDoctype(`<!DOCTYPE r [<!ENTITY x SYSTEM "${listener.url('/xxe')}">]>`, nameIdTo(goldenBody, '&x;'))],
    ['parameter entity with out-of-band DTD', withDoctype(`<!DOCTYPE r [<!ENTITY % d SYSTEM "${listener.url('/e.dtd')}"> %d;]>`)],
    ['external DTD subset (SYSTEM)', withDoctype(`<!DOCTYPE saml2p:Response SYSTEM "${listener.url('/x.dtd')}">`)],
    ['external DTD subset (PUBLIC)', withDoctype(`<!DOCTYPE saml2p:Response PUBLIC "-//X//DTD X//EN" "${listener.url('/p.dtd')}">`)],
  ];
  it('ATK-28: http entities, parameter entities, external subsets → XML_DTD_FORBIDDEN and zero connections', async () => {
    for (const [, xml] of remote()) {
      expect(await outcomeOf(() => parseXml(xml))).toBe('XML_DTD_FORBIDDEN');
      expect(await outcomeOf(() => parseXml(Buffer.from(xml)))).toBe('XML_DTD_FORBIDDEN');
      expect(await outcomeOf(() => verifyXml(xml, trusted()))).toBe('XML_DTD_FORBIDDEN');
    }
    expect(listener.connections()).toBe(0);
  });

  it('ATK-28: a DOCTYPE with an entity placed into a validly signed Response → XML_DTD_FORBIDDEN (verifyXml)', async () => {
    const body = signed.replace(/^<\?xml[^>]*\?>\s*/, '');
    const xml = withDoctype(`<!DOCTYPE r [<!ENTITY x SYSTEM "${listener.url('/signed')}">]>`, body);
    expect(await outcomeOf(() => verifyXml(xml, trusted()))).toBe('XML_DTD_FORBIDDEN');
    expect(await outcomeOf(() => verifyXml(Buffer.from(xml), trusted()))).toBe('XML_DTD_FORBIDDEN');
    expect(listener.connections()).toBe(0);
  });
});

describe('ATK-29 R-SEC-01: entity expansion and algorithmic DoS are refused with a reason code', () => {
  it('ATK-29: billion laughs → XML_DTD_FORBIDDEN', async () => {
    expect(await outcomeOf(() => parseXml(fixtureBytes('billion-laughs.xml', 'invalid')))).toBe('XML_DTD_FORBIDDEN');
    expect(await outcomeOf(() => verifyXml(fixtureBytes('billion-laughs.xml', 'invalid'), trusted()))).toBe(
      'XML_DTD_FORBIDDEN',
    );
  });

  it('ATK-29: quadratic blow-up (one 20 kB entity referenced 2,000 times) → XML_DTD_FORBIDDEN', async () => {
    const xml = withDoctype(`<!DOCTYPE r [<!ENTITY a "${'x'.repeat(20_000)}">]>`, nameIdTo(goldenBody, '&a;'.repeat(2_000)));
    expect(await outcomeOf(() => parseXml(xml))).toBe('XML_DTD_FORBIDDEN');
  });

  const deep = (n: number) => `${'<a>'.repeat(n)}${'</a>'.repeat(n)}`;
  it('ATK-29: 100k-deep nesting → XML_LIMIT (message size cap, and depth cap under metadata limits), no stack overflow', async () => {
    expect(await outcomeOf(() => parseXml(deep(100_000)))).toBe('XML_LIMIT');
    expect(await outcomeOf(() => parseXml(deep(100_000), METADATA_LIMITS))).toBe('XML_LIMIT');
    expect(await outcomeOf(() => verifyXml(deep(100_000), trusted()))).toBe('XML_LIMIT');
  });

  const attrs = (n: number, name: (i: number) => string) =>
    `<r ${Array.from({ length: n }, (_, i) => `${name(i)}="v"`).join(' ')}/>`;
  it('ATK-29: 100k attributes on one element → XML_LIMIT (size cap; attribute-count cap when the size cap is lifted)', async () => {
    const xml = attrs(100_000, (i) => `a${i}`);
    expect(await outcomeOf(() => parseXml(xml))).toBe('XML_LIMIT');
    expect(await outcomeOf(() => parseXml(xml, { maxBytes: METADATA_LIMITS.maxBytes }))).toBe('XML_LIMIT');
  });

  it('ATK-29: 100k duplicate attributes → XML_LIMIT by size, XML_MALFORMED when parsed', async () => {
    const xml = attrs(100_000, () => 'a');
    expect(await outcomeOf(() => parseXml(xml))).toBe('XML_LIMIT');
    expect(await outcomeOf(() => parseXml(xml, METADATA_LIMITS))).toBe('XML_MALFORMED');
  });

  it('ATK-29: namespace-declaration flood (100k xmlns:pN) → XML_LIMIT (size cap; count cap when the size cap is lifted)', async () => {
    const xml = attrs(100_000, (i) => `xmlns:p${i}`).replace(/="v"/g, (_, off) => `="urn:p:${off}"`);
    expect(await outcomeOf(() => parseXml(xml))).toBe('XML_LIMIT');
    expect(await outcomeOf(() => parseXml(xml, { maxBytes: METADATA_LIMITS.maxBytes }))).toBe('XML_LIMIT');
  });

  it('ATK-29: unterminated <?pi (file, and a 1 MB variant under metadata limits) → XML_MALFORMED', async () => {
    expect(await outcomeOf(() => parseXml(fixtureBytes('unterminated-pi.xml', 'invalid')))).toBe('XML_MALFORMED');
    const big = `<r><?pi ${' '.repeat(1_000_000)}`;
    expect(await outcomeOf(() => parseXml(big, METADATA_LIMITS))).toBe('XML_MALFORMED');
  });

  it('ATK-29: after every payload the process still verifies the golden signed Response', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    const verified = await verifyXml(signed, trusted());
    expect(personIdentifierOf(verified.element)).toBe(PERSON_IDENTIFIER);
  });
});

describe('ATK-30 R-SEC-01: only UTF-8 is accepted, XML-illegal characters are refused', () => {
  const byteFiles = [
    'encoding-utf16le-declared.xml',
    'encoding-iso-8859-1-declared.xml',
    'encoding-iso-8859-1-declared-utf8-bytes.xml',
    'encoding-utf7-declared.xml',
    'encoding-bom-then-utf16-declaration.xml',
    'encoding-invalid-utf8-byte.xml',
    'encoding-overlong-utf8.xml',
    'char-ufffe-raw.xml',
    'char-ref-fffe.xml',
    'char-ref-nul.xml',
    'char-ref-nul-in-attribute.xml',
  ];
  it.each(byteFiles)('ATK-30: %s (bytes, parseXml and verifyXml) → XML_ENCODING', async (file) => {
    expect(await outcomeOf(() => parseXml(fixtureBytes(file, 'invalid')))).toBe('XML_ENCODING');
    expect(await outcomeOf(() => verifyXml(fixtureBytes(file, 'invalid'), trusted()))).toBe('XML_ENCODING');
  });

  it('ATK-30: UTF-16 text with a matching declaration, given as a string → XML_ENCODING', async () => {
    const utf16 = fixtureBytes('encoding-utf16le-declared.xml', 'invalid').subarray(2).toString('utf16le');
    expect(await outcomeOf(() => parseXml(utf16))).toBe('XML_ENCODING');
  });

  it('ATK-30: a signed Response re-encoded as UTF-16LE (BOM + declaration) → XML_ENCODING', async () => {
    const body = signed.replace(/^<\?xml[^>]*\?>\s*/, '');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`<?xml version="1.0" encoding="UTF-16"?>\n${body}`, 'utf16le')]);
    expect(await outcomeOf(() => verifyXml(bytes, trusted()))).toBe('XML_ENCODING');
  });

  it('ATK-30: U+0000 via &#0;, U+FFFE and a lone surrogate in string input → XML_ENCODING', async () => {
    expect(await outcomeOf(() => parseXml(golden.replace('Durand', 'Dur&#0;and')))).toBe('XML_ENCODING');
    expect(await outcomeOf(() => parseXml(golden.replace('Durand', 'Dur\uFFFEand')))).toBe('XML_ENCODING');
    expect(await outcomeOf(() => parseXml(golden.replace('Durand', 'Dur\uD800and')))).toBe('XML_ENCODING');
    expect(await outcomeOf(() => parseXml(golden.replace('Durand', 'Dur&#xD800;and')))).toBe('XML_ENCODING');
  });

  it('ATK-30 (control): the golden fixture parses as bytes, with a UTF-8 BOM, and as a string with U+FEFF', () => {
    const bytes = fixtureBytes(G.RESP_PLAIN);
    expect(parseXml(bytes).documentElement!.localName).toBe('Response');
    expect(parseXml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes])).documentElement!.localName).toBe('Response');
    expect(parseXml(`\uFEFF${golden}`).documentElement!.localName).toBe('Response');
  });
});

describe('ATK-14 R-SEC-01: several roots, trailing content and end-tag junk are XML_MALFORMED', () => {
  it.each(['two-roots.xml', 'end-tag-junk.xml', 'trailing-text.xml'])('ATK-14: %s → XML_MALFORMED', async (file) => {
    expect(await outcomeOf(() => parseXml(fixtureBytes(file, 'invalid')))).toBe('XML_MALFORMED');
  });

  it('ATK-14: signed Response followed by an evil Response (two roots) → XML_MALFORMED', async () => {
    const evil = goldenBody.replace(/XX\/FR\/123456/g, 'XX/FR/999999');
    expect(await outcomeOf(() => verifyXml(`${signed}\n${evil}`, trusted()))).toBe('XML_MALFORMED');
    expect(await outcomeOf(() => verifyXml(`${signed}<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol"/>`, trusted()))).toBe(
      'XML_MALFORMED',
    );
  });

  it('ATK-14: signed Response with trailing text → XML_MALFORMED', async () => {
    expect(await outcomeOf(() => verifyXml(`${signed}\nXX/FR/999999`, trusted()))).toBe('XML_MALFORMED');
  });

  it('ATK-14: signed Response whose end tag is </saml2p:Response\\njunk> → XML_MALFORMED', async () => {
    const junk = signed.replace(/<\/saml2p:Response>\s*$/, '</saml2p:Response\njunk>');
    expect(junk).not.toBe(signed);
    expect(await outcomeOf(() => verifyXml(junk, trusted()))).toBe('XML_MALFORMED');
  });

  it('ATK-14: end-tag junk on an inner element of a signed Response → XML_MALFORMED', async () => {
    const junk = signed.replace('</saml2p:Status>', '</saml2p:Status junk="1">');
    expect(junk).not.toBe(signed);
    expect(await outcomeOf(() => verifyXml(junk, trusted()))).toBe('XML_MALFORMED');
  });
});
