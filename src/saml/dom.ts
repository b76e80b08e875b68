/**
 * Namespace-bound, child-relative DOM look-ups (DESIGN §3, ATK-03/09/17). Nothing here ever
 * searches the whole document: every look-up starts from an element the caller already
 * trusts and matches namespace URI + local name, never a prefix.
 */
import { refuse } from './errors.ts';

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

export function isElement(n: Node | null | undefined, ns: string, localName: string): n is Element {
  return (
    !!n &&
    n.nodeType === ELEMENT_NODE &&
    (n as Element).namespaceURI === ns &&
    (n as Element).localName === localName
  );
}

/** Every element child of `parent`, in document order. */
export function elementChildren(parent: Element): Element[] {
  const out: Element[] = [];
  for (let c = parent.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === ELEMENT_NODE) out.push(c as Element);
  }
  return out;
}

/** The element children of `parent` named {ns}localName, in document order. */
export function childElements(parent: Element, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let c = parent.firstChild; c; c = c.nextSibling) {
    if (isElement(c, ns, localName)) out.push(c);
  }
  return out;
}

/** Exactly one child {ns}localName, else SCHEMA. */
export function onlyChild(parent: Element, ns: string, localName: string): Element {
  const found = childElements(parent, ns, localName);
  if (found.length !== 1) {
    refuse('SCHEMA', `expected exactly one ${localName} in ${parent.localName}, found ${found.length}`);
  }
  return found[0]!;
}

/** Zero or one child {ns}localName, else SCHEMA. */
export function optionalChild(parent: Element, ns: string, localName: string): Element | undefined {
  const found = childElements(parent, ns, localName);
  if (found.length > 1) {
    refuse('SCHEMA', `expected at most one ${localName} in ${parent.localName}, found ${found.length}`);
  }
  return found[0];
}

/**
 * The text of an element that may hold nothing but one text node (ATK-16, ATK-21): no
 * comment, processing instruction, CDATA section or child element, and not several text
 * nodes. An empty element gives ''. Anything else: SIG_STRUCTURE.
 */
export function strictText(el: Element): string {
  const first = el.firstChild;
  if (!first) return '';
  if (first.nodeType !== TEXT_NODE || first.nextSibling) {
    refuse('SIG_STRUCTURE', `${el.localName} must hold text only`);
  }
  return first.nodeValue ?? '';
}
