/**
 * DOM construction of our SAML messages (ATK-53): every value goes through createElementNS,
 * setAttribute or createTextNode, so the serialiser escapes it; no string template ever holds
 * a value. Values are checked for XML 1.0 characters first (a lone surrogate or U+FFFE would
 * otherwise reach the serialiser unescapable).
 */
import { randomBytes } from 'node:crypto';
import { DOMImplementation } from '@xmldom/xmldom';
import { NS } from '../../../saml/index.ts';
import { refuseRequest } from '../errors.ts';

export const PREFIX: Record<string, string> = {
  [NS.samlp]: 'saml2p',
  [NS.saml]: 'saml2',
  [NS.xsi]: 'xsi',
  [NS.eidasNatural]: 'eidas-natural',
};

/** Anything outside the XML 1.0 Char production (lone surrogates included, thanks to /u). */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function checkXmlText(value: string, what: string): string {
  if (typeof value !== 'string' || NOT_XML_CHAR.test(value)) refuseRequest('OUT_XML_INVALID', `${what} holds a character XML cannot carry`);
  return value;
}

/** An xs:ID with 160 random bits (R-MSG-01 asks at least 128). */
export function newMessageId(): string {
  return `_${randomBytes(20).toString('hex')}`;
}

/** A new document whose root is {ns}localName with its prefix declared. */
export function newDocument(ns: string, localName: string): Document {
  const doc = new DOMImplementation().createDocument(ns, `${PREFIX[ns]}:${localName}`, null) as unknown as Document;
  doc.documentElement!.setAttributeNS(NS.xmlns, `xmlns:${PREFIX[ns]}`, ns);
  return doc;
}

type Child = Element | string;

/** `<prefix:localName attrs>children</prefix:localName>`; text children are checked and escaped. */
export function el(doc: Document, ns: string, localName: string, attrs: Record<string, string> = {}, children: Child[] = []): Element {
  const prefix = PREFIX[ns];
  if (!prefix) throw new Error(`no prefix for ${ns}`);
  const node = doc.createElementNS(ns, `${prefix}:${localName}`);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, checkXmlText(value, name));
  for (const child of children) {
    node.appendChild(typeof child === 'string' ? doc.createTextNode(checkXmlText(child, localName)) : child);
  }
  return node;
}

export function declare(node: Element, ns: string): void {
  node.setAttributeNS(NS.xmlns, `xmlns:${PREFIX[ns]}`, ns);
}

/** xs:dateTime in UTC with milliseconds and Z. */
export function instant(d: Date): string {
  return d.toISOString();
}
