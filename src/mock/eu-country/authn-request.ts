/**
 * The mock Connector's eIDAS AuthnRequest (R-MSG, eidas-spec §8.1): ForceAuthn, IsPassive false,
 * Destination, Issuer = metadata URL, Extensions with the minimum data set isRequired (and
 * SPType only when the metadata has none, R-MSG-25), NameIDPolicy persistent, notified LoA with
 * Comparison="minimum", Scoping/RequesterID of the demo service. Signed (enveloped, exc-c14n)
 * with the XML core, unless the binding signs the query string instead.
 */
import { randomBytes } from 'node:crypto';
import { NS } from '../../saml/namespaces.ts';
import { parseXml, serializeXml, MESSAGE_LIMITS } from '../../saml/parser.ts';
import { signElement } from '../../saml/sign.ts';
import type { MockKey } from './keys.ts';
import { instant, xmlEscape } from './xml.ts';

export const NOTIFIED_LOAS = [
  'http://eidas.europa.eu/LoA/low',
  'http://eidas.europa.eu/LoA/substantial',
  'http://eidas.europa.eu/LoA/high',
] as const;
export type NotifiedLoa = (typeof NOTIFIED_LOAS)[number];

const NATURAL = 'http://eidas.europa.eu/attributes/naturalperson/';
const URI_FORMAT = 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri';

/** The natural-person minimum data set (isRequired) and the optional attributes the demo asks for. */
export const REQUESTED_ATTRIBUTES: ReadonlyArray<{ friendlyName: string; name: string; required: boolean }> = [
  { friendlyName: 'PersonIdentifier', name: `${NATURAL}PersonIdentifier`, required: true },
  { friendlyName: 'FamilyName', name: `${NATURAL}CurrentFamilyName`, required: true },
  { friendlyName: 'FirstName', name: `${NATURAL}CurrentGivenName`, required: true },
  { friendlyName: 'DateOfBirth', name: `${NATURAL}DateOfBirth`, required: true },
  { friendlyName: 'BirthName', name: `${NATURAL}BirthName`, required: false },
  { friendlyName: 'PlaceOfBirth', name: `${NATURAL}PlaceOfBirth`, required: false },
  { friendlyName: 'Gender', name: `${NATURAL}Gender`, required: false },
];

export interface AuthnRequestOptions {
  issuer: string;
  destination: string;
  loa: NotifiedLoa;
  now: Date;
  /** Only when the Connector metadata carries no SPType. */
  spTypeInRequest?: 'public' | 'private';
  providerName: string;
  requesterId: string;
  /** Absent: the request is returned unsigned (HTTP-Redirect signs the query string). */
  signingKey?: MockKey;
}

export interface BuiltAuthnRequest {
  id: string;
  xml: string;
}

/** A fresh xsd:ID with 160 random bits (R-MSG-01). */
export function newRequestId(): string {
  return `_${randomBytes(20).toString('hex')}`;
}

export async function buildAuthnRequest(o: AuthnRequestOptions): Promise<BuiltAuthnRequest> {
  const id = newRequestId();
  const spType = o.spTypeInRequest ? `<eidas:SPType>${o.spTypeInRequest}</eidas:SPType>` : '';
  const attributes = REQUESTED_ATTRIBUTES.map(
    (a) =>
      `<eidas:RequestedAttribute Name="${a.name}" NameFormat="${URI_FORMAT}" FriendlyName="${a.friendlyName}"` +
      ` isRequired="${a.required}"/>`,
  ).join('');
  const xml =
    `<saml2p:AuthnRequest xmlns:saml2p="${NS.samlp}" xmlns:saml2="${NS.saml}" xmlns:eidas="${NS.eidas}"` +
    ` ID="${id}" Version="2.0" IssueInstant="${instant(o.now)}" Destination="${xmlEscape(o.destination)}"` +
    ` ForceAuthn="true" IsPassive="false" ProviderName="${xmlEscape(o.providerName)}">` +
    `<saml2:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">${xmlEscape(o.issuer)}</saml2:Issuer>` +
    `<saml2p:Extensions>${spType}<eidas:RequestedAttributes>${attributes}</eidas:RequestedAttributes></saml2p:Extensions>` +
    `<saml2p:NameIDPolicy Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" AllowCreate="true"/>` +
    `<saml2p:RequestedAuthnContext Comparison="minimum">` +
    `<saml2:AuthnContextClassRef>${o.loa}</saml2:AuthnContextClassRef></saml2p:RequestedAuthnContext>` +
    `<saml2p:Scoping><saml2p:RequesterID>${xmlEscape(o.requesterId)}</saml2p:RequesterID></saml2p:Scoping>` +
    `</saml2p:AuthnRequest>`;
  if (!o.signingKey) return { id, xml };
  // Parsed before signing, so that the signer sees the attributes exactly as a receiver will.
  const doc = parseXml(xml, MESSAGE_LIMITS);
  await signElement(doc.documentElement, { key: o.signingKey.privateKey, certificate: o.signingKey.certificate });
  return { id, xml: serializeXml(doc) };
}
