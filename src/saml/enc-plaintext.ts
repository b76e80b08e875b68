/**
 * Turns decrypted bytes (Type=Element) into one element, parsed by the node's one parser
 * (parseXml, same limits as a message) as its own document. A sender may have serialised the
 * element relying on namespace prefixes declared only on the enclosing document; such plaintext
 * is parsed again inside a context element carrying the in-scope namespace declarations of the
 * EncryptedData (XML-Enc 1.1 §4.5, "decrypt in context"), and its single element is returned.
 */
import { DOMImplementation } from '@xmldom/xmldom';
import { elementChildren } from './dom.ts';
import { XmlSecurityError, refuse } from './errors.ts';
import { NS } from './namespaces.ts';
import { MESSAGE_LIMITS, parseXml, serializeXml } from './parser.ts';

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CONTEXT_ELEMENT = 'decryption-context';
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * `wrapper` is the saml:EncryptedAssertion (or other wrapper) the data came in, if any: for an
 * EncryptedAssertion, anything but exactly one saml:Assertion is ASSERTION_COUNT.
 */
export function parsePlaintext(plaintext: Buffer, encryptedData: Element, wrapper: Element | undefined): Element {
  let text: string;
  try {
    text = utf8.decode(plaintext);
  } catch {
    return refuse('XML_ENCODING', 'decrypted data is not valid UTF-8');
  }
  let element: Element;
  try {
    element = parseXml(text, MESSAGE_LIMITS).documentElement!;
  } catch (e) {
    if (!(e instanceof XmlSecurityError) || e.reason !== 'XML_MALFORMED') throw e;
    element = parseInContext(text, encryptedData, wrapper);
  }
  checkKind(element, wrapper);
  return element;
}

function parseInContext(text: string, encryptedData: Element, wrapper: Element | undefined): Element {
  const doc = parseXml(contextStartTag(encryptedData) + text + `</${CONTEXT_ELEMENT}>`, MESSAGE_LIMITS);
  const context = doc.documentElement!;
  for (let c = context.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === TEXT_NODE && !/^[ \t\r\n]*$/.test(c.nodeValue ?? '')) refuse('ENC_FORMAT', 'text around the decrypted element');
  }
  const elements = elementChildren(context);
  if (elements.length !== 1) {
    refuse(isEncryptedAssertion(wrapper) ? 'ASSERTION_COUNT' : 'ENC_FORMAT', `${elements.length} elements decrypted`);
  }
  return elements[0]!;
}

/**
 * `<decryption-context xmlns:p="…" …>` with the namespace declarations in scope at the
 * EncryptedData, built with the DOM and serialised (values escaped by the serialiser).
 */
function contextStartTag(encryptedData: Element): string {
  const doc = new DOMImplementation().createDocument(null, CONTEXT_ELEMENT, null);
  const context = doc.documentElement!;
  for (const [name, uri] of inScopeNamespaces(encryptedData)) {
    if (uri !== '') context.setAttributeNS(NS.xmlns, name, uri); // xmlns="" undeclares: nothing to carry
  }
  const empty = serializeXml(context as unknown as Node);
  if (!empty.endsWith('/>')) throw new Error('unexpected serialisation of the decryption context');
  return `${empty.slice(0, -2)}>`;
}

/** xmlns / xmlns:p declarations visible at `el`, the nearest one of each name wins. */
function inScopeNamespaces(el: Element): Map<string, string> {
  const found = new Map<string, string>();
  for (let n: Node | null = el; n && n.nodeType === ELEMENT_NODE; n = n.parentNode) {
    const attrs = (n as Element).attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs.item(i)!;
      if (a.namespaceURI !== NS.xmlns || found.has(a.name)) continue;
      found.set(a.name, a.value);
    }
  }
  return found;
}

function isEncryptedAssertion(wrapper: Element | undefined): boolean {
  return wrapper?.namespaceURI === NS.saml && wrapper.localName === 'EncryptedAssertion';
}

function checkKind(element: Element, wrapper: Element | undefined): void {
  if (isEncryptedAssertion(wrapper) && !(element.namespaceURI === NS.saml && element.localName === 'Assertion')) {
    refuse('ASSERTION_COUNT', 'EncryptedAssertion does not hold an Assertion');
  }
}
