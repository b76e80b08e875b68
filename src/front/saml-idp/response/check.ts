/**
 * ATK-53: before anything is signed or encrypted, the built Response is serialised, parsed again
 * by the node's one parser, and its structure compared with what was meant: one Assertion, the
 * NameID, exactly the attributes and values we put in, in order. A value that could have
 * changed the structure cannot pass this, whatever the serialiser did with it.
 */
import { NS, XmlSecurityError, childElements, onlyChild, parseXml, serializeXml, strictText } from '../../../saml/index.ts';
import { refuseRequest } from '../errors.ts';
import type { PreparedAttribute } from './attributes.ts';

export function checkBuiltResponse(doc: Document, nameId: string, attributes: PreparedAttribute[]): void {
  try {
    const response = parseXml(serializeXml(doc)).documentElement!;
    const assertion = onlyChild(response, NS.saml, 'Assertion');
    const subject = onlyChild(assertion, NS.saml, 'Subject');
    if (strictText(onlyChild(subject, NS.saml, 'NameID')) !== nameId) refuseRequest('OUT_XML_INVALID', 'NameID changed');
    const statement = onlyChild(assertion, NS.saml, 'AttributeStatement');
    const found = childElements(statement, NS.saml, 'Attribute');
    if (found.length !== attributes.length || found.length !== statement.childNodes.length) {
      refuseRequest('OUT_XML_INVALID', 'attribute count changed');
    }
    attributes.forEach((a, i) => checkAttribute(found[i]!, a));
  } catch (e) {
    if (e instanceof XmlSecurityError) refuseRequest('OUT_XML_INVALID', `built XML does not parse back: ${e.reason}`);
    throw e;
  }
}

function checkAttribute(found: Element, expected: PreparedAttribute): void {
  if (found.getAttribute('Name') !== expected.definition.name) refuseRequest('OUT_XML_INVALID', 'attribute name changed');
  const values = childElements(found, NS.saml, 'AttributeValue');
  if (values.length !== expected.values.length || values.length !== found.childNodes.length) {
    refuseRequest('OUT_XML_INVALID', 'attribute value count changed');
  }
  values.forEach((v, i) => {
    if (strictText(v) !== expected.values[i]) refuseRequest('OUT_XML_INVALID', 'attribute value changed');
  });
}
