/**
 * A stand-in for the node's Proxy-Service in tests, built with the project's XML core: its signed
 * metadata and the eIDAS Response it would send (assertion signed, then encrypted, then the
 * Response signed), until src/front/saml-idp exists. Test keys from test/fixtures/keys/dsig.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { encryptElement, type EncryptOptions } from '../../../src/saml/encrypt.ts';
import { certificateBase64 } from '../../../src/saml/keys.ts';
import { NS } from '../../../src/saml/namespaces.ts';
import { MESSAGE_LIMITS, parseXml, serializeXml } from '../../../src/saml/parser.ts';
import { signElement, signXml } from '../../../src/saml/sign.ts';
import { xmlEscape } from '../../../src/mock/eu-country/xml.ts';

const KEYS = path.resolve(import.meta.dirname, '../../fixtures/keys/dsig');

export interface TestKeyPair {
  key: KeyObject;
  cert: X509Certificate;
  keyFile: string;
  certFile: string;
}

export function dsigKey(name: 'p256' | 'p384' | 'rsa-3072' | 'evil-p256'): TestKeyPair {
  const keyFile = path.join(KEYS, `${name}.key.pem`);
  const certFile = path.join(KEYS, `${name}.cert.pem`);
  return { key: createPrivateKey(readFileSync(keyFile)), cert: new X509Certificate(readFileSync(certFile)), keyFile, certFile };
}

/** The fake node's keys: P-256 messages, P-384 metadata (the trust anchor), RSA-3072 for RSA-PSS. */
export const NODE_KEYS = { signing: dsigKey('p256'), metadata: dsigKey('p384'), rsa: dsigKey('rsa-3072') };

export const BINDING = {
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
};

export async function proxyServiceMetadata(o: {
  entityId: string;
  ssoUrl: string;
  signingCerts?: X509Certificate[];
  validUntil: Date;
  metadataKey?: TestKeyPair;
}): Promise<string> {
  const certs = (o.signingCerts ?? [NODE_KEYS.signing.cert])
    .map((c) => `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certificateBase64(c)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`)
    .join('');
  const xml =
    `<md:EntityDescriptor xmlns:md="${NS.md}" xmlns:ds="${NS.ds}" xmlns:eidas="${NS.eidas}" ID="_fake-node-md"` +
    ` entityID="${xmlEscape(o.entityId)}" validUntil="${o.validUntil.toISOString()}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
    `<md:Extensions><eidas:NodeCountry>FR</eidas:NodeCountry></md:Extensions>${certs}` +
    `<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>` +
    `<md:SingleSignOnService Binding="${BINDING.post}" Location="${xmlEscape(o.ssoUrl)}"/>` +
    `<md:SingleSignOnService Binding="${BINDING.redirect}" Location="${xmlEscape(o.ssoUrl)}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`;
  const signer = o.metadataKey ?? NODE_KEYS.metadata;
  return signXml(xml, { key: signer.key, certificate: signer.cert });
}

export interface NodeAttribute {
  friendlyName: string;
  name: string;
  type: string;
  value: string;
}

export const NATURAL = 'http://eidas.europa.eu/attributes/naturalperson/';
export const MARIE: NodeAttribute[] = [
  { friendlyName: 'PersonIdentifier', name: `${NATURAL}PersonIdentifier`, type: 'PersonIdentifierType', value: 'FR/XE/7f3c9a1e0b2d4f6a8c0e2b4d6f8a0c2e' },
  { friendlyName: 'FamilyName', name: `${NATURAL}CurrentFamilyName`, type: 'CurrentFamilyNameType', value: "D'Artagnan-Lefèvre" },
  { friendlyName: 'FirstName', name: `${NATURAL}CurrentGivenName`, type: 'CurrentGivenNameType', value: 'Marie Claire' },
  { friendlyName: 'DateOfBirth', name: `${NATURAL}DateOfBirth`, type: 'DateOfBirthType', value: '1980-06-24' },
];

export interface NodeResponseOptions {
  issuer: string;
  destination: string;
  inResponseTo: string;
  audience: string;
  now: Date;
  validitySeconds?: number;
  loa?: string;
  attributes?: NodeAttribute[];
  /** Error Response: no assertion. */
  status?: { code: string; subCode?: string; message?: string };
  signing?: { key: KeyObject; cert: X509Certificate; algorithm?: string };
  /** Required for a success Response. */
  encryption?: EncryptOptions;
  signAssertion?: boolean;
}

const STATUS = 'urn:oasis:names:tc:SAML:2.0:status:';

/** The Response as the node sends it: assertion signed, encrypted, then the Response signed. */
export async function buildNodeResponse(o: NodeResponseOptions): Promise<string> {
  const signing = o.signing ?? { key: NODE_KEYS.signing.key, cert: NODE_KEYS.signing.cert };
  const now = o.now.toISOString();
  const until = new Date(o.now.getTime() + (o.validitySeconds ?? 300) * 1000).toISOString();
  const status = o.status ?? { code: `${STATUS}Success` };
  const sub = status.subCode ? `<saml2p:StatusCode Value="${status.subCode}"/>` : '';
  const message = status.message ? `<saml2p:StatusMessage>${xmlEscape(status.message)}</saml2p:StatusMessage>` : '';
  const issuer = `<saml2:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">${xmlEscape(o.issuer)}</saml2:Issuer>`;
  const assertion = o.status ? '' : assertionXml(o, issuer, now, until);
  const xml =
    `<saml2p:Response xmlns:saml2p="${NS.samlp}" xmlns:saml2="${NS.saml}" ID="_resp-${Date.now()}-${Math.random().toString(16).slice(2)}"` +
    ` Version="2.0" IssueInstant="${now}" InResponseTo="${xmlEscape(o.inResponseTo)}" Destination="${xmlEscape(o.destination)}">` +
    `${issuer}<saml2p:Status><saml2p:StatusCode Value="${status.code}">${sub}</saml2p:StatusCode>${message}</saml2p:Status>` +
    `${assertion}</saml2p:Response>`;
  let doc = parseXml(xml, MESSAGE_LIMITS);
  const assertionEl = doc.documentElement.getElementsByTagNameNS(NS.saml, 'Assertion').item(0);
  if (assertionEl) {
    if (o.signAssertion !== false) await signElement(assertionEl, { key: signing.key, certificate: signing.cert, algorithm: signing.algorithm });
    if (!o.encryption) throw new Error('a success Response needs encryption options');
    await encryptElement(assertionEl, o.encryption);
    doc = parseXml(serializeXml(doc), MESSAGE_LIMITS); // attributes as a receiver parses them
  }
  await signElement(doc.documentElement, { key: signing.key, certificate: signing.cert, algorithm: signing.algorithm });
  return serializeXml(doc);
}

function assertionXml(o: NodeResponseOptions, issuer: string, now: string, until: string): string {
  const attributes = (o.attributes ?? MARIE)
    .map(
      (a) =>
        `<saml2:Attribute FriendlyName="${a.friendlyName}" Name="${a.name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">` +
        `<saml2:AttributeValue xsi:type="eidas-natural:${a.type}">${xmlEscape(a.value)}</saml2:AttributeValue></saml2:Attribute>`,
    )
    .join('');
  const personIdentifier = (o.attributes ?? MARIE).find((a) => a.friendlyName === 'PersonIdentifier')?.value ?? 'FR/XE/unknown';
  return (
    `<saml2:Assertion xmlns:xsi="${NS.xsi}" xmlns:eidas-natural="${NS.eidasNatural}" ID="_assert-${Math.random().toString(16).slice(2)}" Version="2.0" IssueInstant="${now}">` +
    `${issuer}<saml2:Subject><saml2:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${xmlEscape(personIdentifier)}</saml2:NameID>` +
    `<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<saml2:SubjectConfirmationData InResponseTo="${xmlEscape(o.inResponseTo)}" NotOnOrAfter="${until}" Recipient="${xmlEscape(o.destination)}"/>` +
    `</saml2:SubjectConfirmation></saml2:Subject>` +
    `<saml2:Conditions NotBefore="${now}" NotOnOrAfter="${until}"><saml2:AudienceRestriction><saml2:Audience>${xmlEscape(o.audience)}</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>` +
    `<saml2:AuthnStatement AuthnInstant="${now}"><saml2:AuthnContext><saml2:AuthnContextClassRef>${o.loa ?? 'http://eidas.europa.eu/LoA/substantial'}</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement>` +
    `<saml2:AttributeStatement>${attributes}</saml2:AttributeStatement></saml2:Assertion>`
  );
}
