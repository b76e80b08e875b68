/** SAML 2.0 and eIDAS identifiers used by the IdP front (R-MSG, R-RSP). */

export const STATUS = {
  SUCCESS: 'urn:oasis:names:tc:SAML:2.0:status:Success',
  REQUESTER: 'urn:oasis:names:tc:SAML:2.0:status:Requester',
  RESPONDER: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
  VERSION_MISMATCH: 'urn:oasis:names:tc:SAML:2.0:status:VersionMismatch',
  AUTHN_FAILED: 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed',
  INVALID_ATTR: 'urn:oasis:names:tc:SAML:2.0:status:InvalidAttrNameOrValue',
  INVALID_NAMEID_POLICY: 'urn:oasis:names:tc:SAML:2.0:status:InvalidNameIDPolicy',
  NO_AUTHN_CONTEXT: 'urn:oasis:names:tc:SAML:2.0:status:NoAuthnContext',
  NO_PASSIVE: 'urn:oasis:names:tc:SAML:2.0:status:NoPassive',
  REQUEST_DENIED: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied',
  REQUEST_UNSUPPORTED: 'urn:oasis:names:tc:SAML:2.0:status:RequestUnsupported',
  UNSUPPORTED_BINDING: 'urn:oasis:names:tc:SAML:2.0:status:UnsupportedBinding',
} as const;

export const NAMEID_FORMAT = {
  PERSISTENT: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  TRANSIENT: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
  UNSPECIFIED: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  ENTITY: 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity',
} as const;

/** R-MSG-19: the formats every node supports. */
export const SUPPORTED_NAMEID_FORMATS: readonly string[] = [
  NAMEID_FORMAT.PERSISTENT,
  NAMEID_FORMAT.TRANSIENT,
  NAMEID_FORMAT.UNSPECIFIED,
];

export const BINDING_URI = {
  POST: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
  REDIRECT: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
} as const;

export const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
export const ATTRNAME_FORMAT_URI = 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri';

/** R-MSG-23, lowest first. */
export const NOTIFIED_LOAS: readonly string[] = [
  'http://eidas.europa.eu/LoA/low',
  'http://eidas.europa.eu/LoA/substantial',
  'http://eidas.europa.eu/LoA/high',
];
export const NOTIFIED_LOA_PREFIX = 'http://eidas.europa.eu/LoA/';

/** R-MSG-12. */
export const CONSENT_URIS: readonly string[] = [
  'obtained',
  'prior',
  'current-implicit',
  'current-explicit',
  'unspecified',
  'unavailable',
  'inapplicable',
].map((c) => `urn:oasis:names:tc:SAML:2.0:consent:${c}`);

/** SAML binding §3.4.3 / §3.5.3 (R-MSG-29). */
export const MAX_RELAY_STATE_BYTES = 80;
/** The EU reference node's max.SAMLRequest.size (ATK-51), for the decoded XML. */
export const MAX_MESSAGE_BYTES = 131_072;
/** ProviderName / RequesterID cap (the EU reference node refuses RequesterID over 1024). */
export const MAX_DISPLAY_VALUE_LENGTH = 1024;
