/**
 * The parts both entities share, in the order of the SAML metadata schema
 * (EntityDescriptorType: ds:Signature?, md:Extensions?, role descriptor, md:Organization?,
 * md:ContactPerson*): root attributes, entity-level extensions (R-MD-07, R-MD-08, R-MD-10,
 * R-MD-12), organisation and contacts (R-MD-06).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../util/paths.ts';
import type { MetadataDom } from './dom-builder.ts';
import type { PublisherConfig, Role } from './types.ts';
import { homeUrl } from './urls.ts';
import {
  DIGEST_METHODS,
  EC_KEY_SIZES,
  EC_SIGNING_METHODS,
  ENTITY_ATTRIBUTE,
  MAX_RSA_KEY_SIZE,
  RSA_SIGNING_METHODS,
} from './vocabulary.ts';
import { ATTRNAME_FORMAT_URI } from './attributes.ts';

export interface EntityHeader {
  entityId: string;
  id: string;
  validUntil: Date;
  cacheDurationSeconds: number;
}

export function setEntityHeader(dom: MetadataDom, header: EntityHeader): void {
  dom.root.setAttribute('entityID', header.entityId);
  dom.root.setAttribute('ID', header.id);
  dom.root.setAttribute('validUntil', xsDateTime(header.validUntil));
  dom.root.setAttribute('cacheDuration', `PT${header.cacheDurationSeconds}S`);
}

/** md:Extensions of the EntityDescriptor. */
export function addEntityExtensions(dom: MetadataDom, role: Role, config: PublisherConfig): void {
  const extensions = dom.add(dom.root, 'md', 'Extensions');
  const attributes = dom.add(extensions, 'mdattr', 'EntityAttributes');
  addEntityAttribute(dom, attributes, ENTITY_ATTRIBUTE.PROTOCOL_VERSION, config.metadata.protocolVersions);
  addEntityAttribute(dom, attributes, ENTITY_ATTRIBUTE.APPLICATION_IDENTIFIER, [applicationIdentifier(config)]);
  if (role === 'proxy-service') {
    addEntityAttribute(dom, attributes, ENTITY_ATTRIBUTE.ASSURANCE_CERTIFICATION, config.metadata.proxyService.loas);
  } else {
    dom.add(extensions, 'eidas', 'SPType', {}, config.metadata.connector.spType);
  }
  for (const algorithm of DIGEST_METHODS) dom.add(extensions, 'alg', 'DigestMethod', { Algorithm: algorithm });
  const rsa = { MinKeySize: String(config.crypto.minRsaBits), MaxKeySize: String(Math.max(MAX_RSA_KEY_SIZE, config.crypto.minRsaBits)) };
  for (const algorithm of RSA_SIGNING_METHODS) dom.add(extensions, 'alg', 'SigningMethod', { Algorithm: algorithm, ...rsa });
  const ec = { MinKeySize: String(EC_KEY_SIZES.min), MaxKeySize: String(EC_KEY_SIZES.max) };
  for (const algorithm of EC_SIGNING_METHODS) dom.add(extensions, 'alg', 'SigningMethod', { Algorithm: algorithm, ...ec });
}

function addEntityAttribute(dom: MetadataDom, parent: Element, name: string, values: readonly string[]): void {
  const attribute = dom.add(parent, 'saml2', 'Attribute', { Name: name, NameFormat: ATTRNAME_FORMAT_URI });
  for (const value of values) dom.add(attribute, 'saml2', 'AttributeValue', {}, value);
}

/** md:NodeCountry inside the role descriptor's md:Extensions (R-MD-11). */
export function addRoleExtensions(dom: MetadataDom, descriptor: Element, config: PublisherConfig): void {
  dom.add(dom.add(descriptor, 'md', 'Extensions'), 'eidas', 'NodeCountry', {}, config.metadata.nodeCountry);
}

/** md:Organization: all names, then all display names, then all URLs (schema order). */
export function addOrganization(dom: MetadataDom, config: PublisherConfig): void {
  const entries = config.metadata.organization;
  const organization = dom.add(dom.root, 'md', 'Organization');
  for (const o of entries) dom.addLocalized(organization, 'OrganizationName', o.lang, o.name);
  for (const o of entries) dom.addLocalized(organization, 'OrganizationDisplayName', o.lang, o.displayName);
  for (const o of entries) dom.addLocalized(organization, 'OrganizationURL', o.lang, o.url ?? homeUrl(config));
}

/** md:ContactPerson support, then technical; children in ContactType order. */
export function addContacts(dom: MetadataDom, config: PublisherConfig): void {
  for (const type of ['support', 'technical'] as const) {
    const c = config.metadata.contacts[type];
    const person = dom.add(dom.root, 'md', 'ContactPerson', { contactType: type });
    if (c.company) dom.add(person, 'md', 'Company', {}, c.company);
    if (c.givenName) dom.add(person, 'md', 'GivenName', {}, c.givenName);
    if (c.surName) dom.add(person, 'md', 'SurName', {}, c.surName);
    dom.add(person, 'md', 'EmailAddress', {}, `mailto:${c.email}`);
    if (c.telephone) dom.add(person, 'md', 'TelephoneNumber', {}, c.telephone);
  }
}

let packageVersion: string | undefined;

/** R-MD-08: `FR:PontEidas:<package version>` unless the configuration names another. */
export function applicationIdentifier(config: PublisherConfig): string {
  if (config.metadata.applicationIdentifier) return config.metadata.applicationIdentifier;
  packageVersion ??= (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  return `FR:PontEidas:${packageVersion}`;
}

/** UTC xs:dateTime to the second, e.g. 2026-01-02T00:00:00Z. */
export function xsDateTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
