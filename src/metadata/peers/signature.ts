/**
 * The metadata signature, verified by a configured trust anchor: directly (the anchor's key
 * verifies it) or through the chain the signature's KeyInfo carries (chain.ts). The XML core's
 * verifyElement does the verification with the whole-document Reference allowed (EU metadata
 * uses URI=""), the peer's RSA minimum and legacy opt-ins (crypto.legacyPeers).
 */
import type { KeyObject } from 'node:crypto';
import { childElements, strictText } from '../../saml/dom.ts';
import { NS } from '../../saml/namespaces.ts';
import { verifyElement, type VerifiedElement } from '../../saml/verify.ts';
import { refuse, XmlSecurityError } from '../../saml/errors.ts';
import { checkedCertificateFrom, type CheckedCertificate } from './certificates.ts';
import { trustedSigners, type ChainPolicy } from './chain.ts';
import { refuseMetadata } from './errors.ts';

/** KeyInfo certificates read at most (a chain is a handful; more is an attack on our time). */
export const MAX_KEYINFO_CERTIFICATES = 8;

export interface SignaturePolicy extends ChainPolicy {
  allowLegacyRsaSha256: boolean;
}

export interface VerifiedSignature {
  verified: VerifiedElement;
  anchor: CheckedCertificate;
  /** Empty when the anchor signed directly; else signer first, up to below the anchor. */
  chain: CheckedCertificate[];
}

export async function verifyMetadataSignature(
  root: Element,
  anchors: CheckedCertificate[],
  policy: SignaturePolicy,
): Promise<VerifiedSignature> {
  const offered = keyInfoCertificates(root);
  const { signers, problem } = trustedSigners(offered, anchors, policy);
  const trusted: KeyObject[] = [...anchors.map((a) => a.key), ...signers.map((s) => s.path[0]!.key)];
  let verified: VerifiedElement;
  try {
    verified = await verifyElement(root, {
      trusted,
      allowWholeDocumentReference: true,
      minRsaBits: policy.minRsaBits,
      allowLegacyRsaSha256: policy.allowLegacyRsaSha256,
    });
  } catch (err) {
    // A chain that reached an anchor but broke a rule says more than "untrusted key".
    if (err instanceof XmlSecurityError && err.reason === 'KEY_UNTRUSTED' && problem) {
      refuseMetadata('CHAIN_INVALID', problem, 'signature');
    }
    throw err;
  }
  const direct = anchors.find((a) => a.key === verified.key);
  if (direct) return { verified, anchor: direct, chain: [] };
  const signer = signers.find((s) => s.path[0]!.key === verified.key);
  if (!signer) return refuse('KEY_UNTRUSTED', 'the verifying key is not one we offered');
  return { verified, anchor: signer.anchor, chain: signer.path };
}

/** ds:Signature/ds:KeyInfo/ds:X509Data/ds:X509Certificate of the root's own signature only. */
function keyInfoCertificates(root: Element): CheckedCertificate[] {
  const signatures = childElements(root, NS.ds, 'Signature');
  if (signatures.length !== 1) return []; // verifyElement refuses it with the precise reason
  const out: CheckedCertificate[] = [];
  for (const keyInfo of childElements(signatures[0]!, NS.ds, 'KeyInfo')) {
    for (const data of childElements(keyInfo, NS.ds, 'X509Data')) {
      for (const el of childElements(data, NS.ds, 'X509Certificate')) {
        if (out.length === MAX_KEYINFO_CERTIFICATES) refuse('XML_LIMIT', `more than ${MAX_KEYINFO_CERTIFICATES} certificates in KeyInfo`);
        out.push(checkedCertificateFrom(base64Der(strictText(el))));
      }
    }
  }
  return out;
}

export function base64Der(text: string): Buffer {
  const compact = text.replace(/[\s]+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    refuse('KEY_INVALID', 'X509Certificate is not base64');
  }
  return Buffer.from(compact, 'base64');
}
