/**
 * Edits a connector applies to the golden AuthnRequest before signing it, and the expected
 * outcomes of attacks.md §0.2, for the R-MSG rule suites.
 */
import { STATUS } from '../../../../src/front/saml-idp/index.ts';
import { outcomeOf, validatePost, type Outcome } from './outcome.ts';
import { G_REQ, KEYS, NS, edited, fixture, kid, kids, signedRequest, type TestKey, type World } from './world.ts';

export const LOA = (l: string) => `http://eidas.europa.eu/LoA/${l}`;
export const NN_SUBSTANTIAL = 'http://eidas.europa.eu/NotNotified/LoA/substantial';
export const PS400 = (reason: string): Partial<Outcome> => ({ kind: 'PS-400', reason });
export const PSERR = (reason: string, top: string, second?: string): Partial<Outcome> => ({
  kind: 'PS-ERR',
  reason,
  top,
  ...(second ? { second } : {}),
});
export const { REQUESTER: REQ, RESPONDER: RESP } = STATUS;

export type Edit = (root: Element, doc: Document) => void;

export const setAttr = (name: string, value: string | null): Edit => (root) => {
  if (value === null) root.removeAttribute(name);
  else root.setAttribute(name, value);
};
export const extensions = (root: Element) => kid(root, NS.samlp, 'Extensions');
export const requestedAttributes = (root: Element) => kid(extensions(root), NS.eidas, 'RequestedAttributes');
export const requested = (root: Element, suffix: string) =>
  kids(requestedAttributes(root), NS.eidas, 'RequestedAttribute').find((a) => a.getAttribute('Name')!.endsWith(`/${suffix}`))!;
export const authnContext = (root: Element) => kid(root, NS.samlp, 'RequestedAuthnContext');
export const remove = (el: Element) => el.parentNode!.removeChild(el);

export function addRequested(root: Element, name: string, isRequired: string | null, friendlyName?: string): void {
  const doc = root.ownerDocument!;
  const el = doc.createElementNS(NS.eidas, 'eidas:RequestedAttribute');
  el.setAttribute('Name', name);
  el.setAttribute('NameFormat', 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri');
  if (friendlyName) el.setAttribute('FriendlyName', friendlyName);
  if (isRequired !== null) el.setAttribute('isRequired', isRequired);
  requestedAttributes(root).appendChild(el);
}

export function setLoas(comparison: string | null, uris: string[], element = 'AuthnContextClassRef'): Edit {
  return (root, doc) => {
    const context = authnContext(root);
    while (context.firstChild) context.removeChild(context.firstChild);
    if (comparison === null) context.removeAttribute('Comparison');
    else context.setAttribute('Comparison', comparison);
    for (const uri of uris) {
      const ref = doc.createElementNS(NS.saml, `saml2:${element}`);
      ref.appendChild(doc.createTextNode(uri));
      context.appendChild(ref);
    }
  };
}

export function appendChild(ns: string, qname: string, text?: string, parent: (root: Element) => Element = (r) => r): Edit {
  return (root, doc) => {
    const el = doc.createElementNS(ns, qname);
    if (text !== undefined) el.appendChild(doc.createTextNode(text));
    parent(root).appendChild(el);
  };
}

/** The golden request after `edit`, signed by the connector, through the POST pipeline. */
export async function signedOutcome(
  w: World,
  edit?: Edit,
  template = fixture(G_REQ),
  key: TestKey = KEYS.connectorDe,
  algorithm?: string,
  relay?: string,
): Promise<Outcome> {
  const xml = await signedRequest(edited(template, edit), key, algorithm);
  return outcomeOf(() => validatePost(w, xml, relay));
}
