/** The XML security core's public API (see the contract): re-exports only. */
export { XmlSecurityError, refuse, XML_REASONS, type XmlReason } from './errors.ts';
export { NS, SIG, DIGEST, ENC, C14N_EXCLUSIVE, TRANSFORM_ENVELOPED } from './namespaces.ts';
export { parseXml, serializeXml, MESSAGE_LIMITS, METADATA_LIMITS, type ParseLimits } from './parser.ts';
export { childElements, onlyChild, optionalChild, elementChildren, strictText, isElement } from './dom.ts';
export {
  loadCertificate,
  loadPrivateKey,
  toPublicKey,
  checkKeyStrength,
  certificateBase64,
  type KeyPolicy,
} from './keys.ts';
export {
  signatureAlgorithm,
  defaultSignatureAlgorithm,
  digestAlgorithm,
  type SignatureAlgorithm,
} from './algorithms.ts';
export { signElement, signXml, type SignOptions } from './sign.ts';
export { verifyElement, verifyXml, type VerifyOptions, type VerifiedElement } from './verify.ts';
export { encryptElement, type EncryptOptions } from './encrypt.ts';
export { decryptElement, type DecryptOptions } from './decrypt.ts';
