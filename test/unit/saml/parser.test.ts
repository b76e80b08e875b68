import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MESSAGE_LIMITS, METADATA_LIMITS, parseXml, serializeXml } from '../../../src/saml/parser.ts';
import { XmlSecurityError, type XmlReason } from '../../../src/saml/errors.ts';

const VECTORS = new URL('../../fixtures/vectors/', import.meta.url);

function reasonOf(input: string | Uint8Array, limits?: Parameters<typeof parseXml>[1]): XmlReason | 'accepted' {
  try {
    parseXml(input, limits);
    return 'accepted';
  } catch (e) {
    if (e instanceof XmlSecurityError) return e.reason;
    throw e;
  }
}

describe('parseXml accepts well-formed UTF-8 XML', () => {
  it('parses a document with a declaration, comments and PIs around the root', () => {
    const doc = parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><?p x?><a xmlns="urn:x"><b c="1">t</b></a>\n<!-- end -->');
    expect(doc.documentElement.localName).toBe('a');
    expect(doc.documentElement.namespaceURI).toBe('urn:x');
  });

  it('accepts a UTF-8 BOM in bytes and in a string', () => {
    expect(parseXml(Buffer.from('\uFEFF<a>é</a>', 'utf8')).documentElement.textContent).toBe('é');
    expect(parseXml('\uFEFF<a/>').documentElement.localName).toBe('a');
  });

  it('keeps character references, CDATA and non-Latin text', () => {
    const doc = parseXml('<a x="&lt;&amp;&quot;">&#x41;&#66;<![CDATA[<c>]]>中文 Ωμέγα</a>');
    expect(doc.documentElement.getAttribute('x')).toBe('<&"');
    expect(doc.documentElement.textContent).toBe('AB<c>中文 Ωμέγα');
  });

  it('parses every XML vector of the EU node and the German middleware that has no DOCTYPE', () => {
    for (const f of [
      'eidas-eu-mock/ServiceMetadata.xml',
      'eidas-eu-mock/saml_response.xml',
      'eidas-eu-mock/saml_ec_Brainpool_kw-aes256_encrypted_response.xml',
      'governikus-eidas-middleware/metadata-9443.xml',
      'governikus-eidas-middleware/EidasSamlRequest_13062017.xml',
    ]) {
      expect(parseXml(readFileSync(new URL(f, VECTORS))).documentElement).toBeTruthy();
    }
    const aggregate = readFileSync(new URL('swedenconnect-eidas-connector/eu-metadata-idps.xml', VECTORS));
    expect(reasonOf(aggregate)).toBe('XML_LIMIT'); // 250 kB: over the message cap
    expect(parseXml(aggregate, METADATA_LIMITS).documentElement.localName).toBe('EntitiesDescriptor');
  });

  it('serializeXml writes what parseXml reads', () => {
    const xml = '<a xmlns:p="urn:p"><p:b q="&quot;">x &amp; y</p:b></a>';
    expect(serializeXml(parseXml(xml))).toBe(xml);
  });
});

describe('ATK-28: any DOCTYPE is refused (XML_DTD_FORBIDDEN)', () => {
  it.each([
    ['external entity', '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'],
    ['parameter entity', '<!DOCTYPE r [<!ENTITY % d SYSTEM "http://127.0.0.1:1/e.dtd"> %d;]><r/>'],
    ['external subset', '<!DOCTYPE r SYSTEM "http://127.0.0.1:1/r.dtd"><r/>'],
    ['lower-case doctype', '<!doctype r><r/>'],
    ['the EU attribute registry (a real file with a DOCTYPE)', readFileSync(new URL('eidas-eu-mock/eidas-attributes.xml', VECTORS))],
  ])('%s', (_name, input) => {
    expect(reasonOf(input)).toBe('XML_DTD_FORBIDDEN');
  });
});

describe('ATK-29: entity expansion and resource limits (XML_LIMIT)', () => {
  it('billion laughs is stopped at the DOCTYPE', () => {
    const lol = '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>';
    expect(reasonOf(lol)).toBe('XML_DTD_FORBIDDEN');
  });

  it('refuses input over maxBytes before parsing (bytes and strings)', () => {
    const big = `<a>${'x'.repeat(MESSAGE_LIMITS.maxBytes)}</a>`;
    expect(reasonOf(big)).toBe('XML_LIMIT');
    expect(reasonOf(Buffer.from(big))).toBe('XML_LIMIT');
    expect(reasonOf('<a>é</a>', { maxBytes: 8 })).toBe('XML_LIMIT'); // 9 UTF-8 bytes, 8 chars
  });

  it('refuses nesting deeper than maxDepth without recursion (100k levels)', () => {
    const deep = '<a>'.repeat(100_000) + '</a>'.repeat(100_000);
    expect(reasonOf(deep, { maxBytes: 1_000_000 })).toBe('XML_LIMIT');
    expect(reasonOf('<a><a><a/></a></a>', { maxDepth: 2 })).toBe('XML_LIMIT');
    expect(reasonOf('<a><a><a/></a></a>', { maxDepth: 3 })).toBe('accepted');
  });

  it('refuses more elements or attributes than allowed', () => {
    expect(reasonOf(`<a>${'<b/>'.repeat(10)}</a>`, { maxElements: 10 })).toBe('XML_LIMIT');
    expect(reasonOf(`<a>${'<b/>'.repeat(9)}</a>`, { maxElements: 10 })).toBe('accepted');
    const attrs = Array.from({ length: 20 }, (_, i) => `a${i}="v"`).join(' ');
    expect(reasonOf(`<a ${attrs}/>`, { maxAttributes: 19 })).toBe('XML_LIMIT');
    const nsFlood = Array.from({ length: 20 }, (_, i) => `xmlns:p${i}="urn:${i}"`).join(' ');
    expect(reasonOf(`<a ${nsFlood}/>`, { maxAttributes: 19 })).toBe('XML_LIMIT');
  });

  it('refuses duplicate attributes and an unterminated PI', () => {
    expect(reasonOf('<a x="1" x="2"/>')).toBe('XML_MALFORMED');
    expect(reasonOf('<a><?pi </a>')).toBe('XML_MALFORMED');
  });
});

describe('ATK-30: encoding tricks (XML_ENCODING)', () => {
  it.each([
    ['a UTF-16 declaration', '<?xml version="1.0" encoding="UTF-16"?><a/>'],
    ['an ISO-8859-1 declaration', "<?xml version='1.0' encoding='ISO-8859-1'?><a/>"],
    ['a UTF-7 declaration', '<?xml version="1.0" encoding="UTF-7"?><a/>'],
    ['U+0000 as a character reference', '<a>&#0;</a>'],
    ['U+FFFE', '<a>\uFFFE</a>'],
    ['U+FFFE as a character reference', '<a b="&#xFFFE;"/>'],
    ['a lone surrogate', '<a>\uD800</a>'],
    ['a C0 control character', '<a>\u0001</a>'],
  ])('%s', (_name, input) => {
    expect(reasonOf(input)).toBe('XML_ENCODING');
  });

  it('refuses invalid and overlong UTF-8 bytes', () => {
    expect(reasonOf(Uint8Array.from([0x3c, 0x61, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x61, 0x3e]))).toBe('XML_ENCODING');
    expect(reasonOf(Uint8Array.from([0x3c, 0x61, 0x3e, 0xc0, 0xaf, 0x3c, 0x2f, 0x61, 0x3e]))).toBe('XML_ENCODING');
  });

  it('refuses a document re-encoded as UTF-16, with or without a declaration', () => {
    expect(reasonOf(Buffer.from('\uFEFF<?xml version="1.0" encoding="UTF-16"?><a/>', 'utf16le'))).toBe('XML_ENCODING');
    expect(reasonOf(Buffer.from('<a/>', 'utf16le'))).toBe('XML_ENCODING');
  });

  it('refuses a UTF-8 BOM followed by another declared encoding', () => {
    expect(reasonOf(Buffer.from('\uFEFF<?xml version="1.0" encoding="ISO-8859-1"?><a/>', 'utf8'))).toBe('XML_ENCODING');
  });
});

describe('ATK-14 / ATK-19: strict well-formedness (XML_MALFORMED)', () => {
  it.each([
    ['two roots', '<Response ID="a"/><Response ID="b"/>'],
    ['text after the root', '<a/>junk'],
    ['an element after the root', '<a/><b/>'],
    ['end-tag junk', '<samlp:Response xmlns:samlp="urn:p"></samlp:Response\njunk>'],
    ['a stray end tag', '<a>x</b></a>'],
    ['a mismatched end tag', '<a><b>x</a>'],
    ['an unknown entity', '<a>&x;</a>'],
    ['a bare ampersand', '<a>a & b</a>'],
    ['< in an attribute value', '<a x="<"/>'],
    [']]> in text', '<a>]]></a>'],
    ['an unquoted attribute', '<a x=1/>'],
    ['attributes without whitespace', '<a x="1"y="2"/>'],
    ['an unterminated comment', '<a><!-- x</a>'],
    ['CDATA outside the root', '<a/><![CDATA[x]]>'],
    ['an undeclared prefix', '<p:a/>'],
    ['an undeclared attribute prefix', '<a p:x="1"/>'],
    ['an XML declaration after the start', '<a/><?xml version="1.0"?>'],
    ['an attribute named like a namespace declaration', '<a xmlnsfoo="x"/>'],
    ['a prefix that starts with xmlns', '<a xmlns:xmlns-x="urn:x" xmlns-x:ID="y"/>'],
    ['empty input', ''],
    ['text only', 'hello'],
  ])('%s', (_name, input) => {
    expect(reasonOf(input)).toBe('XML_MALFORMED');
  });

  it('says nothing on the console: every complaint becomes the refusal', () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      expect(reasonOf('<a><b></a>')).toBe('XML_MALFORMED');
    } finally {
      console.error = original;
    }
    expect(errors).toEqual([]);
  });
});

describe('ATK-20: reserved namespaces and expanded names, as libxml2 enforces them (Namespaces in XML §3)', () => {
  const XML = 'http://www.w3.org/XML/1998/namespace';
  const XMLNS = 'http://www.w3.org/2000/xmlns/';
  it.each([
    ['xml bound to another namespace', '<a xmlns:xml="urn:evil"/>'],
    ['xmlns declared as a prefix', '<a xmlns:xmlns="urn:evil"/>'],
    ['xmlns declared to its own namespace', `<a xmlns:xmlns="${XMLNS}"/>`],
    ['the XML namespace bound to another prefix', `<a xmlns:p="${XML}"/>`],
    ['the XML namespace as default', `<a xmlns="${XML}"/>`],
    ['the xmlns namespace bound to a prefix', `<a xmlns:p="${XMLNS}"/>`],
    ['the xmlns namespace as default', `<a xmlns="${XMLNS}"/>`],
    ['a prefix undeclared (XML 1.0 has no xmlns:p="")', '<a xmlns:p="urn:p"><b xmlns:p=""/></a>'],
    ['an element named with the prefix xmlns', '<xmlns:a/>'],
    ['one attribute twice through two prefixes of one namespace', '<a xmlns:p="urn:p" xmlns:q="urn:p" p:x="1" q:x="2"/>'],
  ])('%s → XML_MALFORMED', (_name, input) => {
    expect(reasonOf(input)).toBe('XML_MALFORMED');
  });

  it('still accepts xml bound to its own namespace, xml:lang, xmlns="" and one local name in two namespaces', () => {
    expect(reasonOf(`<a xmlns:xml="${XML}" xml:lang="fr"><b xmlns=""/></a>`)).toBe('accepted');
    expect(reasonOf('<a xmlns:p="urn:p" xmlns:q="urn:q" p:x="1" q:x="2" x="3"/>')).toBe('accepted');
  });
});
