/**
 * The elements of our Response and Assertion (R-RSP-04..14, spec §8.2/§8.3), built with the DOM.
 * Times come from the caller's clock; IDs are fresh per message.
 */
import { NS } from '../../../saml/index.ts';
import { BEARER, NAMEID_FORMAT, STATUS } from '../constants.ts';
import type { SamlStatus } from '../types.ts';
import { declare, el, instant, newDocument } from './xml.ts';

export interface ResponseHeader {
  id: string;
  issueInstant: Date;
  inResponseTo: string;
  destination: string;
  issuer: string;
  /** SAML core §3.2.2 Consent: set on a success, where the citizen accepted on our consent page. */
  consent?: string;
}

/** `<saml2p:Response>` with Issuer and Status (R-RSP-05/06/07); the caller adds the assertion. */
export function responseDocument(header: ResponseHeader, status: SamlStatus): { doc: Document; response: Element } {
  const doc = newDocument(NS.samlp, 'Response');
  const response = doc.documentElement!;
  declare(response, NS.saml);
  response.setAttribute('ID', header.id);
  response.setAttribute('Version', '2.0');
  response.setAttribute('IssueInstant', instant(header.issueInstant));
  response.setAttribute('InResponseTo', header.inResponseTo);
  response.setAttribute('Destination', header.destination);
  if (header.consent) response.setAttribute('Consent', header.consent);
  response.appendChild(issuerElement(doc, header.issuer));
  response.appendChild(statusElement(doc, status));
  return { doc, response };
}

export function issuerElement(doc: Document, issuer: string): Element {
  return el(doc, NS.saml, 'Issuer', { Format: NAMEID_FORMAT.ENTITY }, [issuer]);
}

/** Top-level StatusCode, the second level nested in it, an optional StatusMessage (R-RSP-07). */
export function statusElement(doc: Document, status: SamlStatus): Element {
  const top = el(doc, NS.samlp, 'StatusCode', { Value: status.top });
  if (status.second) top.appendChild(el(doc, NS.samlp, 'StatusCode', { Value: status.second }));
  const children = [top];
  if (status.message) children.push(el(doc, NS.samlp, 'StatusMessage', {}, [status.message]));
  return el(doc, NS.samlp, 'Status', {}, children);
}

export const SUCCESS: SamlStatus = { top: STATUS.SUCCESS };

export interface AssertionFields {
  id: string;
  issueInstant: Date;
  notOnOrAfter: Date;
  issuer: string;
  nameId: { format: string; value: string };
  inResponseTo: string;
  recipient: string;
  audience: string;
  authnInstant: Date;
  loa: string;
}

/**
 * `<saml2:Assertion>` with Subject (NameID, one bearer SubjectConfirmation: InResponseTo,
 * Recipient, NotOnOrAfter, no NotBefore: R-RSP-10/11), Conditions (NotBefore, NotOnOrAfter,
 * Audience = the connector's entityID: R-RSP-12), one AuthnStatement (R-RSP-14). The namespaces
 * it uses are declared on it, so it stands alone once decrypted. The AttributeStatement is
 * appended by the caller.
 */
export function assertionElement(doc: Document, f: AssertionFields): Element {
  const assertion = el(doc, NS.saml, 'Assertion', { ID: f.id, Version: '2.0', IssueInstant: instant(f.issueInstant) });
  declare(assertion, NS.saml);
  declare(assertion, NS.xsi);
  declare(assertion, NS.eidasNatural);
  assertion.appendChild(issuerElement(doc, f.issuer));
  assertion.appendChild(subjectElement(doc, f));
  assertion.appendChild(
    el(doc, NS.saml, 'Conditions', { NotBefore: instant(f.issueInstant), NotOnOrAfter: instant(f.notOnOrAfter) }, [
      el(doc, NS.saml, 'AudienceRestriction', {}, [el(doc, NS.saml, 'Audience', {}, [f.audience])]),
    ]),
  );
  assertion.appendChild(
    el(doc, NS.saml, 'AuthnStatement', { AuthnInstant: instant(f.authnInstant) }, [
      el(doc, NS.saml, 'AuthnContext', {}, [el(doc, NS.saml, 'AuthnContextClassRef', {}, [f.loa])]),
    ]),
  );
  return assertion;
}

function subjectElement(doc: Document, f: AssertionFields): Element {
  const confirmationData = el(doc, NS.saml, 'SubjectConfirmationData', {
    InResponseTo: f.inResponseTo,
    NotOnOrAfter: instant(f.notOnOrAfter),
    Recipient: f.recipient,
  });
  return el(doc, NS.saml, 'Subject', {}, [
    el(doc, NS.saml, 'NameID', { Format: f.nameId.format }, [f.nameId.value]),
    el(doc, NS.saml, 'SubjectConfirmation', { Method: BEARER }, [confirmationData]),
  ]);
}
