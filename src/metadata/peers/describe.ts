/**
 * md:EntityDescriptor → PeerDescriptor. Reads only from the element it is given (the verified
 * one, or an entity of a parse-only aggregate), by namespace and local name, child by child
 * (dom.ts): never a document-wide search. Certificates are imported once, EC points checked.
 */
import { childElements, optionalChild, strictText } from '../../saml/dom.ts';
import { NS } from '../../saml/namespaces.ts';
import { checkedCertificateFrom, type CheckedCertificate } from './certificates.ts';
import { base64Der } from './signature.ts';
import type { Endpoint, IndexedEndpoint, PeerDescriptor, PeerRole } from './types.ts';

export const ENTITY_ATTRIBUTES = {
  protocolVersion: 'http://eidas.europa.eu/entity-attributes/protocol-version',
  assuranceCertification: 'urn:oasis:names:tc:SAML:attribute:assurance-certification',
} as const;

export const ROLE_ELEMENT: Record<PeerRole, string> = {
  'proxy-service': 'IDPSSODescriptor',
  connector: 'SPSSODescriptor',
};

export interface RoleKeys {
  signing: CheckedCertificate[];
  encryption: CheckedCertificate[];
  encryptionMethods: string[];
}

export interface DescribedEntity {
  descriptor: PeerDescriptor;
  keys: RoleKeys;
  /** eidas:NodeCountry of the role descriptor, when present. */
  nodeCountry: string | undefined;
}

/** The one role descriptor of `role` in `entity`, or undefined (several: SCHEMA). */
export function roleDescriptor(entity: Element, role: PeerRole): Element | undefined {
  return optionalChild(entity, NS.md, ROLE_ELEMENT[role]);
}

export function describeEntity(
  entity: Element,
  roleEl: Element,
  facts: { role: PeerRole; country: string; validUntil: Date; fingerprint: string },
): DescribedEntity {
  const keys = roleKeys(roleEl);
  const nodeCountry = nodeCountryOf(roleEl);
  const extensions = [entity, roleEl].map((e) => optionalChild(e, NS.md, 'Extensions')).filter((e): e is Element => !!e);
  const algorithms = (name: string) => extensions.flatMap((x) => childElements(x, NS.alg, name)).map((e) => e.getAttribute('Algorithm') ?? '');
  const spType = extensions.flatMap((x) => childElements(x, NS.eidas, 'SPType')).map(strictText)[0];
  const descriptor: PeerDescriptor = {
    entityId: entity.getAttribute('entityID') ?? '',
    role: facts.role,
    country: nodeCountry ?? facts.country,
    signingCertificates: keys.signing.map((c) => c.certificate),
    signingKeys: keys.signing.map((c) => c.key),
    encryptionCertificates: keys.encryption.map((c) => c.certificate),
    encryptionMethods: keys.encryptionMethods,
    signingMethods: algorithms('SigningMethod').filter(Boolean),
    digestMethods: algorithms('DigestMethod').filter(Boolean),
    ssoServices: childElements(roleEl, NS.md, 'SingleSignOnService').map(endpoint),
    assertionConsumerServices: childElements(roleEl, NS.md, 'AssertionConsumerService').map(indexedEndpoint),
    loas: entityAttribute(entity, ENTITY_ATTRIBUTES.assuranceCertification),
    nameIdFormats: childElements(roleEl, NS.md, 'NameIDFormat').map((e) => strictText(e).trim()),
    supportedAttributes: childElements(roleEl, NS.saml, 'Attribute').map((e) => (e.getAttribute('Name') ?? '').trim()),
    protocolVersions: entityAttribute(entity, ENTITY_ATTRIBUTES.protocolVersion).flatMap((v) => v.split(';')).map((v) => v.trim()).filter(Boolean),
    validUntil: facts.validUntil,
    fingerprint: facts.fingerprint,
    ...(spType !== undefined && { spType: spType.trim() }),
  };
  return { descriptor, keys, nodeCountry };
}

/** KeyDescriptor use="signing" | "encryption" | absent (both, per SAML metadata §2.4.1.1). */
function roleKeys(roleEl: Element): RoleKeys {
  const keys: RoleKeys = { signing: [], encryption: [], encryptionMethods: [] };
  for (const kd of childElements(roleEl, NS.md, 'KeyDescriptor')) {
    const use = kd.getAttribute('use') ?? '';
    const certs = childElements(kd, NS.ds, 'KeyInfo')
      .flatMap((ki) => childElements(ki, NS.ds, 'X509Data'))
      .flatMap((d) => childElements(d, NS.ds, 'X509Certificate'))
      .map((el) => checkedCertificateFrom(base64Der(strictText(el))));
    if (use === 'signing' || use === '') keys.signing.push(...certs);
    if (use === 'encryption' || use === '') {
      keys.encryption.push(...certs);
      const methods = childElements(kd, NS.md, 'EncryptionMethod').map((m) => m.getAttribute('Algorithm') ?? '');
      for (const m of methods) if (m && !keys.encryptionMethods.includes(m)) keys.encryptionMethods.push(m);
    }
  }
  return keys;
}

function nodeCountryOf(roleEl: Element): string | undefined {
  const ext = optionalChild(roleEl, NS.md, 'Extensions');
  const el = ext ? optionalChild(ext, NS.eidas, 'NodeCountry') : undefined;
  return el ? strictText(el).trim() : undefined;
}

/** Values of one mdattr:EntityAttributes attribute of the EntityDescriptor's own Extensions. */
function entityAttribute(entity: Element, name: string): string[] {
  const ext = optionalChild(entity, NS.md, 'Extensions');
  if (!ext) return [];
  return childElements(ext, NS.mdattr, 'EntityAttributes')
    .flatMap((ea) => childElements(ea, NS.saml, 'Attribute'))
    .filter((a) => a.getAttribute('Name') === name)
    .flatMap((a) => childElements(a, NS.saml, 'AttributeValue'))
    .map((v) => strictText(v).trim())
    .filter(Boolean);
}

function endpoint(el: Element): Endpoint {
  return { binding: el.getAttribute('Binding') ?? '', location: el.getAttribute('Location') ?? '' };
}

function indexedEndpoint(el: Element): IndexedEndpoint {
  const out: IndexedEndpoint = endpoint(el);
  const index = el.getAttribute('index');
  if (index !== null && /^\d+$/.test(index)) out.index = Number(index);
  const isDefault = el.getAttribute('isDefault');
  if (isDefault === 'true' || isDefault === '1') out.isDefault = true;
  return out;
}
