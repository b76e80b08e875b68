/** What our two metadata documents say (R-MD-01…14), read back with the node's own parser. */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMetadataPublisher, type Role } from '../../../src/metadata/publish/index.ts';
import { DIGEST, ENC, NS, SIG } from '../../../src/saml/namespaces.ts';
import { elementChildren } from '../../../src/saml/dom.ts';
import { PROJECT_ROOT } from '../../../src/util/paths.ts';
import type { FakeKeyRing } from './fake-key-ring.ts';
import { fakeKey } from './fake-key-ring.ts';
import { BASE, T0, der, kids, only, publishedCertificates, ringOf, rootOf, standardKeys, testConfig, type TestKeys } from './support.ts';

let keys: TestKeys;
beforeAll(async () => {
  keys = await standardKeys();
});

async function documentOf(role: Role, ring: FakeKeyRing = ringOf(keys), config = testConfig()) {
  const publisher = createMetadataPublisher({ keyRing: ring, config, clock: () => new Date(T0) });
  const doc = await publisher.document(role);
  return { ...doc, root: rootOf(doc.xml) };
}

const values = (attribute: Element) => kids(attribute, 'AttributeValue', NS.saml).map((v) => v.textContent);

function entityAttributes(root: Element): Record<string, (string | null)[]> {
  const container = only(only(root, 'Extensions'), 'EntityAttributes', NS.mdattr);
  return Object.fromEntries(kids(container, 'Attribute', NS.saml).map((a) => [a.getAttribute('Name'), values(a)]));
}

describe('both entities', () => {
  it.each<Role>(['proxy-service', 'connector'])('R-MD-01/02 %s: entityID = its metadata URL under publicBaseUrl, validUntil = now + 24 h, cacheDuration', async (role) => {
    const { root, entityId, validUntil, resignAt } = await documentOf(role);
    expect(root.namespaceURI).toBe(NS.md);
    expect(root.localName).toBe('EntityDescriptor');
    expect(root.getAttribute('entityID')).toBe(`${BASE}/${role}/metadata`);
    expect(entityId).toBe(`${BASE}/${role}/metadata`);
    expect(root.getAttribute('validUntil')).toBe('2026-03-02T08:00:00Z');
    expect(validUntil.toISOString()).toBe('2026-03-02T08:00:00.000Z');
    expect(resignAt.toISOString()).toBe('2026-03-02T02:00:00.000Z');
    expect(root.getAttribute('cacheDuration')).toBe('PT64800S');
    expect(root.getAttribute('ID')).toMatch(/^_[0-9a-f]{40}$/);
  });

  it('follows the schema order: Signature, Extensions, role descriptor, Organization, support and technical ContactPerson', async () => {
    for (const [role, descriptor] of [['proxy-service', 'IDPSSODescriptor'], ['connector', 'SPSSODescriptor']] as const) {
      const { root } = await documentOf(role);
      expect(elementChildren(root).map((e) => e.localName)).toEqual(['Signature', 'Extensions', descriptor, 'Organization', 'ContactPerson', 'ContactPerson']);
      expect(elementChildren(root)[0]!.namespaceURI).toBe(NS.ds);
    }
  });

  it('R-MD-07: alg:DigestMethod SHA-2 and alg:SigningMethod RSASSA-PSS (3072–4096) and ECDSA (256–521) only (R-CRY-02/03)', async () => {
    const { root } = await documentOf('connector');
    const extensions = only(root, 'Extensions');
    expect(kids(extensions, 'DigestMethod', NS.alg).map((d) => d.getAttribute('Algorithm'))).toEqual([DIGEST.SHA256, DIGEST.SHA384, DIGEST.SHA512]);
    const signing = kids(extensions, 'SigningMethod', NS.alg).map((m) => [m.getAttribute('Algorithm'), m.getAttribute('MinKeySize'), m.getAttribute('MaxKeySize')]);
    expect(signing).toEqual([
      [SIG.RSA_PSS_SHA256, '3072', '4096'],
      [SIG.RSA_PSS_SHA384, '3072', '4096'],
      [SIG.RSA_PSS_SHA512, '3072', '4096'],
      [SIG.ECDSA_SHA256, '256', '521'],
      [SIG.ECDSA_SHA384, '256', '521'],
      [SIG.ECDSA_SHA512, '256', '521'],
    ]);
  });

  it('R-MD-08: protocol versions 1.4, 1.3, 1.2 and application identifier FR:PontEidas:<version>', async () => {
    const version = (JSON.parse(readFileSync(`${PROJECT_ROOT}/package.json`, 'utf8')) as { version: string }).version;
    for (const role of ['proxy-service', 'connector'] as const) {
      const attrs = entityAttributes((await documentOf(role)).root);
      expect(attrs['http://eidas.europa.eu/entity-attributes/protocol-version']).toEqual(['1.4', '1.3', '1.2']);
      expect(attrs['http://eidas.europa.eu/entity-attributes/application-identifier']).toEqual([`FR:PontEidas:${version}`]);
    }
  });

  it('R-MD-06: Organization per language in schema order, support and technical contacts with mailto: addresses', async () => {
    const config = testConfig({
      contacts: {
        support: { email: 'support@eidas.example.fr', company: 'DINUM', telephone: '+33100000000' },
        technical: { email: 'tech@eidas.example.fr', givenName: 'Camille', surName: 'Martin' },
      },
    });
    const { root } = await documentOf('proxy-service', ringOf(keys), config);
    const org = only(root, 'Organization');
    expect(elementChildren(org).map((e) => `${e.localName}@${e.getAttributeNS('http://www.w3.org/XML/1998/namespace', 'lang')}=${e.textContent}`)).toEqual([
      'OrganizationName@en=Pont eIDAS',
      'OrganizationName@fr=Pont eIDAS',
      'OrganizationDisplayName@en=Pont eIDAS, the French eIDAS node',
      'OrganizationDisplayName@fr=Pont eIDAS, le nœud eIDAS français',
      `OrganizationURL@en=${BASE}/`,
      `OrganizationURL@fr=${BASE}/`,
    ]);
    const contacts = kids(root, 'ContactPerson').map((c) => [c.getAttribute('contactType'), elementChildren(c).map((e) => `${e.localName}=${e.textContent}`)]);
    expect(contacts).toEqual([
      ['support', ['Company=DINUM', 'EmailAddress=mailto:support@eidas.example.fr', 'TelephoneNumber=+33100000000']],
      ['technical', ['GivenName=Camille', 'SurName=Martin', 'EmailAddress=mailto:tech@eidas.example.fr']],
    ]);
  });

  it('configuration text is data, never markup: < & " and ]]> stay text (DOM-built, no string templates)', async () => {
    const tricky = 'Pont <eIDAS> & "co" ]]> <md:Extensions/>';
    const config = testConfig({ organization: [{ lang: 'en', name: tricky, displayName: tricky, url: 'https://eidas.example.fr/?a=1&b=<2>' }] });
    const { root, xml } = await documentOf('connector', ringOf(keys), config);
    const org = only(root, 'Organization');
    expect(elementChildren(org).map((e) => e.textContent)).toEqual([tricky, tricky, 'https://eidas.example.fr/?a=1&b=<2>']);
    expect(kids(root, 'Extensions')).toHaveLength(1);
    expect(xml).not.toContain('<eIDAS>');
  });
});

describe('proxy service (IdP)', () => {
  it('R-MD-03/11: IDPSSODescriptor WantAuthnRequestsSigned="true", NodeCountry FR; R-MD-04: no SLO, artifact or NameID management', async () => {
    const { root } = await documentOf('proxy-service');
    const idp = only(root, 'IDPSSODescriptor');
    expect(idp.getAttribute('WantAuthnRequestsSigned')).toBe('true');
    expect(idp.getAttribute('protocolSupportEnumeration')).toBe('urn:oasis:names:tc:SAML:2.0:protocol');
    expect(only(only(idp, 'Extensions'), 'NodeCountry', NS.eidas).textContent).toBe('FR');
    const names = elementChildren(idp).map((e) => e.localName);
    expect(names).not.toContain('SingleLogoutService');
    expect(names).not.toContain('ArtifactResolutionService');
    expect(names).not.toContain('ManageNameIDService');
    expect([...new Set(names)]).toEqual(['Extensions', 'KeyDescriptor', 'NameIDFormat', 'SingleSignOnService', 'Attribute']);
  });

  it('R-MD-05: publishes the message signing certificate only: no encryption key, never the metadata key', async () => {
    const { root } = await documentOf('proxy-service');
    const idp = only(root, 'IDPSSODescriptor');
    expect(publishedCertificates(idp, 'signing')).toEqual([der(keys.signing)]);
    expect(kids(idp, 'KeyDescriptor').map((k) => k.getAttribute('use'))).toEqual(['signing']);
    expect(publishedCertificates(idp, 'signing')).not.toContain(der(keys.metadata));
  });

  it('SSO for HTTP-POST and HTTP-Redirect at the configured route under publicBaseUrl; NameID formats', async () => {
    const { root } = await documentOf('proxy-service');
    const idp = only(root, 'IDPSSODescriptor');
    expect(kids(idp, 'SingleSignOnService').map((s) => [s.getAttribute('Binding'), s.getAttribute('Location')])).toEqual([
      ['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', `${BASE}/proxy-service/sso`],
      ['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', `${BASE}/proxy-service/sso`],
    ]);
    expect(kids(idp, 'NameIDFormat').map((n) => n.textContent)).toEqual([
      'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
      'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
      'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
    ]);
  });

  it('R-MD-09 / R-ATT-01: every supported attribute as saml2:Attribute with its URI Name, uri NameFormat and FriendlyName', async () => {
    const { root } = await documentOf('proxy-service');
    const attributes = kids(only(root, 'IDPSSODescriptor'), 'Attribute', NS.saml).map((a) => [a.getAttribute('FriendlyName'), a.getAttribute('Name'), a.getAttribute('NameFormat')]);
    const np = 'http://eidas.europa.eu/attributes/naturalperson/';
    const uri = 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri';
    expect(attributes).toEqual([
      ['PersonIdentifier', `${np}PersonIdentifier`, uri],
      ['FamilyName', `${np}CurrentFamilyName`, uri],
      ['FirstName', `${np}CurrentGivenName`, uri],
      ['DateOfBirth', `${np}DateOfBirth`, uri],
      ['BirthName', `${np}BirthName`, uri],
      ['PlaceOfBirth', `${np}PlaceOfBirth`, uri],
      ['Gender', `${np}Gender`, uri],
    ]);
  });

  it('R-MD-10: the supported LoAs as the assurance-certification entity attribute (connector: none, SPType instead)', async () => {
    const proxy = entityAttributes((await documentOf('proxy-service')).root);
    expect(proxy['urn:oasis:names:tc:SAML:attribute:assurance-certification']).toEqual([
      'http://eidas.europa.eu/LoA/substantial',
      'http://eidas.europa.eu/LoA/high',
    ]);
    const connector = entityAttributes((await documentOf('connector')).root);
    expect(connector['urn:oasis:names:tc:SAML:attribute:assurance-certification']).toBeUndefined();
    expect(kids(only((await documentOf('proxy-service')).root, 'Extensions'), 'SPType', NS.eidas)).toHaveLength(0);
  });
});

describe('connector (SP)', () => {
  it('R-MD-03/11/12: SPSSODescriptor AuthnRequestsSigned="true" WantAssertionsSigned="false", NodeCountry, SPType public at entity level', async () => {
    const { root } = await documentOf('connector');
    const sp = only(root, 'SPSSODescriptor');
    expect(sp.getAttribute('AuthnRequestsSigned')).toBe('true');
    expect(sp.getAttribute('WantAssertionsSigned')).toBe('false');
    expect(only(only(sp, 'Extensions'), 'NodeCountry', NS.eidas).textContent).toBe('FR');
    expect(only(only(root, 'Extensions'), 'SPType', NS.eidas).textContent).toBe('public');
    expect(kids(only(sp, 'Extensions'), 'SPType', NS.eidas)).toHaveLength(0);
  });

  it('R-MD-06: one HTTP-POST AssertionConsumerService, index 0, isDefault', async () => {
    const sp = only((await documentOf('connector')).root, 'SPSSODescriptor');
    expect(kids(sp, 'AssertionConsumerService').map((a) => [a.getAttribute('Binding'), a.getAttribute('Location'), a.getAttribute('index'), a.getAttribute('isDefault')])).toEqual([
      ['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', `${BASE}/connector/acs`, '0', 'true'],
    ]);
  });

  it('R-MD-05 / R-CRY-07: signing and a different encryption certificate; RSA: AES-GCM then rsa-oaep with SHA-256 and MGF1-SHA256', async () => {
    const sp = only((await documentOf('connector')).root, 'SPSSODescriptor');
    expect(publishedCertificates(sp, 'signing')).toEqual([der(keys.signing)]);
    expect(publishedCertificates(sp, 'encryption')).toEqual([der(keys.encryption)]);
    const encryption = kids(sp, 'KeyDescriptor').find((k) => k.getAttribute('use') === 'encryption')!;
    const methods = kids(encryption, 'EncryptionMethod');
    expect(methods.map((m) => m.getAttribute('Algorithm'))).toEqual([ENC.AES256_GCM, ENC.AES128_GCM, ENC.RSA_OAEP]);
    const oaep = methods[2]!;
    expect(only(oaep, 'DigestMethod', NS.ds).getAttribute('Algorithm')).toBe(DIGEST.SHA256);
    expect(only(oaep, 'MGF', NS.xenc11).getAttribute('Algorithm')).toBe(ENC.MGF1_SHA256);
  });

  it('R-CRY-08: an EC encryption key is offered with ECDH-ES and AES key wrap, never RSA-OAEP', async () => {
    const ecEncryption = await fakeKey('encryption', 'ec-p256');
    const ring = ringOf({ ...keys, encryption: ecEncryption });
    const sp = only((await documentOf('connector', ring)).root, 'SPSSODescriptor');
    const encryption = kids(sp, 'KeyDescriptor').find((k) => k.getAttribute('use') === 'encryption')!;
    expect(kids(encryption, 'EncryptionMethod').map((m) => m.getAttribute('Algorithm'))).toEqual([
      ENC.AES256_GCM,
      ENC.AES128_GCM,
      ENC.ECDH_ES,
      ENC.KW_AES256,
      ENC.KW_AES128,
    ]);
  });
});
