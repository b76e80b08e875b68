/**
 * Certificates found in peers' metadata and the operator's trust anchors, made safe to use.
 *
 * Node 20 aborts the whole process when `asymmetricKeyDetails` is read on an EC public key
 * that is the point at infinity (see src/saml/key-agreement.ts). So no certificate key from a
 * peer is used as it comes out of X509Certificate: an EC key is exported (which throws, rather
 * than aborts, on such a point), then re-imported through importSpki, which accepts only a
 * well-formed point on an R-CRY-04 curve and lets createPublicKey refuse off-curve points.
 * Only the re-imported KeyObject is ever handed on (checkKeyStrength, verify, callers).
 */
import 'reflect-metadata'; // @peculiar/x509 needs the Reflect metadata API: imported first
import * as x509 from '@peculiar/x509';
import { X509Certificate, type KeyObject } from 'node:crypto';
import { importSpki } from '../../saml/key-agreement.ts';
import { XmlSecurityError, refuse } from '../../saml/errors.ts';
import { loadCertificate } from '../../saml/keys.ts';
import type { CertificateSummary } from './types.ts';

/** The certificate's public key, checked as above; KEY_INVALID when it is not usable. */
export function safePublicKey(cert: X509Certificate): KeyObject {
  const key = cert.publicKey;
  if (key.asymmetricKeyType !== 'ec') return key;
  let spki: Buffer;
  try {
    spki = key.export({ format: 'der', type: 'spki' });
  } catch {
    return refuse('KEY_INVALID', `EC key of ${subjectOf(cert)} is not a valid point`);
  }
  try {
    return importSpki(spki);
  } catch (err) {
    if (err instanceof XmlSecurityError) {
      return refuse('KEY_INVALID', `EC key of ${subjectOf(cert)} is not a valid point on an eIDAS curve (R-CRY-04)`);
    }
    throw err;
  }
}

/** A certificate with its checked key, imported once. */
export interface CheckedCertificate {
  certificate: X509Certificate;
  key: KeyObject;
  subject: string;
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
}

export function checkedCertificate(cert: X509Certificate): CheckedCertificate {
  return {
    certificate: cert,
    key: safePublicKey(cert),
    subject: subjectOf(cert),
    fingerprint: cert.fingerprint256,
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
  };
}

/** From DER or PEM bytes. */
export function checkedCertificateFrom(bytes: string | Buffer): CheckedCertificate {
  return checkedCertificate(loadCertificate(bytes));
}

/** `CN=x, O=y` on one line, for messages and status (never personal data: these are node certificates). */
export function subjectOf(cert: X509Certificate): string {
  return cert.subject.split('\n').filter(Boolean).join(', ').slice(0, 200);
}

export function summary(c: CheckedCertificate, use: CertificateSummary['use']): CertificateSummary {
  return { use, subject: c.subject, fingerprint: c.fingerprint, notAfter: c.notAfter };
}

export interface CertificateSignature {
  /** 'RSA-PSS', 'ECDSA', 'RSASSA-PKCS1-v1_5', or what the DER names. */
  name: string;
  hash: string | undefined;
}

/** The algorithm the certificate's issuer signed it with (node:crypto of Node 20 does not say). */
export function certificateSignature(cert: X509Certificate): CertificateSignature {
  let alg: { name?: unknown; hash?: unknown };
  try {
    alg = new x509.X509Certificate(cert.raw).signatureAlgorithm as { name?: unknown; hash?: unknown };
  } catch {
    return refuse('KEY_INVALID', `cannot read the signature algorithm of ${subjectOf(cert)}`);
  }
  const hash = alg.hash && typeof alg.hash === 'object' ? (alg.hash as { name?: unknown }).name : alg.hash;
  return { name: String(alg.name ?? 'unknown'), hash: typeof hash === 'string' ? hash : undefined };
}

/** R-CRY-10: RSASSA-PSS or ECDSA with SHA-256/384/512; PKCS#1 v1.5 only when `allowPkcs1`. */
export function certificateSignatureAllowed(sig: CertificateSignature, allowPkcs1: boolean): boolean {
  const strongHash = sig.hash === 'SHA-256' || sig.hash === 'SHA-384' || sig.hash === 'SHA-512';
  if (!strongHash) return false;
  return sig.name === 'RSA-PSS' || sig.name === 'ECDSA' || (allowPkcs1 && sig.name === 'RSASSA-PKCS1-v1_5');
}
