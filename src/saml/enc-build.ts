/**
 * DOM construction of XML-Enc elements: every value goes through createElementNS,
 * setAttribute or createTextNode, so the serialiser escapes it (never a string template).
 */
import crypto from 'node:crypto';
import { NS } from './namespaces.ts';

const PREFIX: Record<string, string> = {
  [NS.xenc]: 'xenc',
  [NS.xenc11]: 'xenc11',
  [NS.ds]: 'ds',
  [NS.ds11]: 'ds11',
};

type Child = Element | string;

/**
 * `<prefix:name attr…>children</prefix:name>` in `ns`, prefix from the XML-Enc conventions.
 * `declare` adds the xmlns:prefix declaration on this element.
 */
export function xel(
  doc: Document,
  ns: string,
  localName: string,
  attrs: Record<string, string> = {},
  children: Child[] = [],
  declare = false,
): Element {
  const prefix = PREFIX[ns];
  if (!prefix) throw new Error(`no prefix for ${ns}`);
  const el = doc.createElementNS(ns, `${prefix}:${localName}`);
  if (declare) el.setAttributeNS(NS.xmlns, `xmlns:${prefix}`, ns);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  for (const child of children) el.appendChild(typeof child === 'string' ? doc.createTextNode(child) : child);
  return el;
}

/** A fresh xs:ID value for Id attributes (128 random bits). */
export function newId(): string {
  return `_${crypto.randomBytes(16).toString('hex')}`;
}

/** `<xenc:CipherData><xenc:CipherValue>base64</xenc:CipherValue></xenc:CipherData>` */
export function cipherData(doc: Document, value: Buffer): Element {
  return xel(doc, NS.xenc, 'CipherData', {}, [xel(doc, NS.xenc, 'CipherValue', {}, [value.toString('base64')])]);
}

/** The element serialised for encryption, carrying the prefixed namespace declarations in scope. */
export function serializeInScope(element: Element, serialize: (n: Node) => string): string {
  const clone = element.cloneNode(true) as Element;
  for (let n = element.parentNode; n && n.nodeType === 1; n = n.parentNode) {
    const attrs = (n as Element).attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs.item(i)!;
      if (a.namespaceURI === NS.xmlns && a.prefix === 'xmlns' && !hasDeclaration(clone, a.name)) {
        clone.setAttributeNS(NS.xmlns, a.name, a.value);
      }
    }
  }
  return serialize(clone);
}

function hasDeclaration(el: Element, name: string): boolean {
  return el.hasAttributeNS(NS.xmlns, name.slice('xmlns:'.length)) || el.hasAttribute(name);
}
