/**
 * Signing our metadata (R-MD-14, R-CRY-03): enveloped, by ID, with the dedicated metadata
 * signing key (KeyRing.active('metadata'), never a message key). KeyInfo carries the signing
 * certificate, then the CA certificates of the configured chain file, up to the trust anchor.
 */
import { readFileSync } from 'node:fs';
import type { X509Certificate } from 'node:crypto';
import { onlyChild } from '../../saml/dom.ts';
import { certificateBase64, loadCertificate } from '../../saml/keys.ts';
import { NS } from '../../saml/namespaces.ts';
import { signElement } from '../../saml/sign.ts';
import { MetadataPublishError } from './errors.ts';
import type { PublishedKey } from './types.ts';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM chain file, in file order (read once, at start). */
export function loadSigningChain(file: string): X509Certificate[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new MetadataPublishError('CHAIN_UNREADABLE', `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new MetadataPublishError('CHAIN_UNREADABLE', `${file} holds no PEM certificate`);
  return blocks.map((pem, i) => {
    try {
      return loadCertificate(pem);
    } catch {
      throw new MetadataPublishError('CHAIN_UNREADABLE', `${file}: certificate ${i + 1} cannot be parsed`);
    }
  });
}

/**
 * The chain to publish after `signer`: a copy of the signer itself is dropped; each
 * certificate must have issued (and signed) the one before it, or nothing is published.
 */
export function chainAbove(signer: X509Certificate, chain: readonly X509Certificate[]): X509Certificate[] {
  const above = chain.filter((c) => c.fingerprint256 !== signer.fingerprint256);
  let child = signer;
  for (const issuer of above) {
    if (!child.checkIssued(issuer) || !child.verify(issuer.publicKey)) {
      throw new MetadataPublishError(
        'CHAIN_MISMATCH',
        `${issuer.subject.replace(/\n/g, ', ')} did not issue ${child.subject.replace(/\n/g, ', ')}`,
      );
    }
    child = issuer;
  }
  return above;
}

/** Signs the EntityDescriptor in place; ds:Signature becomes its first child (schema order). */
export async function signEntity(root: Element, key: PublishedKey, chain: readonly X509Certificate[]): Promise<void> {
  if (key.use !== 'metadata') throw new MetadataPublishError('KEY_UNUSABLE', `key ${key.id} is a ${key.use} key, not a metadata signing key`);
  if (!key.privateKey) throw new MetadataPublishError('NO_KEY', `metadata signing key ${key.id} has no private key loaded`);
  const above = chainAbove(key.certificate, chain);
  const signature = await signElement(root, { key: key.privateKey, certificate: key.certificate });
  const x509Data = onlyChild(onlyChild(signature, NS.ds, 'KeyInfo'), NS.ds, 'X509Data');
  for (const cert of above) {
    const el = root.ownerDocument.createElementNS(NS.ds, 'ds:X509Certificate');
    el.appendChild(root.ownerDocument.createTextNode(certificateBase64(cert)));
    x509Data.appendChild(el);
  }
}
