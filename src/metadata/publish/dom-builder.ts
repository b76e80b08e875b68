/**
 * DOM construction for the metadata builders: every element is created with its namespace,
 * every value goes in through setAttribute or a text node, so configuration text can never
 * change the markup (no string templates).
 */
import { DOMImplementation } from '@xmldom/xmldom';
import { NS } from '../../saml/namespaces.ts';
import { PREFIXES, XML_NS, type Prefix } from './vocabulary.ts';

export type Attributes = Readonly<Record<string, string | undefined>>;

export class MetadataDom {
  readonly doc: Document;
  readonly root: Element;

  /** A new document whose root is md:EntityDescriptor, with every prefix declared on it. */
  constructor() {
    this.doc = new DOMImplementation().createDocument(PREFIXES.md, 'md:EntityDescriptor', null);
    this.root = this.doc.documentElement;
    for (const [prefix, uri] of Object.entries(PREFIXES)) {
      this.root.setAttributeNS(NS.xmlns, `xmlns:${prefix}`, uri);
    }
  }

  /** Appends `<prefix:name attrs…>text</prefix:name>` to `parent` and returns it. */
  add(parent: Element, prefix: Prefix, name: string, attributes: Attributes = {}, text?: string): Element {
    const el = this.doc.createElementNS(PREFIXES[prefix], `${prefix}:${name}`);
    setAttributes(el, attributes);
    if (text !== undefined) el.appendChild(this.doc.createTextNode(text));
    parent.appendChild(el);
    return el;
  }

  /** As `add`, with xml:lang (md:localizedNameType / localizedURIType). */
  addLocalized(parent: Element, name: string, lang: string, text: string): Element {
    const el = this.add(parent, 'md', name, {}, text);
    el.setAttributeNS(XML_NS, 'xml:lang', lang);
    return el;
  }
}

/** Unprefixed attributes, in the order given; undefined values are left out. */
export function setAttributes(el: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined) el.setAttribute(name, value);
  }
}
