/**
 * Reading our Responses back as a connector would, with the XML core: verify the Response
 * signature with our certificate, decrypt the EncryptedAssertion with the connector's key,
 * verify the assertion signature, and walk the verified elements only.
 */
import type { KeyObject } from 'node:crypto';
import { decryptElement, verifyElement, verifyXml } from '../../../../src/saml/index.ts';
import type { OutgoingAttribute, ValidatedRequest } from '../../../../src/front/saml-idp/index.ts';
import { ACS_DE, DE, KEYS, NS, kid, kids, type TestKey } from './world.ts';

export const LOA_SUBSTANTIAL = 'http://eidas.europa.eu/LoA/substantial';
export const PERSON_ID = 'FR/DE/7f3c9a1e0b2d4f6a8c0e2b4d6f8a0c2e';

export function validatedDe(overrides: Partial<ValidatedRequest> = {}): ValidatedRequest {
  return {
    peerEntityId: DE,
    acsUrl: ACS_DE,
    requestId: '_req-de-5f0c2b7a9e1d4c3b8a6f0e2d4c6b8a01',
    relayState: 'opaque',
    binding: 'HTTP-POST',
    country: 'DE',
    issueInstant: '2026-03-02T09:59:30.000Z',
    loa: { comparison: 'minimum', requested: [LOA_SUBSTANTIAL], acceptable: [LOA_SUBSTANTIAL, 'http://eidas.europa.eu/LoA/high'] },
    attributes: [
      ['PersonIdentifier', 'PersonIdentifier', true],
      ['CurrentFamilyName', 'FamilyName', true],
      ['CurrentGivenName', 'FirstName', true],
      ['DateOfBirth', 'DateOfBirth', true],
      ['PlaceOfBirth', 'PlaceOfBirth', false],
      ['Gender', 'Gender', false],
    ].map(([suffix, friendlyName, isRequired]) => ({
      name: `http://eidas.europa.eu/attributes/naturalperson/${suffix}`,
      friendlyName: friendlyName as string,
      isRequired: isRequired as boolean,
    })),
    spType: 'public',
    nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    providerName: 'Bürgerservice Beispielstadt (test)',
    ...overrides,
  };
}

export function attributesFor(overrides: Record<string, string[]> = {}): OutgoingAttribute[] {
  const base: Record<string, string[]> = {
    PersonIdentifier: [PERSON_ID],
    FamilyName: ['Dupont'],
    FirstName: ['Marie Claire'],
    DateOfBirth: ['1980-06-24'],
    PlaceOfBirth: ['Paris 7e Arrondissement - 75107, FRANCE (FR)'],
    Gender: ['Female'],
    ...overrides,
  };
  return Object.entries(base).map(([name, values]) => ({ name, values }));
}

export interface ReadBack {
  response: Element;
  assertion: Element;
  responseAlgorithm: string;
  assertionAlgorithm: string;
}

/** Verify (our cert), decrypt (connector key), verify the assertion: as a strict connector. */
export async function readBack(xml: string, decryptionKey: KeyObject, signer: TestKey = KEYS.ours): Promise<ReadBack> {
  const verified = await verifyXml(xml, { trusted: [signer.certificate] });
  const response = verified.element;
  const encrypted = kid(response, NS.saml, 'EncryptedAssertion');
  const assertion = await decryptElement(encrypted, { keys: [decryptionKey], allowRsaOaepMgf1p: true });
  const verifiedAssertion = await verifyElement(assertion, { trusted: [signer.certificate] });
  return {
    response,
    assertion: verifiedAssertion.element,
    responseAlgorithm: verified.signatureAlgorithm,
    assertionAlgorithm: verifiedAssertion.signatureAlgorithm,
  };
}

/** FriendlyName → values, and the xsi:type (namespace URI + local name) of each value. */
export function attributesOf(assertion: Element): Array<{ friendlyName: string; name: string; values: string[]; types: string[] }> {
  const statement = kid(assertion, NS.saml, 'AttributeStatement');
  return kids(statement, NS.saml, 'Attribute').map((a) => {
    const values = kids(a, NS.saml, 'AttributeValue');
    return {
      friendlyName: a.getAttribute('FriendlyName') ?? '',
      name: a.getAttribute('Name') ?? '',
      values: values.map((v) => v.textContent ?? ''),
      types: values.map((v) => {
        const [prefix, local] = (v.getAttributeNS(NS.xsi, 'type') ?? '').split(':');
        return `{${v.lookupNamespaceURI(prefix ?? null)}}${local}`;
      }),
    };
  });
}
