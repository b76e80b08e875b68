/**
 * The role descriptors, children in the schema's order (RoleDescriptorType, SSODescriptorType,
 * then IDPSSODescriptorType / SPSSODescriptorType). No SingleLogout, ArtifactResolution or
 * ManageNameID service: eIDAS is sign-on only (R-MD-04, R-SEC-10).
 */
import type { MetadataDom } from './dom-builder.ts';
import { addRoleExtensions } from './entity.ts';
import { addEncryptionKeys, addSigningKeys } from './key-descriptors.ts';
import { ATTRNAME_FORMAT_URI, attributeDefinition } from './attributes.ts';
import type { MetadataKeySource, PublisherConfig } from './types.ts';
import { acsUrl, ssoUrl } from './urls.ts';
import { BINDING, NAME_ID_FORMATS, PROTOCOL_SAML2 } from './vocabulary.ts';

/** Proxy-Service: md:IDPSSODescriptor (R-MD-03, R-MD-05, R-MD-09, R-MD-11). Signing keys only. */
export function addIdpDescriptor(dom: MetadataDom, config: PublisherConfig, keys: MetadataKeySource): void {
  const idp = dom.add(dom.root, 'md', 'IDPSSODescriptor', {
    WantAuthnRequestsSigned: 'true',
    protocolSupportEnumeration: PROTOCOL_SAML2,
  });
  addRoleExtensions(dom, idp, config);
  addSigningKeys(dom, idp, keys.published('signing'));
  addNameIdFormats(dom, idp);
  const location = ssoUrl(config);
  dom.add(idp, 'md', 'SingleSignOnService', { Binding: BINDING.POST, Location: location });
  dom.add(idp, 'md', 'SingleSignOnService', { Binding: BINDING.REDIRECT, Location: location });
  for (const friendlyName of config.metadata.proxyService.attributes) {
    const { name } = attributeDefinition(friendlyName);
    dom.add(idp, 'saml2', 'Attribute', { Name: name, NameFormat: ATTRNAME_FORMAT_URI, FriendlyName: friendlyName });
  }
}

/** Connector: md:SPSSODescriptor (R-MD-03, R-MD-05, R-MD-06, R-MD-11). Signing and encryption keys. */
export function addSpDescriptor(dom: MetadataDom, config: PublisherConfig, keys: MetadataKeySource): void {
  const sp = dom.add(dom.root, 'md', 'SPSSODescriptor', {
    AuthnRequestsSigned: 'true',
    WantAssertionsSigned: 'false',
    protocolSupportEnumeration: PROTOCOL_SAML2,
  });
  addRoleExtensions(dom, sp, config);
  addSigningKeys(dom, sp, keys.published('signing'));
  addEncryptionKeys(dom, sp, keys.published('encryption'));
  addNameIdFormats(dom, sp);
  dom.add(sp, 'md', 'AssertionConsumerService', { Binding: BINDING.POST, Location: acsUrl(config), index: '0', isDefault: 'true' });
}

function addNameIdFormats(dom: MetadataDom, descriptor: Element): void {
  for (const format of NAME_ID_FORMATS) dom.add(descriptor, 'md', 'NameIDFormat', {}, format);
}
