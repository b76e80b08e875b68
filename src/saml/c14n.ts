/**
 * Exclusive XML canonicalisation (without comments) of one element, on xml-crypto's
 * ExclusiveCanonicalization. This module adds no canonicalisation rule of its own; it only
 * drives xml-crypto's canonicaliser so that it never touches the DOM it is given:
 *  - the enveloped signature is left out by node identity while rendering (the
 *    enveloped-signature transform), instead of being removed from the document or a clone;
 *  - InclusiveNamespaces prefixes bound on ancestors are offered to xml-crypto's namespace
 *    rendering of the apex as extra declarations, instead of being written into the
 *    element with setAttributeNS as xml-crypto's `process` does;
 *  - attributes named like a namespace declaration but none (`xmlnsfoo`), which xml-crypto
 *    would leave out of the digest, are refused;
 *  - processing instructions are refused (xml-crypto would render a PI's data as text, which
 *    would let `a<?x b?>` and `ab` share a digest: ATK-21), and so is any node type exc-c14n
 *    has no rule for here. Comments are left out, as exc-c14n without comments requires;
 *  - attributes and namespace declarations are ordered as C14N 1.0 §2.2 says, by code point:
 *    xml-crypto orders attributes by the concatenation namespaceURI + localName (so xmldom's
 *    `undefined` namespace of parsed attributes and `null` of setAttribute ones sort apart,
 *    and "urn:x:a"+"zz" sorts after "urn:x:ab"+"c") and declarations with localeCompare.
 */
import { ExclusiveCanonicalization } from 'xml-crypto';
import { refuse } from './errors.ts';
import { NS } from './namespaces.ts';
import { checkNotLikeDeclaration } from './parser.ts';

const NODE = { ELEMENT: 1, TEXT: 3, CDATA: 4, COMMENT: 8 } as const;

interface NsBinding {
  prefix: string;
  namespaceURI: string;
}

export interface C14nOptions {
  /** A descendant left out with its subtree: the enveloped ds:Signature. */
  exclude?: Node;
  /** The exc-c14n InclusiveNamespaces PrefixList, already split. */
  inclusivePrefixes?: readonly string[];
}

/** exc-c14n of `element` (and its subtree), as a UTF-8 Buffer. The DOM is not modified. */
export function canonicalize(element: Element, options: C14nOptions = {}): Buffer {
  const prefixes = [...(options.inclusivePrefixes ?? [])];
  const c14n = new DrivenExcC14n(element, options.exclude, ancestorBindings(element, prefixes));
  return Buffer.from(c14n.processInner(element, [], '', {}, prefixes), 'utf8');
}

class DrivenExcC14n extends ExclusiveCanonicalization {
  constructor(
    private readonly apex: Element,
    private readonly exclude: Node | undefined,
    private readonly apexExtraNs: NsBinding[],
  ) {
    super();
  }

  override processInner(
    node: Node,
    prefixesInScope: NsBinding[],
    defaultNs: string,
    defaultNsForPrefix: Record<string, string>,
    inclusivePrefixes: string[],
  ): string {
    if (node === this.exclude) return '';
    switch (node.nodeType) {
      case NODE.COMMENT:
        return '';
      case NODE.TEXT:
      case NODE.CDATA:
        // xml-crypto tests `node.data` for truthiness, so an empty text node must stop here.
        if (!(node as CharacterData).data) return '';
        break;
      case NODE.ELEMENT: {
        const attrs = (node as Element).attributes;
        for (let i = 0; i < attrs.length; i++) checkAttributeName(attrs.item(i)!);
        break;
      }
      default:
        refuse('XML_UNEXPECTED_NODE', `node type ${node.nodeType} inside signed content`);
    }
    return super.processInner(node, prefixesInScope, defaultNs, defaultNsForPrefix, inclusivePrefixes);
  }

  /** C14N 1.0 §2.2: namespace URI (none sorts first), then local name. Called unbound by xml-crypto. */
  override attrCompare(a: Attr, b: Attr): 1 | 0 | -1 {
    const byNamespace = compareCodePoints(a.namespaceURI || '', b.namespaceURI || '');
    return ordering(byNamespace !== 0 ? byNamespace : compareCodePoints(a.localName || a.name, b.localName || b.name));
  }

  /** C14N 1.0 §2.2: namespace declarations by prefix (local name of the declaration). */
  override nsCompare(a: NsBinding, b: NsBinding): 1 | 0 | -1 {
    return ordering(compareCodePoints(a.prefix, b.prefix));
  }

  override renderNs(
    node: Element,
    prefixesInScope: NsBinding[],
    defaultNs: string,
    defaultNsForPrefix: Record<string, string>,
    inclusivePrefixes: string[],
  ): { rendered: string; newDefaultNs: string } {
    const shown = node === this.apex && this.apexExtraNs.length > 0 ? withExtraNs(node, this.apexExtraNs) : node;
    return super.renderNs(shown, prefixesInScope, defaultNs, defaultNsForPrefix, inclusivePrefixes);
  }
}

/**
 * Lexicographic order of UCS code points (C14N 1.0 §2.2), not of UTF-16 code units: units
 * from U+E000 up move below the surrogates, which stand for code points above U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

function ordering(n: number): 1 | 0 | -1 {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/**
 * Refused before rendering: a name like a namespace declaration but none (`xmlnsfoo`), and
 * a prefixed name without a namespace (`setAttribute('xml:lang', …)` on a built DOM), which
 * xml-crypto would order as unqualified while every receiver orders it by its namespace.
 */
function checkAttributeName(a: Attr): void {
  checkNotLikeDeclaration(a.name);
  if (!a.namespaceURI && a.name.includes(':')) {
    refuse('XML_MALFORMED', `attribute ${a.name} has a prefix but no namespace (use setAttributeNS)`);
  }
}

/**
 * A read-only view of `node` whose attribute list also holds `extra` namespace declarations,
 * for xml-crypto's renderNs only (renderAttrs, which prints attributes, gets the real node).
 */
function withExtraNs(node: Element, extra: NsBinding[]): Element {
  const attrs: unknown[] = [];
  for (let i = 0; i < node.attributes.length; i++) attrs.push(node.attributes.item(i));
  for (const b of extra) {
    attrs.push({ prefix: 'xmlns', localName: b.prefix, name: `xmlns:${b.prefix}`, value: b.namespaceURI, namespaceURI: NS.xmlns });
  }
  return Object.create(node, { attributes: { value: attrs } }) as Element;
}

/**
 * The bindings of the listed prefixes that are in scope at `element` only through an
 * ancestor (a declaration on the element itself is seen by xml-crypto directly).
 */
function ancestorBindings(element: Element, prefixes: string[]): NsBinding[] {
  const out: NsBinding[] = [];
  for (const prefix of prefixes) {
    if (element.hasAttributeNS(NS.xmlns, prefix)) continue;
    for (let p = element.parentNode; p && p.nodeType === NODE.ELEMENT; p = p.parentNode) {
      const el = p as Element;
      if (el.hasAttributeNS(NS.xmlns, prefix)) {
        const uri = el.getAttributeNS(NS.xmlns, prefix) ?? '';
        if (uri !== '') out.push({ prefix, namespaceURI: uri });
        break;
      }
    }
  }
  return out;
}
