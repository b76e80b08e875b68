/** XML namespaces and algorithm identifiers used by the XML security core. */
export const NS = {
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  ds11: 'http://www.w3.org/2009/xmldsig11#',
  xenc: 'http://www.w3.org/2001/04/xmlenc#',
  xenc11: 'http://www.w3.org/2009/xmlenc11#',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  md: 'urn:oasis:names:tc:SAML:2.0:metadata',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xs: 'http://www.w3.org/2001/XMLSchema',
  eidas: 'http://eidas.europa.eu/saml-extensions',
  eidasNatural: 'http://eidas.europa.eu/attributes/naturalperson',
  eidasLegal: 'http://eidas.europa.eu/attributes/legalperson',
  alg: 'urn:oasis:names:tc:SAML:metadata:algsupport',
  mdattr: 'urn:oasis:names:tc:SAML:metadata:attribute',
  ec: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  xmlns: 'http://www.w3.org/2000/xmlns/',
} as const;

export const C14N_EXCLUSIVE = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const TRANSFORM_ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

export const SIG = {
  RSA_PSS_SHA256: 'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1',
  RSA_PSS_SHA384: 'http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1',
  RSA_PSS_SHA512: 'http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1',
  ECDSA_SHA256: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  ECDSA_SHA384: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384',
  ECDSA_SHA512: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512',
  /** RSA PKCS#1 v1.5: forbidden by R-CRY-03; only a per-call legacy opt-in accepts it. */
  RSA_SHA256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
} as const;

export const DIGEST = {
  SHA256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  SHA384: 'http://www.w3.org/2001/04/xmldsig-more#sha384',
  SHA512: 'http://www.w3.org/2001/04/xmlenc#sha512',
} as const;

export const ENC = {
  AES128_GCM: 'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  AES192_GCM: 'http://www.w3.org/2009/xmlenc11#aes192-gcm',
  AES256_GCM: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  RSA_OAEP: 'http://www.w3.org/2009/xmlenc11#rsa-oaep',
  RSA_OAEP_MGF1P: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
  MGF1_SHA256: 'http://www.w3.org/2009/xmlenc11#mgf1sha256',
  MGF1_SHA384: 'http://www.w3.org/2009/xmlenc11#mgf1sha384',
  MGF1_SHA512: 'http://www.w3.org/2009/xmlenc11#mgf1sha512',
  ECDH_ES: 'http://www.w3.org/2009/xmlenc11#ECDH-ES',
  CONCAT_KDF: 'http://www.w3.org/2009/xmlenc11#ConcatKDF',
  KW_AES128: 'http://www.w3.org/2001/04/xmlenc#kw-aes128',
  KW_AES256: 'http://www.w3.org/2001/04/xmlenc#kw-aes256',
  TYPE_ELEMENT: 'http://www.w3.org/2001/04/xmlenc#Element',
  SHA1: 'http://www.w3.org/2000/09/xmldsig#sha1',
} as const;
