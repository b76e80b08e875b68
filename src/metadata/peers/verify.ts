/**
 * A peer's metadata document, checked in this order (R-MD-01..05, R-MD-14..16, R-CRY-03/04,
 * ATK-47); nothing is stored or used before every step passed:
 *  1. parse with METADATA_LIMITS, one md:EntityDescriptor;
 *  2. signature by a trust anchor, directly or through the KeyInfo chain (signature.ts);
 *  3. validUntil present and in the future;
 *  4. entityID equal to the URL the metadata was fetched from (the peer's metadata URL);
 *  5. the role descriptor of the peer's role (IDPSSODescriptor for a proxy service,
 *     SPSSODescriptor for a connector), NodeCountry equal to the peer's country when present;
 *  6. role certificates: RSA ≥ the peer's minimum (3072, or 2048 for a legacy peer), EC on an
 *     R-CRY-04 curve, at least one signing certificate, and an encryption one for a connector.
 */
import { createHash } from 'node:crypto';
import { isElement } from '../../saml/dom.ts';
import { NS } from '../../saml/namespaces.ts';
import { METADATA_LIMITS, parseXml } from '../../saml/parser.ts';
import { checkKeyStrength } from '../../saml/keys.ts';
import { refuse, XmlSecurityError } from '../../saml/errors.ts';
import type { CheckedCertificate } from './certificates.ts';
import { describeEntity, roleDescriptor, ROLE_ELEMENT, type DescribedEntity, type RoleKeys } from './describe.ts';
import { inStage, refuseMetadata } from './errors.ts';
import { verifyMetadataSignature } from './signature.ts';
import type { PeerDescriptor, PeerRole } from './types.ts';

/** What a peer is trusted for: from the configuration or `pont peers add`. */
export interface PeerTrust {
  /** = its metadata URL (R-MD-02). */
  entityId: string;
  role: PeerRole;
  country: string;
  anchors: CheckedCertificate[];
  /** From crypto-policy.ts verifyPolicyFor (crypto.legacyPeers). */
  policy: { minRsaBits: number; allowLegacyRsaSha256: boolean };
}

export interface VerifiedPeerMetadata {
  descriptor: PeerDescriptor;
  keys: RoleKeys;
  anchor: CheckedCertificate;
  /** Empty when the anchor signed directly. */
  chain: CheckedCertificate[];
}

export function documentFingerprint(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function verifyPeerMetadata(bytes: Uint8Array, trust: PeerTrust, now: Date): Promise<VerifiedPeerMetadata> {
  const root = await inStage('parse', () => parseXml(bytes, METADATA_LIMITS).documentElement);
  const rootName = root.localName;
  if (!isElement(root, NS.md, 'EntityDescriptor')) {
    refuseMetadata('NOT_AN_ENTITY', `root element is ${rootName}, not md:EntityDescriptor`, 'parse');
  }
  const signature = await inStage('signature', () =>
    verifyMetadataSignature(root, trust.anchors, {
      now,
      minRsaBits: trust.policy.minRsaBits,
      allowLegacyRsaSha256: trust.policy.allowLegacyRsaSha256,
      allowPkcs1Certificates: trust.policy.allowLegacyRsaSha256,
    }),
  );
  const entity = signature.verified.element;
  const validUntil = checkValidUntil(entity, now);
  const entityId = entity.getAttribute('entityID') ?? '';
  if (entityId !== trust.entityId) {
    refuseMetadata('ENTITY_ID_MISMATCH', `entityID ${entityId.slice(0, 200)} fetched from ${trust.entityId}`, 'content');
  }
  const described = await inStage('content', () => describeRole(entity, trust, validUntil, documentFingerprint(bytes)));
  return { descriptor: described.descriptor, keys: described.keys, anchor: signature.anchor, chain: signature.chain };
}

function describeRole(entity: Element, trust: PeerTrust, validUntil: Date, fingerprint: string): DescribedEntity {
  const roleEl = roleDescriptor(entity, trust.role);
  if (!roleEl) {
    refuseMetadata('ROLE_MISMATCH', `no md:${ROLE_ELEMENT[trust.role]} for a ${trust.role} peer (R-MD-03)`, 'content');
  }
  const described = describeEntity(entity, roleEl, { role: trust.role, country: trust.country, validUntil, fingerprint });
  if (described.nodeCountry !== undefined && described.nodeCountry !== trust.country) {
    refuseMetadata('COUNTRY_MISMATCH', `NodeCountry ${described.nodeCountry.slice(0, 10)}, peer added for ${trust.country}`, 'content');
  }
  checkRoleKeys(described.keys, trust);
  return described;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** R-MD-01: validUntil is required here (cacheDuration alone is not enough) and in the future. */
export function checkValidUntil(entity: Element, now: Date): Date {
  const text = entity.getAttribute('validUntil') ?? '';
  if (text === '') refuseMetadata('METADATA_EXPIRED', 'no validUntil (R-MD-01)', 'content');
  const at = DATE_TIME.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) refuseMetadata('METADATA_EXPIRED', `validUntil ${text.slice(0, 40)} is not a dateTime with a time zone`, 'content');
  if (at.getTime() <= now.getTime()) {
    refuseMetadata('METADATA_EXPIRED', `validUntil ${at.toISOString()} is not after now (${now.toISOString()})`, 'content');
  }
  return at;
}

/** R-CRY-04 on every role certificate; R-MD-05: signing keys, and an encryption key for connectors. */
function checkRoleKeys(keys: RoleKeys, trust: PeerTrust): void {
  if (keys.signing.length === 0) refuse('SCHEMA', 'no signing certificate in the role descriptor (R-MD-05)');
  if (trust.role === 'connector' && keys.encryption.length === 0) {
    refuse('SCHEMA', 'no encryption certificate in the connector descriptor (R-MD-05)');
  }
  const policy = { minRsaBits: trust.policy.minRsaBits };
  for (const [use, certs] of [['signing', keys.signing], ['encryption', keys.encryption]] as const) {
    for (const c of certs) {
      try {
        checkKeyStrength(c.key, policy);
      } catch (err) {
        if (!(err instanceof XmlSecurityError)) throw err;
        refuse(err.reason, `${use} certificate ${c.subject}: ${err.message.replace(`${err.reason}: `, '')}`);
      }
    }
  }
}
