/**
 * The mock country's signed eIDAS Connector (SP) metadata (R-MD, eidas-spec §8.5): entityID =
 * its own URL, SPType public in the metadata (so never in requests, R-MSG-25), NodeCountry,
 * signing (ECDSA P-256) and encryption (RSA-3072) certificates, the algorithms it reads, one
 * HTTP-POST ACS. Signed with the metadata key; re-signed once it is close to validUntil.
 */
import { randomBytes } from 'node:crypto';
import { certificateBase64 } from '../../saml/keys.ts';
import { DIGEST, ENC, NS, SIG } from '../../saml/namespaces.ts';
import { signXml } from '../../saml/sign.ts';
import type { MockKeys } from './keys.ts';
import { instant, xmlEscape } from './xml.ts';

export interface ConnectorMetadataOptions {
  entityId: string;
  acsUrl: string;
  country: string;
  spType: 'public' | 'private' | undefined;
  keys: MockKeys;
  validityMs: number;
  now: Date;
}

const BINDING_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
const URI_FORMAT = 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri';

/** What the mock decrypts: every profile algorithm, 1.2-era rsa-oaep-mgf1p included. */
const ENCRYPTION_METHODS = [ENC.AES256_GCM, ENC.AES128_GCM, ENC.RSA_OAEP, ENC.RSA_OAEP_MGF1P];

export async function buildConnectorMetadata(o: ConnectorMetadataOptions): Promise<{ xml: string; validUntil: Date }> {
  const validUntil = new Date(o.now.getTime() + o.validityMs);
  const cert = (which: 'message-signing' | 'encryption') => certificateBase64(o.keys[which].certificate);
  const spType = o.spType ? `<eidas:SPType>${xmlEscape(o.spType)}</eidas:SPType>` : '';
  const xml =
    `<md:EntityDescriptor xmlns:md="${NS.md}" xmlns:ds="${NS.ds}" xmlns:saml2="${NS.saml}"` +
    ` xmlns:mdattr="${NS.mdattr}" xmlns:alg="${NS.alg}" xmlns:eidas="${NS.eidas}"` +
    ` ID="_md${randomBytes(16).toString('hex')}" entityID="${xmlEscape(o.entityId)}" validUntil="${instant(validUntil)}">` +
    `<md:Extensions>${spType}` +
    `<mdattr:EntityAttributes>` +
    entityAttribute('http://eidas.europa.eu/entity-attributes/protocol-version', ['1.4', '1.3', '1.2']) +
    entityAttribute('http://eidas.europa.eu/entity-attributes/application-identifier', ['XE:MockEuCountry:1.0']) +
    `</mdattr:EntityAttributes>` +
    `<alg:DigestMethod Algorithm="${DIGEST.SHA256}"/>` +
    `<alg:SigningMethod Algorithm="${SIG.ECDSA_SHA256}" MinKeySize="256"/>` +
    `<alg:SigningMethod Algorithm="${SIG.RSA_PSS_SHA256}" MinKeySize="3072"/>` +
    `</md:Extensions>` +
    `<md:SPSSODescriptor AuthnRequestsSigned="true" WantAssertionsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
    `<md:Extensions><eidas:NodeCountry>${xmlEscape(o.country)}</eidas:NodeCountry></md:Extensions>` +
    keyDescriptor('signing', cert('message-signing'), []) +
    keyDescriptor('encryption', cert('encryption'), ENCRYPTION_METHODS) +
    `<md:NameIDFormat>${PERSISTENT}</md:NameIDFormat>` +
    `<md:AssertionConsumerService Binding="${BINDING_POST}" Location="${xmlEscape(o.acsUrl)}" index="0" isDefault="true"/>` +
    `</md:SPSSODescriptor>` +
    `<md:Organization><md:OrganizationName xml:lang="en">Mock EU country</md:OrganizationName>` +
    `<md:OrganizationDisplayName xml:lang="en">Mock EU country (development)</md:OrganizationDisplayName>` +
    `<md:OrganizationURL xml:lang="en">${xmlEscape(o.entityId)}</md:OrganizationURL></md:Organization>` +
    contact('support') +
    contact('technical') +
    `</md:EntityDescriptor>`;
  const key = o.keys['metadata-signing'];
  return { xml: await signXml(xml, { key: key.privateKey, certificate: key.certificate }), validUntil };
}

function entityAttribute(name: string, values: string[]): string {
  const v = values.map((x) => `<saml2:AttributeValue>${xmlEscape(x)}</saml2:AttributeValue>`).join('');
  return `<saml2:Attribute Name="${name}" NameFormat="${URI_FORMAT}">${v}</saml2:Attribute>`;
}

function keyDescriptor(use: 'signing' | 'encryption', certB64: string, methods: string[]): string {
  const m = methods.map((a) => `<md:EncryptionMethod Algorithm="${a}"/>`).join('');
  return (
    `<md:KeyDescriptor use="${use}"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certB64}` +
    `</ds:X509Certificate></ds:X509Data></ds:KeyInfo>${m}</md:KeyDescriptor>`
  );
}

function contact(type: 'support' | 'technical'): string {
  return `<md:ContactPerson contactType="${type}"><md:EmailAddress>mailto:${type}@mock-eu.invalid</md:EmailAddress></md:ContactPerson>`;
}
