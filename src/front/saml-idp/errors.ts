/**
 * The typed errors of the SAML IdP front (Proxy-Service side facing EU connectors). Every
 * refusal carries one reason code (attacks.md §0.2: tests assert the code, logs name it).
 * What a reason becomes on the wire (citizen page 400/413, or a signed error Response with
 * which StatusCode) is decided in exactly one place: wire.ts.
 */
import type { XmlReason } from '../../saml/errors.ts';
import type { ReplyTarget } from './types.ts';

export const IDP_REASONS = {
  // Binding level: nothing is authenticated yet.
  PARAM: 'protocol parameter repeated, not a string, or in the wrong place (ATK-52)',
  SIZE: 'message larger than the binding allows (ATK-51)',
  BINDING: 'the message is not a well-formed SAML binding message',
  RELAYSTATE: 'RelayState over 80 bytes (R-MSG-29, ATK-49)',
  REDIRECT_SIG: 'HTTP-Redirect query signature missing, malformed or not verified (ATK-50)',
  // Authentication of the requester.
  ISSUER: 'the issuer is not a known, valid connector (R-MSG-05, R-SEC-02, ATK-46)',
  ACS: 'the AssertionConsumerService is not one of the connector metadata (R-MSG-09, ATK-48)',
  REPLAY: 'this request ID was already received (R-MSG-01, R-SEC-05, ATK-38)',
  // Authenticated but not acceptable: answered with a signed error Response.
  VERSION: 'Version is not 2.0 (R-MSG-02)',
  DESTINATION: 'Destination is not our SSO endpoint (R-MSG-04, ATK-40)',
  TIME: 'IssueInstant outside the accepted window (R-MSG-03, ATK-42)',
  FORCE_AUTHN: 'ForceAuthn must be true (R-MSG-07)',
  IS_PASSIVE: 'passive authentication is not possible (R-MSG-08)',
  PROTOCOL_BINDING: 'responses are only sent by HTTP-POST (R-MSG-10)',
  CONSENT_VALUE: 'Consent is not a SAML consent URI (R-MSG-12)',
  SUBJECT: 'a requested Subject cannot be honoured',
  NAMEID_POLICY: 'NameIDPolicy format not supported (R-MSG-19)',
  LOA_SHAPE: 'RequestedAuthnContext not built as eIDAS requires (R-MSG-20..22, ATK-45)',
  LOA_UNAVAILABLE: 'no requested level of assurance can be delivered (R-MSG-24)',
  EXTENSIONS: 'Extensions missing or not of the eIDAS shape (R-MSG-13, R-MSG-14)',
  SPTYPE: 'SPType must be in the metadata or in the request, exactly once (R-MSG-25)',
  NODE_COUNTRY: 'NodeCountry never appears in a request (R-MSG-26)',
  REQUESTER_ID: 'ProviderName or RequesterID not acceptable (R-MSG-11, R-MSG-27)',
  ATTR_SHAPE: 'a requested attribute is malformed or repeated (R-MSG-14, R-ATT-01)',
  ATTR_UNKNOWN_REQUIRED: 'an attribute we do not provide is requested as required (R-MSG-17)',
  ATTR_MIXED: 'natural-person and legal-person attributes in one request (R-MSG-16)',
  ATTR_REPRESENTATIVE: 'representative attributes are never requested (R-MSG-18)',
  ATTR_LEGAL_PERSON: 'legal-person attributes are not supported yet',
  // Building our Response (OUT), and outcomes the flow reports.
  ATTR_REQUIRED_MISSING: 'a required attribute is not available (R-RSP-08)',
  OUT_ATTRIBUTE_VALUE: 'an attribute value does not fit the attribute profile (R-ATT, ATK-54)',
  OUT_XML_INVALID: 'a value cannot be carried in XML, or the built XML is not what was meant (ATK-53)',
  LOA_NOT_MET: 'the level reached does not satisfy the request (R-MSG-24, ATK-44)',
  CONSENT_REFUSED: 'the citizen did not consent (R-RSP-09, R-SEC-11)',
  AUTHN_CANCELLED: 'the citizen cancelled the login at FranceConnect',
  AUTHN_FAILED: 'the citizen could not be authenticated',
  PEER_GONE: 'the connector is no longer in the registry: nothing can be sent to it (R-SEC-02)',
  INTERNAL: 'internal error',
} as const;

export type IdpReason = keyof typeof IDP_REASONS;
export type Reason = IdpReason | XmlReason;

/** A refusal of the IdP front, named by its reason code. */
export class IdpError extends Error {
  override readonly name = 'IdpError';
  constructor(
    readonly reason: IdpReason,
    detail?: string,
  ) {
    super(detail ? `${reason}: ${detail}` : `${reason}: ${IDP_REASONS[reason]}`);
  }
}

export function refuseRequest(reason: IdpReason, detail?: string): never {
  throw new IdpError(reason, detail);
}

/**
 * A failure after the requester was authenticated and the ACS resolved from its metadata:
 * the cause (IdpError, XmlSecurityError or anything else) plus where an answer may go.
 */
export class AfterAuthentication extends Error {
  override readonly name = 'AfterAuthentication';
  constructor(
    readonly target: ReplyTarget,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : 'failure after authentication');
  }
}
