/**
 * Checks of the decrypted assertion (R-RSP-03..15): its signature when it has one (with the
 * node's metadata keys), Issuer, one bearer SubjectConfirmation for our request and ACS,
 * Conditions window and Audience, exactly one AuthnStatement with a notified LoA not below the
 * requested minimum, exactly one AttributeStatement. Returns what the demo page shows.
 */
import type { X509Certificate } from 'node:crypto';
import { childElements, onlyChild, strictText } from '../../saml/dom.ts';
import { NS } from '../../saml/namespaces.ts';
import { verifyElement } from '../../saml/verify.ts';
import { NOTIFIED_LOAS } from './authn-request.ts';
import { MockEuError } from './errors.ts';

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

export interface ReceivedAttribute {
  friendlyName: string;
  name: string;
  values: string[];
}

export interface AssertionContent {
  loa: string;
  nameId: string;
  nameIdFormat: string;
  attributes: ReceivedAttribute[];
  assertionSigned: boolean;
}

export interface AssertionExpectations {
  issuer: string;
  keys: X509Certificate[];
  entityId: string;
  acsUrl: string;
  requestId: string;
  loa: string;
  now: Date;
  skewMs: number;
}

export async function readAssertion(decrypted: Element, e: AssertionExpectations): Promise<AssertionContent> {
  if (decrypted.namespaceURI !== NS.saml || decrypted.localName !== 'Assertion') throw new MockEuError('RESPONSE_FORMAT', 'not a saml:Assertion');
  const signed = childElements(decrypted, NS.ds, 'Signature').length > 0;
  const assertion = signed ? (await verifyElement(decrypted, { trusted: e.keys })).element : decrypted;
  if (strictText(onlyChild(assertion, NS.saml, 'Issuer')).trim() !== e.issuer) {
    throw new MockEuError('RESPONSE_MISMATCH', 'assertion Issuer is not the node (R-RSP-06)');
  }
  const subject = onlyChild(assertion, NS.saml, 'Subject');
  const nameId = onlyChild(subject, NS.saml, 'NameID');
  checkSubjectConfirmation(subject, e);
  checkConditions(onlyChild(assertion, NS.saml, 'Conditions'), e);
  return {
    loa: checkedLoa(assertion, e.loa),
    nameId: strictText(nameId),
    nameIdFormat: nameId.getAttribute('Format') ?? '',
    attributes: readAttributes(assertion),
    assertionSigned: signed,
  };
}

function checkSubjectConfirmation(subject: Element, e: AssertionExpectations): void {
  const confirmations = childElements(subject, NS.saml, 'SubjectConfirmation');
  if (confirmations.length !== 1 || confirmations[0]!.getAttribute('Method') !== BEARER) {
    throw new MockEuError('RESPONSE_FORMAT', 'one bearer SubjectConfirmation expected (R-RSP-11)');
  }
  const data = onlyChild(confirmations[0]!, NS.saml, 'SubjectConfirmationData');
  if (data.getAttribute('InResponseTo') !== e.requestId) throw new MockEuError('RESPONSE_UNSOLICITED', 'SubjectConfirmationData InResponseTo');
  if (data.getAttribute('Recipient') !== e.acsUrl) throw new MockEuError('RESPONSE_MISMATCH', 'SubjectConfirmationData Recipient');
  if (!after(data.getAttribute('NotOnOrAfter'), e.now.getTime() - e.skewMs)) {
    throw new MockEuError('RESPONSE_EXPIRED', 'SubjectConfirmationData NotOnOrAfter');
  }
}

function checkConditions(conditions: Element, e: AssertionExpectations): void {
  const now = e.now.getTime();
  const notBefore = conditions.getAttribute('NotBefore');
  if (notBefore === null || !(Date.parse(notBefore) <= now + e.skewMs)) throw new MockEuError('RESPONSE_EXPIRED', 'Conditions NotBefore');
  if (!after(conditions.getAttribute('NotOnOrAfter'), now - e.skewMs)) throw new MockEuError('RESPONSE_EXPIRED', 'Conditions NotOnOrAfter');
  const restrictions = childElements(conditions, NS.saml, 'AudienceRestriction');
  if (restrictions.length === 0) throw new MockEuError('RESPONSE_FORMAT', 'no AudienceRestriction (R-RSP-12)');
  // Every restriction must name us; the entityID, or the ACS URL as the MF 1.4 example shows.
  for (const r of restrictions) {
    const audiences = childElements(r, NS.saml, 'Audience').map((a) => strictText(a).trim());
    if (!audiences.includes(e.entityId) && !audiences.includes(e.acsUrl)) throw new MockEuError('RESPONSE_MISMATCH', 'Audience is not us');
  }
}

function checkedLoa(assertion: Element, requested: string): string {
  const statements = childElements(assertion, NS.saml, 'AuthnStatement');
  if (statements.length !== 1) throw new MockEuError('RESPONSE_FORMAT', 'exactly one AuthnStatement expected (R-RSP-04)');
  const context = onlyChild(statements[0]!, NS.saml, 'AuthnContext');
  const loa = strictText(onlyChild(context, NS.saml, 'AuthnContextClassRef')).trim();
  const reached = (NOTIFIED_LOAS as readonly string[]).indexOf(loa);
  if (reached < 0) throw new MockEuError('RESPONSE_FORMAT', 'AuthnContextClassRef is not a notified LoA');
  if (reached < (NOTIFIED_LOAS as readonly string[]).indexOf(requested)) throw new MockEuError('LOA_TOO_LOW', `${loa} < ${requested} (R-RSP-15)`);
  return loa;
}

function readAttributes(assertion: Element): ReceivedAttribute[] {
  const statements = childElements(assertion, NS.saml, 'AttributeStatement');
  if (statements.length !== 1) throw new MockEuError('RESPONSE_FORMAT', 'exactly one AttributeStatement expected (R-RSP-04)');
  return childElements(statements[0]!, NS.saml, 'Attribute').map((a) => ({
    friendlyName: a.getAttribute('FriendlyName') ?? '',
    name: a.getAttribute('Name') ?? '',
    values: childElements(a, NS.saml, 'AttributeValue').map((v) => strictText(v)),
  }));
}

function after(value: string | null, limit: number): boolean {
  if (value === null) return false;
  const t = Date.parse(value);
  return !Number.isNaN(t) && t > limit;
}
