/**
 * The one XML parser of the node (ATK-14, ATK-19, ATK-28..30, DESIGN §3).
 *
 * One configuration serves every input: bytes are decoded as strict UTF-8, any DOCTYPE is
 * refused before and after parsing, every xmldom complaint (warning, error, fatal error) is
 * fatal, the document must have exactly one root element, and size, depth, element and
 * attribute counts are capped in one iterative walk (no recursion, so depth cannot exhaust
 * the stack).
 */
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { XmlSecurityError, refuse } from './errors.ts';
import { checkMarkup } from './wellformed.ts';

export interface ParseLimits {
  /** UTF-8 bytes of the input, checked before decoding and parsing. */
  maxBytes: number;
  /** Element nesting depth (the root is depth 1). */
  maxDepth: number;
  /** Elements in the whole document. */
  maxElements: number;
  /** Attribute nodes in the whole document, namespace declarations included. */
  maxAttributes: number;
}

/** SAML messages: the EU reference node caps SAMLRequest/SAMLResponse at 131072 bytes. */
export const MESSAGE_LIMITS: ParseLimits = Object.freeze({
  maxBytes: 131_072,
  maxDepth: 64,
  maxElements: 5_000,
  maxAttributes: 20_000,
});

/** Metadata, including aggregates of many entities. */
export const METADATA_LIMITS: ParseLimits = Object.freeze({
  maxBytes: 8 * 1024 * 1024,
  maxDepth: 64,
  maxElements: 200_000,
  maxAttributes: 600_000,
});

const NODE = { ELEMENT: 1, TEXT: 3, CDATA: 4, PI: 7, COMMENT: 8, DOCTYPE: 10 } as const;
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** Anything outside the XML 1.0 Char production (lone surrogates included, thanks to /u). */
const ILLEGAL_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const DOCTYPE = /<!DOCTYPE/i;
const XML_DECL = /^<\?xml(?=[\s?])[^>]*?\?>/;
const DECL_ENCODING = /\bencoding\s*=\s*(["'])([^"']*)\1/;
const XML_DECL_ANYWHERE = /<\?xml(?=[\s?])/gi;
const MAX_DETAIL = 160;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Parses `input` into a DOM Document or throws XmlSecurityError: XML_DTD_FORBIDDEN,
 * XML_ENCODING, XML_MALFORMED or XML_LIMIT. Buffers are decoded with fatal UTF-8 (a leading
 * BOM is allowed and dropped).
 */
export function parseXml(input: string | Uint8Array, limits?: Partial<ParseLimits>): Document {
  const lim: ParseLimits = { ...MESSAGE_LIMITS, ...limits };
  const text = decodeInput(input, lim.maxBytes);
  checkRawText(text);
  const startTags = checkMarkup(text);
  const doc = parseStrictly(text);
  const elements = walkAndCheck(doc, lim);
  if (elements !== startTags) refuse('XML_MALFORMED', 'the tree does not match the markup');
  return doc;
}

/** xmldom's XMLSerializer; for output only, never to re-parse what was verified (ATK-19). */
export function serializeXml(node: Node): string {
  return new XMLSerializer().serializeToString(node, false, keepCarriageReturns as (n: Node) => Node);
}

const TEXT_ESCAPES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '\r': '&#xD;' };

/**
 * xmldom writes a CR in text as is, and every parser reads it back as LF, so a signed text
 * with a CR would no longer match its digest: such a text is written with `&#xD;` (the
 * serialiser takes a returned string verbatim). Attribute values are already escaped.
 */
function keepCarriageReturns(n: Node): Node | string {
  if (n.nodeType !== NODE.TEXT || !n.nodeValue?.includes('\r')) return n;
  return n.nodeValue.replace(/[<>&\r]/g, (c) => TEXT_ESCAPES[c]!);
}

function decodeInput(input: string | Uint8Array, maxBytes: number): string {
  if (typeof input === 'string') {
    if (input.length > maxBytes || Buffer.byteLength(input, 'utf8') > maxBytes) {
      refuse('XML_LIMIT', `input larger than ${maxBytes} bytes`);
    }
    return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  }
  if (input.byteLength > maxBytes) refuse('XML_LIMIT', `input larger than ${maxBytes} bytes`);
  try {
    return utf8.decode(input); // drops a UTF-8 BOM; a UTF-16 BOM is invalid UTF-8 here
  } catch {
    return refuse('XML_ENCODING', 'input is not valid UTF-8');
  }
}

function checkRawText(text: string): void {
  if (DOCTYPE.test(text)) refuse('XML_DTD_FORBIDDEN');
  if (ILLEGAL_CHAR.test(text)) refuse('XML_ENCODING', 'character not allowed in XML 1.0');
  const decl = XML_DECL.exec(text);
  if (decl) {
    const enc = DECL_ENCODING.exec(decl[0]);
    if (enc && enc[2]!.toLowerCase() !== 'utf-8' && enc[2]!.toLowerCase() !== 'utf8') {
      refuse('XML_ENCODING', 'declared encoding is not UTF-8');
    }
  }
  // An XML declaration anywhere but at the very start is not well-formed.
  const count = text.match(XML_DECL_ANYWHERE)?.length ?? 0;
  if (count > (decl ? 1 : 0)) refuse('XML_MALFORMED', 'XML declaration not at the start');
}

function parseStrictly(text: string): Document {
  // xmldom catches what a handler throws inside an element and reports it again through
  // `error`: keep the first complaint so the detail names the real problem.
  let first: XmlSecurityError | undefined;
  const fail = (msg: string): never => {
    first ??= new XmlSecurityError('XML_MALFORMED', `parser: ${String(msg).slice(0, MAX_DETAIL)}`);
    throw first;
  };
  const parser = new DOMParser({
    locator: {},
    errorHandler: { warning: fail, error: fail, fatalError: fail },
  });
  let doc: Document;
  try {
    doc = parser.parseFromString(text, 'application/xml') as unknown as Document;
  } catch (e) {
    if (first) throw first;
    if (e instanceof XmlSecurityError) throw e;
    return refuse('XML_MALFORMED', 'parser refused the input');
  }
  if (!doc) refuse('XML_MALFORMED', 'no document');
  if (doc.doctype) refuse('XML_DTD_FORBIDDEN');
  return doc;
}

/**
 * Document-level shape, then one iterative walk over the tree for limits and characters.
 * Returns the number of elements.
 */
function walkAndCheck(doc: Document, lim: ParseLimits): number {
  let roots = 0;
  for (let n = doc.firstChild; n; n = n.nextSibling) {
    switch (n.nodeType) {
      case NODE.ELEMENT:
        roots++;
        break;
      case NODE.COMMENT:
      case NODE.PI:
        break;
      case NODE.TEXT:
        if (!/^[ \t\r\n]*$/.test(n.nodeValue ?? '')) refuse('XML_MALFORMED', 'text outside the root');
        break;
      case NODE.DOCTYPE:
        refuse('XML_DTD_FORBIDDEN');
      default:
        refuse('XML_MALFORMED', 'unexpected node outside the root');
    }
  }
  if (roots !== 1 || !doc.documentElement) refuse('XML_MALFORMED', 'exactly one root element is required');

  let elements = 0;
  let attributes = 0;
  const stack: Array<[Node, number]> = [[doc.documentElement, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node.nodeType === NODE.ELEMENT) {
      if (depth > lim.maxDepth) refuse('XML_LIMIT', `depth over ${lim.maxDepth}`);
      if (++elements > lim.maxElements) refuse('XML_LIMIT', `more than ${lim.maxElements} elements`);
      const el = node as Element;
      checkPrefixBound(el);
      attributes += el.attributes.length;
      if (attributes > lim.maxAttributes) refuse('XML_LIMIT', `more than ${lim.maxAttributes} attributes`);
      checkAttributes(el);
      for (let c = node.lastChild; c; c = c.previousSibling) stack.push([c, depth + 1]);
    } else if (node.nodeType === NODE.DOCTYPE) {
      refuse('XML_DTD_FORBIDDEN');
    } else {
      // Character references (&#0; …) are decoded by the parser, so check the decoded text too.
      checkChars(node.nodeValue ?? '');
    }
  }
  return elements;
}

/** Names, declarations and characters of the attributes of one element. */
function checkAttributes(el: Element): void {
  const attrs = el.attributes;
  let firstQualified: string | undefined;
  let qualified: Set<string> | undefined;
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs.item(i)!;
    checkPrefixBound(a);
    checkChars(a.value);
    if (a.namespaceURI === XMLNS_NS) {
      checkDeclaration(a);
    } else if (a.namespaceURI) {
      // xmldom catches `p:x="" p:x=""`, not `p:x="" q:x=""` with p and q bound to one URI.
      const name = expandedName(a);
      if (firstQualified === undefined) {
        firstQualified = name;
      } else {
        qualified ??= new Set([firstQualified]);
        if (qualified.has(name)) refuse('XML_MALFORMED', `attribute {${a.namespaceURI}}${a.localName} given twice`);
        qualified.add(name);
      }
    }
  }
}

/**
 * A prefix that no xmlns declaration binds is a namespace well-formedness error, and so is an
 * element named with the reserved prefix xmlns (Namespaces in XML §3; libxml2 refuses both).
 */
function checkPrefixBound(n: Element | Attr): void {
  const declaration = n.nodeType === 2 && n.prefix === 'xmlns';
  if (n.prefix && !declaration && !n.namespaceURI) {
    refuse('XML_MALFORMED', `undeclared namespace prefix ${n.prefix}`);
  }
  if (n.nodeType === 2) checkNotLikeDeclaration((n as Attr).name);
}

/**
 * The reserved namespaces of Namespaces in XML §3, as libxml2 (xmlsec1, lxml) enforces them:
 * the prefix xml is bound to the XML namespace only and that namespace to no other prefix
 * nor as default; the prefix xmlns and its namespace are never declared; a prefix is never
 * undeclared (`xmlns:p=""`, XML 1.0). xmldom accepts all of these, so the two sides of a
 * message would not read the same names (ATK-20).
 */
function checkDeclaration(a: Attr): void {
  const prefix = a.prefix === 'xmlns' ? a.localName : '';
  const uri = a.value;
  if (prefix === 'xmlns') refuse('XML_MALFORMED', 'the prefix xmlns cannot be declared');
  if (uri === XMLNS_NS) refuse('XML_MALFORMED', 'the xmlns namespace cannot be declared');
  if ((prefix === 'xml') !== (uri === XML_NS)) {
    refuse('XML_MALFORMED', 'the prefix xml and the XML namespace are bound to each other only');
  }
  if (prefix !== '' && uri === '') refuse('XML_MALFORMED', `the prefix ${prefix} cannot be undeclared`);
}

function expandedName(a: Attr): string {
  return `${a.namespaceURI} ${a.localName}`;
}

/**
 * `xmlnsfoo="…"` or `xmlns-x:a="…"` is no namespace declaration, but xml-crypto's
 * canonicaliser skips every attribute whose name starts with "xmlns", so such an attribute
 * would sit in signed content without being signed. Refused here and in c14n.ts.
 */
export function checkNotLikeDeclaration(name: string): void {
  if (name.startsWith('xmlns') && name !== 'xmlns' && !name.startsWith('xmlns:')) {
    refuse('XML_MALFORMED', 'attribute name reserved for namespace declarations');
  }
}

function checkChars(value: string): void {
  if (ILLEGAL_CHAR.test(value)) refuse('XML_ENCODING', 'character not allowed in XML 1.0');
}
