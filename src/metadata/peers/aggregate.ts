/**
 * Parse-only reading of an md:EntitiesDescriptor aggregate (e.g. a federation's list of proxy
 * services). NO TRUST IS CLAIMED: nothing here checks a signature, so what it returns may be
 * shown to an operator (endpoints, certificates, LoAs to configure peers from) but is never
 * handed to the registry. A peer is trusted only through its own signed metadata (verify.ts).
 */
import { childElements, isElement } from '../../saml/dom.ts';
import { NS } from '../../saml/namespaces.ts';
import { METADATA_LIMITS, parseXml } from '../../saml/parser.ts';
import { refuse, XmlSecurityError } from '../../saml/errors.ts';
import { describeEntity, roleDescriptor } from './describe.ts';
import { documentFingerprint } from './verify.ts';
import { PEER_ROLES, type PeerDescriptor } from './types.ts';

export interface UnverifiedAggregate {
  /** Always false: the aggregate's signature, if any, was not checked. */
  trusted: false;
  name: string;
  validUntil: Date | undefined;
  fingerprint: string;
  entities: PeerDescriptor[];
  /** Entities that could not be read, with the reason (the others are still listed). */
  unreadable: { entityId: string; reason: string }[];
}

export function parseMetadataAggregate(bytes: Uint8Array): UnverifiedAggregate {
  const root = parseXml(bytes, METADATA_LIMITS).documentElement;
  if (!isElement(root, NS.md, 'EntitiesDescriptor')) refuse('SCHEMA', 'not an md:EntitiesDescriptor');
  const fingerprint = documentFingerprint(bytes);
  const validUntil = optionalDate(root.getAttribute('validUntil'));
  const out: UnverifiedAggregate = {
    trusted: false,
    name: root.getAttribute('Name') ?? '',
    validUntil,
    fingerprint,
    entities: [],
    unreadable: [],
  };
  for (const entity of childElements(root, NS.md, 'EntityDescriptor')) {
    const entityId = entity.getAttribute('entityID') ?? '';
    try {
      out.entities.push(...describeAll(entity, optionalDate(entity.getAttribute('validUntil')) ?? validUntil, fingerprint));
    } catch (err) {
      if (!(err instanceof XmlSecurityError)) throw err;
      out.unreadable.push({ entityId, reason: err.message }); // reported, never trusted either way
    }
  }
  return out;
}

function describeAll(entity: Element, validUntil: Date | undefined, fingerprint: string): PeerDescriptor[] {
  return PEER_ROLES.flatMap((role) => {
    const roleEl = roleDescriptor(entity, role);
    if (!roleEl) return [];
    const facts = { role, country: '', validUntil: validUntil ?? new Date(Number.NaN), fingerprint };
    return [describeEntity(entity, roleEl, facts).descriptor];
  });
}

function optionalDate(text: string | null): Date | undefined {
  if (!text) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
