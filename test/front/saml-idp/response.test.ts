/**
 * The Response builder (issue 4 item 5, R-RSP, R-ATT, R-CRY, ATK-53/54): what we send is
 * verified and decrypted by the XML core as a connector would, and read field by field.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DIGEST, ENC, SIG } from '../../../src/saml/namespaces.ts';
import { verifyXml } from '../../../src/saml/index.ts';
import { buildErrorResponse, buildSuccessResponse, STATUS, type SuccessOutcome } from '../../../src/front/saml-idp/index.ts';
import { outcomeOf } from './support/outcome.ts';
import { LOA_SUBSTANTIAL, PERSON_ID, attributesFor, attributesOf, readBack, validatedDe } from './support/responses.ts';
import { ACS_DE, AT, DE, KEYS, NOW, NS, SETTINGS, YY, kid, kids, world, type World } from './support/world.ts';

let w: World;
beforeEach(() => {
  w = world();
});

const outcomeWith = (over: Partial<SuccessOutcome> = {}): SuccessOutcome => ({
  attributes: attributesFor(),
  loa: LOA_SUBSTANTIAL,
  nameId: PERSON_ID,
  authnInstant: new Date('2026-03-02T09:59:50.000Z'),
  ...over,
});

const build = (request = validatedDe(), over: Partial<SuccessOutcome> = {}) =>
  buildSuccessResponse(request, outcomeWith(over), { settings: w.settings, deps: w.deps });

describe('the success Response as a connector reads it (spec §8.2, §8.3)', () => {
  it('R-RSP-01/02/05/06/07: signed Response, Issuer, InResponseTo, Destination, Success, one EncryptedAssertion', async () => {
    const built = await build();
    const { response, responseAlgorithm } = await readBack(built.xml, KEYS.encRsa4096.privateKey);
    expect(responseAlgorithm).toBe(SIG.ECDSA_SHA256);
    expect({
      ID: response.getAttribute('ID'),
      Version: response.getAttribute('Version'),
      IssueInstant: response.getAttribute('IssueInstant'),
      InResponseTo: response.getAttribute('InResponseTo'),
      Destination: response.getAttribute('Destination'),
    }).toEqual({ ID: built.responseId, Version: '2.0', IssueInstant: NOW, InResponseTo: validatedDe().requestId, Destination: ACS_DE });
    const issuer = kid(response, NS.saml, 'Issuer');
    expect([issuer.textContent, issuer.getAttribute('Format')]).toEqual([SETTINGS.entityId, 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity']);
    const codes = kids(kid(response, NS.samlp, 'Status'), NS.samlp, 'StatusCode');
    expect(codes.map((c) => c.getAttribute('Value'))).toEqual([STATUS.SUCCESS]);
    expect(kids(response, NS.saml, 'EncryptedAssertion')).toHaveLength(1);
    expect(kids(response, NS.saml, 'Assertion')).toHaveLength(0); // R-RSP-02: never in clear
  });

  it('R-CRY-05/07: AES-256-GCM and xmlenc11#rsa-oaep (SHA-256, MGF1-SHA256) for a connector that lists them', async () => {
    const { xml } = await build();
    const response = (await verifyXml(xml, { trusted: [KEYS.ours.certificate] })).element;
    const data = kid(kid(response, NS.saml, 'EncryptedAssertion'), NS.xenc, 'EncryptedData');
    expect(kid(data, NS.xenc, 'EncryptionMethod').getAttribute('Algorithm')).toBe(ENC.AES256_GCM);
    const key = kid(kid(data, NS.ds, 'KeyInfo'), NS.xenc, 'EncryptedKey');
    const method = kid(key, NS.xenc, 'EncryptionMethod');
    expect(method.getAttribute('Algorithm')).toBe(ENC.RSA_OAEP);
    expect(kid(method, NS.xenc11, 'MGF').getAttribute('Algorithm')).toBe(ENC.MGF1_SHA256);
  });

  it('R-RSP-03/10/11/12/14: the decrypted Assertion is signed, with Subject, bearer confirmation, Conditions, Audience and the LoA reached', async () => {
    const { assertion, assertionAlgorithm } = await readBack((await build()).xml, KEYS.encRsa4096.privateKey);
    expect(assertionAlgorithm).toBe(SIG.ECDSA_SHA256);
    expect(kid(assertion, NS.saml, 'Issuer').textContent).toBe(SETTINGS.entityId);
    const subject = kid(assertion, NS.saml, 'Subject');
    const nameId = kid(subject, NS.saml, 'NameID');
    expect([nameId.getAttribute('Format'), nameId.textContent]).toEqual(['urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', PERSON_ID]);
    const confirmations = kids(subject, NS.saml, 'SubjectConfirmation');
    expect(confirmations.map((c) => c.getAttribute('Method'))).toEqual(['urn:oasis:names:tc:SAML:2.0:cm:bearer']);
    const data = kid(confirmations[0]!, NS.saml, 'SubjectConfirmationData');
    expect({
      InResponseTo: data.getAttribute('InResponseTo'),
      Recipient: data.getAttribute('Recipient'),
      NotOnOrAfter: data.getAttribute('NotOnOrAfter'),
      NotBefore: data.hasAttribute('NotBefore'),
    }).toEqual({ InResponseTo: validatedDe().requestId, Recipient: ACS_DE, NotOnOrAfter: '2026-03-02T10:05:00.000Z', NotBefore: false });
    const conditions = kid(assertion, NS.saml, 'Conditions');
    expect([conditions.getAttribute('NotBefore'), conditions.getAttribute('NotOnOrAfter')]).toEqual([NOW, '2026-03-02T10:05:00.000Z']);
    expect(kid(kid(conditions, NS.saml, 'AudienceRestriction'), NS.saml, 'Audience').textContent).toBe(DE);
    const statements = kids(assertion, NS.saml, 'AuthnStatement');
    expect(statements).toHaveLength(1);
    expect(statements[0]!.getAttribute('AuthnInstant')).toBe('2026-03-02T09:59:50.000Z');
    expect(kid(kid(statements[0]!, NS.saml, 'AuthnContext'), NS.saml, 'AuthnContextClassRef').textContent).toBe(LOA_SUBSTANTIAL);
    expect(kids(assertion, NS.saml, 'AttributeStatement')).toHaveLength(1);
  });

  it('R-ATT-01/02/11: attributes in request order, NameFormat uri, eIDAS natural-person xsi:types', async () => {
    const { assertion } = await readBack((await build()).xml, KEYS.encRsa4096.privateKey);
    const natural = 'http://eidas.europa.eu/attributes/naturalperson';
    expect(attributesOf(assertion)).toEqual([
      { friendlyName: 'PersonIdentifier', name: `${natural}/PersonIdentifier`, values: [PERSON_ID], types: [`{${natural}}PersonIdentifierType`] },
      { friendlyName: 'FamilyName', name: `${natural}/CurrentFamilyName`, values: ['Dupont'], types: [`{${natural}}CurrentFamilyNameType`] },
      { friendlyName: 'FirstName', name: `${natural}/CurrentGivenName`, values: ['Marie Claire'], types: [`{${natural}}CurrentGivenNameType`] },
      { friendlyName: 'DateOfBirth', name: `${natural}/DateOfBirth`, values: ['1980-06-24'], types: [`{${natural}}DateOfBirthType`] },
      {
        friendlyName: 'PlaceOfBirth',
        name: `${natural}/PlaceOfBirth`,
        values: ['Paris 7e Arrondissement - 75107, FRANCE (FR)'],
        types: [`{${natural}}PlaceOfBirthType`],
      },
      { friendlyName: 'Gender', name: `${natural}/Gender`, values: ['Female'], types: [`{${natural}}GenderType`] },
    ]);
    const statement = kid(assertion, NS.saml, 'AttributeStatement');
    expect(kids(statement, NS.saml, 'Attribute').every((a) => a.getAttribute('NameFormat') === 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri')).toBe(true);
  });

  it('R-ATT-09 / ATK-53: XML-special characters and non-Latin scripts survive signing, encryption and decryption', async () => {
    const values = {
      FamilyName: [`O'Brien & <Fils> "Ça" ]]> <!-- --> &amp;`],
      FirstName: ['Марія Zoë 李小龍 Ἀλέξανδρος 😀'],
      PlaceOfBirth: ['Saint-Étienne\u00a0– 42218, FRANCE (FR)'],
    };
    const { assertion } = await readBack((await build(validatedDe(), { attributes: attributesFor(values) })).xml, KEYS.encRsa4096.privateKey);
    const read = Object.fromEntries(attributesOf(assertion).map((a) => [a.friendlyName, a.values]));
    expect([read.FamilyName, read.FirstName, read.PlaceOfBirth]).toEqual([values.FamilyName, values.FirstName, values.PlaceOfBirth]);
  });

  it('ATK-53: a claim that tries to close the AttributeValue stays one text value; exactly one PersonIdentifier', async () => {
    const injection =
      'Jean</saml2:AttributeValue></saml2:Attribute><saml2:Attribute Name="http://eidas.europa.eu/attributes/naturalperson/PersonIdentifier">' +
      '<saml2:AttributeValue>FR/DE/victim</saml2:AttributeValue>';
    const { assertion } = await readBack((await build(validatedDe(), { attributes: attributesFor({ FirstName: [injection] }) })).xml, KEYS.encRsa4096.privateKey);
    const attrs = attributesOf(assertion);
    expect(attrs.filter((a) => a.friendlyName === 'PersonIdentifier').map((a) => a.values)).toEqual([[PERSON_ID]]);
    expect(attrs.find((a) => a.friendlyName === 'FirstName')!.values).toEqual([injection]);
    expect(attrs).toHaveLength(6);
  });

  it('R-RSP-18: an optional attribute without value is omitted, never sent empty; unrequested ones are not sent', async () => {
    const given = attributesFor({ PlaceOfBirth: [' '], Gender: [] });
    given.push({ name: 'Nationality', values: ['FR'] });
    const { assertion } = await readBack((await build(validatedDe(), { attributes: given })).xml, KEYS.encRsa4096.privateKey);
    expect(attributesOf(assertion).map((a) => a.friendlyName)).toEqual(['PersonIdentifier', 'FamilyName', 'FirstName', 'DateOfBirth']);
  });

  it('R-RSP-10: a transient NameIDPolicy gets a fresh transient NameID, never the PersonIdentifier', async () => {
    const request = validatedDe({ nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient' });
    const { assertion } = await readBack((await build(request)).xml, KEYS.encRsa4096.privateKey);
    const nameId = kid(kid(assertion, NS.saml, 'Subject'), NS.saml, 'NameID');
    expect(nameId.getAttribute('Format')).toBe('urn:oasis:names:tc:SAML:2.0:nameid-format:transient');
    expect(nameId.textContent).toMatch(/^_[0-9a-f]{40}$/);
  });
});

describe('algorithms chosen from the connector metadata, within R-CRY', () => {
  const yyRequest = () => validatedDe({ peerEntityId: YY, acsUrl: 'https://connector.yy.example/acs', country: 'YY' });
  const yyAttributes = () => attributesFor({ PersonIdentifier: ['FR/YY/abc'] });

  it('R-CRY-07 / DESIGN §3: a 1.2-era connector listing only aes128-gcm and rsa-oaep-mgf1p gets exactly that', async () => {
    const { xml } = await build(yyRequest(), { attributes: yyAttributes(), nameId: 'FR/YY/abc' });
    const { response, responseAlgorithm } = await readBack(xml, KEYS.encRsa3072.privateKey);
    const data = kid(kid(response, NS.saml, 'EncryptedAssertion'), NS.xenc, 'EncryptedData');
    const key = kid(kid(data, NS.ds, 'KeyInfo'), NS.xenc, 'EncryptedKey');
    expect([kid(data, NS.xenc, 'EncryptionMethod').getAttribute('Algorithm'), kid(key, NS.xenc, 'EncryptionMethod').getAttribute('Algorithm')]).toEqual([
      ENC.AES128_GCM,
      ENC.RSA_OAEP_MGF1P,
    ]);
    expect(responseAlgorithm).toBe(SIG.ECDSA_SHA256);
  });

  it('R-CRY-06/08: an EC encryption certificate gets ECDH-ES with kw-aes256', async () => {
    const request = validatedDe({ peerEntityId: AT, acsUrl: 'https://connector.at.example/acs', country: 'AT' });
    const { xml } = await build(request, { attributes: attributesFor({ PersonIdentifier: ['FR/AT/xyz'] }), nameId: 'FR/AT/xyz' });
    const { response } = await readBack(xml, KEYS.encEcP256.privateKey);
    const data = kid(kid(response, NS.saml, 'EncryptedAssertion'), NS.xenc, 'EncryptedData');
    const key = kid(kid(data, NS.ds, 'KeyInfo'), NS.xenc, 'EncryptedKey');
    expect(kid(key, NS.xenc, 'EncryptionMethod').getAttribute('Algorithm')).toBe(ENC.KW_AES256);
    expect(kid(kid(key, NS.ds, 'KeyInfo'), NS.xenc, 'AgreementMethod').getAttribute('Algorithm')).toBe(ENC.ECDH_ES);
  });

  it('R-CRY-03: with an RSA key we sign RSA-PSS, even for a peer that lists rsa-sha256 (never PKCS#1 v1.5)', async () => {
    w = world({}, KEYS.oursRsa);
    const { xml } = await build(yyRequest(), { attributes: yyAttributes(), nameId: 'FR/YY/abc' });
    expect((await readBack(xml, KEYS.encRsa3072.privateKey, KEYS.oursRsa)).responseAlgorithm).toBe(SIG.RSA_PSS_SHA256);
  });

  it('R-MD-07: the peer signing method we can make is preferred (ecdsa-sha512, SHA-512 digest listed)', async () => {
    w.deps.peers.descriptors[DE]!.signingMethods = [SIG.RSA_PSS_SHA256, SIG.ECDSA_SHA512];
    w.deps.peers.descriptors[DE]!.digestMethods = [DIGEST.SHA512];
    const { xml } = await build();
    const verified = await verifyXml(xml, { trusted: [KEYS.ours.certificate] });
    expect([verified.signatureAlgorithm, verified.digestAlgorithm]).toEqual([SIG.ECDSA_SHA512, DIGEST.SHA512]);
  });
});

describe('no partial or wrong identity is ever built (R-RSP-08, R-MSG-24, ATK-53/54)', () => {
  it.each<[string, string, Partial<SuccessOutcome>]>([
    ['R-RSP-08: a required attribute without value', 'ATTR_REQUIRED_MISSING', { attributes: attributesFor({ DateOfBirth: [] }) }],
    ['R-MSG-24 / ATK-44: a LoA the request does not accept', 'LOA_NOT_MET', { loa: 'http://eidas.europa.eu/LoA/low' }],
    ['R-ATT-04 / ATK-54: DateOfBirth 1990-13-45', 'OUT_ATTRIBUTE_VALUE', { attributes: attributesFor({ DateOfBirth: ['1990-13-45'] }) }],
    ['R-ATT-04: DateOfBirth with a time', 'OUT_ATTRIBUTE_VALUE', { attributes: attributesFor({ DateOfBirth: ['1990-01-01T00:00:00Z'] }) }],
    ['R-ATT-03: a PersonIdentifier for another country', 'OUT_ATTRIBUTE_VALUE', { attributes: attributesFor({ PersonIdentifier: ['FR/IT/123'] }) }],
    ['R-ATT-03: a PersonIdentifier with whitespace', 'OUT_ATTRIBUTE_VALUE', { attributes: attributesFor({ PersonIdentifier: ['FR/DE/12 34'] }) }],
    ['R-ATT-06: Gender "male"', 'OUT_ATTRIBUTE_VALUE', { attributes: attributesFor({ Gender: ['male'] }) }],
    ['R-ATT-02: two values for FamilyName', 'OUT_ATTRIBUTE_VALUE', { attributes: attributesFor({ FamilyName: ['A', 'B'] }) }],
    ['ATK-53: a NUL character', 'OUT_XML_INVALID', { attributes: attributesFor({ FamilyName: ['Du\u0000pont'] }) }],
    ['ATK-53: U+FFFE', 'OUT_XML_INVALID', { attributes: attributesFor({ FamilyName: ['Du\ufffepont'] }) }],
    ['ATK-53: a lone surrogate', 'OUT_XML_INVALID', { attributes: attributesFor({ FamilyName: ['Du\ud800pont'] }) }],
    ['ATK-54: a bidi override', 'OUT_XML_INVALID', { attributes: attributesFor({ FirstName: ['Marie\u202eeiraM'] }) }],
    ['ATK-54: a NameID with whitespace', 'OUT_ATTRIBUTE_VALUE', { nameId: 'FR/DE/a b' }],
    ['ATK-53: an xsi:type that is no local name', 'OUT_XML_INVALID', { attributes: [{ name: 'PersonIdentifier', values: [PERSON_ID], xsiType: 'x"y' }] }],
    ['an attribute given twice', 'OUT_ATTRIBUTE_VALUE', { attributes: [...attributesFor(), { name: 'FamilyName', values: ['X'] }] }],
    ['an attribute outside the profile', 'OUT_ATTRIBUTE_VALUE', { attributes: [...attributesFor(), { name: 'http://example.eu/x', values: ['X'] }] }],
  ])('%s is refused before anything is signed (%s)', async (_t, reason, over) => {
    expect(await outcomeOf(() => build(validatedDe(), over))).toMatchObject({ reason });
  });

  it('R-SEC-02: a connector no longer in the registry gets nothing (PEER_GONE)', async () => {
    delete w.deps.peers.descriptors[DE];
    expect(await outcomeOf(() => build())).toMatchObject({ reason: 'PEER_GONE' });
  });

  it('R-RSP-17: an ACS that left the metadata gets nothing (PEER_GONE)', async () => {
    expect(await outcomeOf(() => build(validatedDe({ acsUrl: 'https://evil.example/acs' })))).toMatchObject({ reason: 'PEER_GONE' });
  });
});

describe('error Responses (R-RSP-01, R-RSP-07, R-RSP-09)', () => {
  it('R-RSP-07/09: signed, Responder + RequestDenied nested, StatusMessage, InResponseTo, Destination, no Assertion', async () => {
    const status = { top: STATUS.RESPONDER, second: STATUS.REQUEST_DENIED, message: 'Citizen consent not given.' };
    const built = await buildErrorResponse(validatedDe(), status, { settings: w.settings, deps: w.deps });
    const response = (await verifyXml(built.xml, { trusted: [KEYS.ours.certificate] })).element;
    expect([response.getAttribute('InResponseTo'), response.getAttribute('Destination')]).toEqual([validatedDe().requestId, ACS_DE]);
    const statusEl = kid(response, NS.samlp, 'Status');
    const top = kid(statusEl, NS.samlp, 'StatusCode');
    expect([top.getAttribute('Value'), kid(top, NS.samlp, 'StatusCode').getAttribute('Value')]).toEqual([STATUS.RESPONDER, STATUS.REQUEST_DENIED]);
    expect(kid(statusEl, NS.samlp, 'StatusMessage').textContent).toBe('Citizen consent not given.');
    expect(kids(response, NS.saml, 'Assertion').length + kids(response, NS.saml, 'EncryptedAssertion').length).toBe(0);
  });
});
