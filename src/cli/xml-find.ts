/**
 * Element selection for the operator's xml commands (`--element NAME`, "every encrypted
 * element"). These choose what an operator asked to process; they are not security
 * look-ups, which stay namespace-bound and relative to a verified element (src/saml/).
 */
import { NS } from '../saml/index.ts';

const ELEMENT_NODE = 1;

/** Elements of the subtree in document order, without descending into `skip(el)` elements. */
function* walk(root: Element, skip: (el: Element) => boolean = () => false): Generator<Element> {
  const stack: Element[] = [root];
  while (stack.length > 0) {
    const el = stack.pop()!;
    yield el;
    if (skip(el)) continue;
    const children: Element[] = [];
    for (let n = el.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === ELEMENT_NODE) children.push(n as Element);
    }
    stack.push(...children.reverse());
  }
}

export function elementsByLocalName(doc: Document, localName: string): Element[] {
  return [...walk(doc.documentElement)].filter((el) => el.localName === localName);
}

/** SAML elements that wrap exactly one xenc:EncryptedData and are replaced as a whole. */
const WRAPPERS: ReadonlyArray<readonly [string, string]> = [
  [NS.saml, 'EncryptedAssertion'],
  [NS.saml, 'EncryptedID'],
  [NS.saml, 'EncryptedAttribute'],
  [NS.samlp, 'NewEncryptedID'],
];

const isEncryptedData = (el: Element): boolean => el.namespaceURI === NS.xenc && el.localName === 'EncryptedData';

function isWrapper(el: Node | null): el is Element {
  return !!el && el.nodeType === ELEMENT_NODE && WRAPPERS.some(([ns, name]) => (el as Element).namespaceURI === ns && (el as Element).localName === name);
}

/** What to hand to decryptElement for each xenc:EncryptedData: its SAML wrapper, or itself. */
export function encryptedTargets(doc: Document): Element[] {
  return [...walk(doc.documentElement, isEncryptedData)]
    .filter(isEncryptedData)
    .map((el) => (isWrapper(el.parentNode) ? el.parentNode : el));
}
