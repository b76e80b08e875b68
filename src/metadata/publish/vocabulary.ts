/** The fixed vocabulary of our metadata: namespaces, bindings, NameID formats, entity attributes. */
import { DIGEST, ENC, NS, SIG } from '../../saml/namespaces.ts';

/** Prefix → namespace of every element the builders write; all declared once on the root. */
export const PREFIXES = {
  md: NS.md,
  ds: NS.ds,
  saml2: NS.saml,
  mdattr: NS.mdattr,
  alg: NS.alg,
  eidas: NS.eidas,
  xenc11: NS.xenc11,
} as const;

export type Prefix = keyof typeof PREFIXES;

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export const PROTOCOL_SAML2 = 'urn:oasis:names:tc:SAML:2.0:protocol';

export const BINDING = {
  POST: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
  REDIRECT: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
} as const;

/** R-MD-06: the formats both roles accept (eIDAS requests persistent, transient or unspecified). */
export const NAME_ID_FORMATS = [
  'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
  'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
] as const;

/** R-MD-08 / R-MD-10 entity attribute names. */
export const ENTITY_ATTRIBUTE = {
  PROTOCOL_VERSION: 'http://eidas.europa.eu/entity-attributes/protocol-version',
  APPLICATION_IDENTIFIER: 'http://eidas.europa.eu/entity-attributes/application-identifier',
  ASSURANCE_CERTIFICATION: 'urn:oasis:names:tc:SAML:attribute:assurance-certification',
} as const;

/** R-MD-07 / R-CRY-02: the digests we accept, strongest last as in the EU node's list. */
export const DIGEST_METHODS = [DIGEST.SHA256, DIGEST.SHA384, DIGEST.SHA512] as const;

/** Largest RSA key we publish as supported (our key types: 3072 and 4096 bits). */
export const MAX_RSA_KEY_SIZE = 4096;
/** R-CRY-04: EC curves from 256 bits (P-256, brainpoolP256r1) to 521 (P-521). */
export const EC_KEY_SIZES = { min: 256, max: 521 } as const;

/** R-MD-07 / R-CRY-03: RSASSA-PSS and ECDSA only, never PKCS#1 v1.5. */
export const RSA_SIGNING_METHODS = [SIG.RSA_PSS_SHA256, SIG.RSA_PSS_SHA384, SIG.RSA_PSS_SHA512] as const;
export const EC_SIGNING_METHODS = [SIG.ECDSA_SHA256, SIG.ECDSA_SHA384, SIG.ECDSA_SHA512] as const;

/** R-CRY-05: what a peer may encrypt the content with, preferred first. */
export const DATA_ENCRYPTION_METHODS = [ENC.AES256_GCM, ENC.AES128_GCM] as const;
/** R-CRY-08: key wraps after ECDH-ES, preferred first. */
export const KEY_WRAP_METHODS = [ENC.KW_AES256, ENC.KW_AES128] as const;
