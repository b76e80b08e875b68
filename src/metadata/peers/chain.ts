/**
 * Signers the metadata's own KeyInfo offers, trusted only through a path to a configured
 * trust anchor (R-MD-14, R-MD-16). A certificate found in the document is never trusted by
 * itself: it becomes a candidate key for the signature only when each certificate of the path
 * is signed by the next one and the last one is signed by an anchor.
 *
 * Checked for each certificate of the path (the anchor excepted, as RFC 5280 §6.1 treats the
 * trust anchor as an input, not as part of the path; its expiry is reported in the status):
 *  - issuer and subject chain (`checkIssued`: names, key identifiers, keyCertSign usage);
 *  - its signature verifies with the issuer's key (the issuer's key checked first: EC point
 *    check, RSA ≥ the peer's minimum, EC on an R-CRY-04 curve);
 *  - its validity dates contain the clock's now;
 *  - it is signed with RSASSA-PSS or ECDSA on SHA-256/384/512 (R-CRY-10); PKCS#1 v1.5 only
 *    for a peer named in crypto.legacyPeers with `rsa-sha256`;
 *  - an intermediate (a certificate that issues another one in the path) is a CA (basicConstraints).
 * Not checked: revocation (CRL/OCSP), path length and name constraints, certificate policies.
 *
 * The certificates come from the unverified document: whether one issued another is checked at
 * most once per pair (ATK-26/47), so a KeyInfo of mutually issuing certificates costs at most
 * offered × (offered + anchors) signature checks, not one per path through them.
 */
import { checkKeyStrength } from '../../saml/keys.ts';
import { XmlSecurityError } from '../../saml/errors.ts';
import { certificateSignature, certificateSignatureAllowed, type CheckedCertificate } from './certificates.ts';

/** At most this many certificates between the signer and the anchor (signer included). */
export const MAX_PATH_LENGTH = 5;

export interface ChainPolicy {
  now: Date;
  minRsaBits: number;
  allowPkcs1Certificates: boolean;
}

export interface TrustedSigner {
  /** Signer first, then each issuer up to (not including) the anchor. */
  path: CheckedCertificate[];
  anchor: CheckedCertificate;
}

export interface ChainResult {
  signers: TrustedSigner[];
  /** Why a path that links to an anchor was still refused (the first such reason). */
  problem?: string;
}

/** Every KeyInfo certificate that has a valid path to an anchor; anchors themselves are skipped. */
export function trustedSigners(offered: CheckedCertificate[], anchors: CheckedCertificate[], policy: ChainPolicy): ChainResult {
  const isAnchor = (c: CheckedCertificate) => anchors.some((a) => a.certificate.raw.equals(c.certificate.raw));
  const candidates = offered.filter((c) => !isAnchor(c));
  const result: ChainResult = { signers: [] };
  const issues = memoisedIssues();
  for (const leaf of candidates) {
    const found = pathFrom(leaf, { candidates, anchors, policy, issues }, [leaf], result);
    if (found) result.signers.push(found);
  }
  return result;
}

interface Search {
  candidates: CheckedCertificate[];
  anchors: CheckedCertificate[];
  policy: ChainPolicy;
  issues: (issuer: CheckedCertificate, cert: CheckedCertificate) => boolean;
}

function pathFrom(cert: CheckedCertificate, search: Search, path: CheckedCertificate[], result: ChainResult): TrustedSigner | undefined {
  const { candidates, anchors, policy, issues } = search;
  for (const anchor of anchors) {
    if (!issues(anchor, cert)) continue;
    const problem = pathProblem(path, anchor, policy);
    if (!problem) return { path, anchor };
    result.problem ??= problem;
  }
  if (path.length >= MAX_PATH_LENGTH) return undefined;
  for (const issuer of candidates) {
    if (path.includes(issuer) || !issues(issuer, cert)) continue;
    const found = pathFrom(issuer, search, [...path, issuer], result);
    if (found) return found;
  }
  return undefined;
}

/** `issuer` names and signed `cert` (keys are the point-checked ones of CheckedCertificate), decided once per pair. */
function memoisedIssues(): Search['issues'] {
  const decided = new Map<CheckedCertificate, Map<CheckedCertificate, boolean>>();
  return (issuer, cert) => {
    let byCert = decided.get(issuer);
    if (!byCert) decided.set(issuer, (byCert = new Map()));
    let answer = byCert.get(cert);
    if (answer === undefined) {
      answer = cert.certificate.checkIssued(issuer.certificate) && cert.certificate.verify(issuer.key);
      byCert.set(cert, answer);
    }
    return answer;
  };
}

/** The first policy failure of a linked path, or undefined when the whole path is acceptable. */
function pathProblem(path: CheckedCertificate[], anchor: CheckedCertificate, policy: ChainPolicy): string | undefined {
  for (let i = 0; i < path.length; i++) {
    const cert = path[i]!;
    const issuer = path[i + 1] ?? anchor;
    if (policy.now < cert.notBefore) return `${cert.subject} is not valid before ${cert.notBefore.toISOString()}`;
    if (policy.now > cert.notAfter) return `${cert.subject} expired ${cert.notAfter.toISOString()}`;
    const sig = certificateSignature(cert.certificate);
    if (!certificateSignatureAllowed(sig, policy.allowPkcs1Certificates)) {
      return `${cert.subject} is signed with ${sig.name}/${sig.hash ?? '?'}, not RSASSA-PSS or ECDSA with SHA-2 (R-CRY-10)`;
    }
    const weak = keyProblem(issuer, policy.minRsaBits);
    if (weak) return weak;
    if (i > 0 && !cert.certificate.ca) return `${cert.subject} issues a certificate but is not a CA`;
  }
  return undefined;
}

function keyProblem(issuer: CheckedCertificate, minRsaBits: number): string | undefined {
  try {
    checkKeyStrength(issuer.key, { minRsaBits });
    return undefined;
  } catch (err) {
    if (err instanceof XmlSecurityError) return `key of ${issuer.subject}: ${err.message}`;
    throw err;
  }
}
