/**
 * eIDAS-sized messages for the benchmark: an AuthnRequest as a foreign connector sends
 * it, and the Response + Assertion a proxy service returns, with the attributes of the
 * minimum data set. Built with fresh IDs on every call, as a real node would.
 */
import { randomBytes } from 'node:crypto';

const id = (): string => '_' + randomBytes(16).toString('hex');
const now = (): string => new Date().toISOString();

export function authnRequestXml(): string {
  return `<saml2p:AuthnRequest xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:eidas="http://eidas.europa.eu/saml-extensions" ID="${id()}" Version="2.0" IssueInstant="${now()}" Destination="https://eidas.example.fr/proxy-service/sso" ForceAuthn="true" IsPassive="false" ProviderName="Demo service" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" AssertionConsumerServiceURL="https://connector.example.eu/acs"><saml2:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">https://connector.example.eu/metadata</saml2:Issuer><saml2p:Extensions><eidas:SPType>public</eidas:SPType><eidas:RequestedAttributes>${[
    'PersonIdentifier',
    'CurrentFamilyName',
    'CurrentGivenName',
    'DateOfBirth',
    'PlaceOfBirth',
    'BirthName',
    'Gender',
    'CurrentAddress',
  ]
    .map(
      (n, i) =>
        `<eidas:RequestedAttribute FriendlyName="${n}" Name="http://eidas.europa.eu/attributes/naturalperson/${n}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri" isRequired="${i < 4}"/>`,
    )
    .join(
      '',
    )}</eidas:RequestedAttributes></saml2p:Extensions><saml2p:NameIDPolicy AllowCreate="true" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"/><saml2p:RequestedAuthnContext Comparison="minimum"><saml2:AuthnContextClassRef>http://eidas.europa.eu/LoA/substantial</saml2:AuthnContextClassRef></saml2p:RequestedAuthnContext></saml2p:AuthnRequest>`;
}

function attribute(name: string, type: string, value: string): string {
  return `<saml2:Attribute FriendlyName="${name}" Name="http://eidas.europa.eu/attributes/naturalperson/${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"><saml2:AttributeValue xsi:type="eidas-natural:${type}">${value}</saml2:AttributeValue></saml2:Attribute>`;
}

export function responseXml(inResponseTo: string): string {
  const issued = now();
  const later = new Date(Date.now() + 5 * 60_000).toISOString();
  const issuer = `<saml2:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">https://eidas.example.fr/proxy-service/metadata</saml2:Issuer>`;
  const attributes = [
    attribute('PersonIdentifier', 'PersonIdentifierType', 'FR/DE/3f1c2a9b0e7d4c6a8b5e2f1d0c9b8a7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a'),
    attribute('FamilyName', 'CurrentFamilyNameType', 'Dupont-Lefèvre'),
    attribute('FirstName', 'CurrentGivenNameType', 'Angela Claire Louise'),
    attribute('DateOfBirth', 'DateOfBirthType', '1962-08-24'),
    attribute('BirthName', 'BirthNameType', 'Angela Claire Louise Dubois'),
    attribute('PlaceOfBirth', 'PlaceOfBirthType', 'Paris 7e Arrondissement - 75107, FRANCE (FR)'),
    attribute('Gender', 'GenderType', 'Female'),
  ].join('');
  return `<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:eidas-natural="http://eidas.europa.eu/attributes/naturalperson" ID="${id()}" Version="2.0" IssueInstant="${issued}" Destination="https://connector.example.eu/acs" InResponseTo="${inResponseTo}">${issuer}<saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></saml2p:Status><saml2:Assertion ID="${id()}" Version="2.0" IssueInstant="${issued}">${issuer}<saml2:Subject><saml2:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" NameQualifier="https://eidas.example.fr/proxy-service/metadata" SPNameQualifier="https://connector.example.eu/metadata">FR/DE/3f1c2a9b0e7d4c6a8b5e2f1d0c9b8a7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a</saml2:NameID><saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml2:SubjectConfirmationData InResponseTo="${inResponseTo}" NotOnOrAfter="${later}" Recipient="https://connector.example.eu/acs"/></saml2:SubjectConfirmation></saml2:Subject><saml2:Conditions NotBefore="${issued}" NotOnOrAfter="${later}"><saml2:AudienceRestriction><saml2:Audience>https://connector.example.eu/metadata</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions><saml2:AuthnStatement AuthnInstant="${issued}"><saml2:AuthnContext><saml2:AuthnContextClassRef>http://eidas.europa.eu/LoA/substantial</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement><saml2:AttributeStatement>${attributes}</saml2:AttributeStatement></saml2:Assertion></saml2p:Response>`;
}
