/**
 * Strict shape checks for XML-Enc elements (ATK-36). Like dom.ts, every look-up is relative to
 * an element already in hand and matches namespace URI + local name; unlike dom.ts, every
 * deviation is ENC_FORMAT, the reason code of the encryption attacks.
 */
import { elementChildren } from './dom.ts';
import { refuse } from './errors.ts';

const TEXT_NODE = 3;

/** One allowed child: namespace, local name, and how many times it may occur. */
export type ChildRule = readonly [ns: string, localName: string, min: number, max: number];

/**
 * Checks that every element child of `parent` is one of `rules`, each within its count, and
 * that no non-whitespace text sits between them. Returns the children grouped by local name.
 */
export function shape(parent: Element, rules: readonly ChildRule[]): Record<string, Element[]> {
  const found: Record<string, Element[]> = {};
  for (const [, localName] of rules) found[localName] = [];
  for (let c = parent.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === TEXT_NODE && !/^[ \t\r\n]*$/.test(c.nodeValue ?? '')) {
      refuse('ENC_FORMAT', `text inside ${parent.localName}`);
    }
  }
  for (const child of elementChildren(parent)) {
    const rule = rules.find(([ns, name]) => child.namespaceURI === ns && child.localName === name);
    if (!rule) refuse('ENC_FORMAT', `${child.localName} not allowed in ${parent.localName}`);
    found[rule[1]]!.push(child);
  }
  for (const [, localName, min, max] of rules) {
    const n = found[localName]!.length;
    if (n < min || n > max) refuse('ENC_FORMAT', `${n} ${localName} in ${parent.localName}`);
  }
  return found;
}

/** The single child `localName` that `shape` guaranteed (min = max = 1). */
export function one(found: Record<string, Element[]>, localName: string): Element {
  const el = found[localName]?.[0];
  if (!el) refuse('ENC_FORMAT', `missing ${localName}`);
  return el;
}

/** An attribute in no namespace; absent gives null (xmldom returns '' for absent ones). */
export function attr(el: Element, name: string): string | null {
  return el.hasAttribute(name) ? el.getAttribute(name) : null;
}

/** Text content made of text nodes only: a comment, CDATA section, PI or element is ENC_FORMAT. */
export function encText(el: Element): string {
  let text = '';
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType !== TEXT_NODE) refuse('ENC_FORMAT', `${el.localName} must hold text only`);
    text += c.nodeValue ?? '';
  }
  return text;
}

/** Strict base64 (XML whitespace, including the &#13; the EU node writes, is ignored). */
export function base64Value(el: Element): Buffer {
  const compact = encText(el).replace(/[ \t\r\n]+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    refuse('ENC_FORMAT', `${el.localName} is not base64`);
  }
  return Buffer.from(compact, 'base64');
}
