/**
 * Proxy-service attribute tables (DESIGN §2 "Attributes", franceconnect.md §2.2–2.3, R-ATT-02..06,
 * R-MSG-16..18, R-RSP-08, ATK-53): requested attributes → FranceConnect scopes, then claims →
 * eIDAS values, one case per rule.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  attributesToScopes,
  franceConnectToPivot,
  pivotToEidas,
  PivotError,
  readRequestedAttributes,
  type AttributeRequest,
  type PivotReason,
  type RequestedAttribute,
} from '../../src/pivot/index.ts';
import { FC_CLAIMS, IDENTIFIER_SECRET, LEGAL, np } from './fixtures.ts';

const MDS = ['PersonIdentifier', 'CurrentFamilyName', 'CurrentGivenName', 'DateOfBirth'];
const OPTIONAL = ['BirthName', 'PlaceOfBirth', 'Gender'];
const req = (keys: string[], required: string[] = MDS): RequestedAttribute[] =>
  keys.map((k) => ({ name: np(k), isRequired: required.includes(k) }));
const ALL = readRequestedAttributes(req([...MDS, ...OPTIONAL]));
const OPTIONS = { requesterCountry: 'DE', identifierSecret: IDENTIFIER_SECRET };
const EXPECTED_PID = `FR/DE/${createHmac('sha256', IDENTIFIER_SECRET).update(`DE${FC_CLAIMS.sub}`).digest('hex')}`;

function reasonOf(fn: () => unknown): { reason: PivotReason; field?: string } | 'no error' {
  try {
    fn();
    return 'no error';
  } catch (e) {
    if (e instanceof PivotError) return { reason: e.reason, ...(e.field ? { field: e.field } : {}) };
    throw e;
  }
}

/** Attribute values by FriendlyName-independent key (the Name URI's last segment). */
function mapped(claims: Record<string, unknown>, request: AttributeRequest = ALL, scopes?: string[]) {
  const identity = franceConnectToPivot(claims, scopes ? { scopes } : {});
  const out = pivotToEidas(identity, request, OPTIONS);
  return Object.fromEntries(out.attributes.map((a) => [a.name.slice(a.name.lastIndexOf('/') + 1), a.values]));
}

describe('DESIGN §2, R-ATT-02..06: FranceConnect claims → eIDAS attribute values', () => {
  const table: [string, Record<string, unknown>, Record<string, string[] | undefined>][] = [
    [
      'several given names, one value; born in Paris 7e (municipal arrondissement)',
      {},
      {
        PersonIdentifier: [EXPECTED_PID],
        CurrentGivenName: ['Angela Claire Louise'],
        CurrentFamilyName: ['DUBOIS'],
        BirthName: ['Angela Claire Louise DUBOIS'],
        DateOfBirth: ['1962-08-24'],
        PlaceOfBirth: ['Paris 7e Arrondissement - 75107, FRANCE (FR)'],
        Gender: ['Female'],
      },
    ],
    ['presumed day: YYYY-MM-00 → YYYY-MM-01', { birthdate: '1975-04-00' }, { DateOfBirth: ['1975-04-01'] }],
    ['presumed day and month: YYYY-00-00 → YYYY-01-01', { birthdate: '1950-00-00' }, { DateOfBirth: ['1950-01-01'] }],
    [
      'born abroad, empty birthplace: the country, French INSEE name and ISO code',
      { birthplace: '', birthcountry: '99341' },
      { PlaceOfBirth: ['Sénégal (SN)'] },
    ],
    ['born abroad in Japan', { birthplace: '', birthcountry: '99217' }, { PlaceOfBirth: ['Japon (JP)'] }],
    [
      'born in a former country (no ISO code)',
      { birthplace: '', birthcountry: '99115' },
      { PlaceOfBirth: ['TCHECOSLOVAQUIE'] },
    ],
    ['born in Corsica', { birthplace: '2A004' }, { PlaceOfBirth: ['Ajaccio - 2A004, FRANCE (FR)'] }],
    ['born overseas', { birthplace: '97411' }, { PlaceOfBirth: ['Saint-Denis - 97411, FRANCE (FR)'] }],
    [
      'usage name: CurrentFamilyName is preferred_username, BirthName keeps family_name',
      { given_name: 'Hélène', family_name: 'DURAND', preferred_username: 'LEFÈVRE' },
      { CurrentFamilyName: ['LEFÈVRE'], BirthName: ['Hélène DURAND'], CurrentGivenName: ['Hélène'] },
    ],
    [
      'accents and apostrophes pass unchanged',
      { given_name: 'Zoë-Anaïs Maëlle', family_name: "N'GUESSAN D’ARTAGNAN" },
      { CurrentGivenName: ['Zoë-Anaïs Maëlle'], CurrentFamilyName: ["N'GUESSAN D’ARTAGNAN"] },
    ],
    ['gender male → Male', { gender: 'male' }, { Gender: ['Male'] }],
    ['gender female → Female', { gender: 'female' }, { Gender: ['Female'] }],
    ['gender unspecified → Unspecified', { gender: 'unspecified' }, { Gender: ['Unspecified'] }],
    [
      'ATK-53: XML-special characters are passed through untouched (escaping is the XML builder’s job)',
      { given_name: 'Jean</saml:AttributeValue><saml:Attribute Name="x">]]><!-- & &amp; "\'', family_name: 'A&B <C>' },
      {
        CurrentGivenName: ['Jean</saml:AttributeValue><saml:Attribute Name="x">]]><!-- & &amp; "\''],
        CurrentFamilyName: ['A&B <C>'],
        PersonIdentifier: [EXPECTED_PID],
      },
    ],
  ];
  it.each(table)('%s', (_label, change, expected) => {
    const got = mapped({ ...FC_CLAIMS, ...change });
    for (const [key, values] of Object.entries(expected)) expect(got[key]).toEqual(values);
  });

  it('the assertion lists exactly the requested attributes, once each, in table order, Name/FriendlyName/xsi:type from the registry', () => {
    const out = pivotToEidas(franceConnectToPivot(FC_CLAIMS), ALL, OPTIONS);
    expect(out.personIdentifier).toBe(EXPECTED_PID);
    expect(out.attributes.map((a) => [a.friendlyName, a.xsiType])).toEqual([
      ['PersonIdentifier', 'PersonIdentifierType'],
      ['FamilyName', 'CurrentFamilyNameType'],
      ['FirstName', 'CurrentGivenNameType'],
      ['DateOfBirth', 'DateOfBirthType'],
      ['BirthName', 'BirthNameType'],
      ['PlaceOfBirth', 'PlaceOfBirthType'],
      ['Gender', 'GenderType'],
    ]);
    for (const a of out.attributes) expect(a.values.every((v) => v.length > 0)).toBe(true);
  });

  it('BirthName only when requested', () => {
    expect(mapped(FC_CLAIMS, readRequestedAttributes(req(MDS)))).not.toHaveProperty('BirthName');
  });
});

describe('DESIGN §2: optional attributes the source lacks are omitted, never sent empty', () => {
  it.each([
    ['gender not granted by FranceConnect', ['openid', 'given_name', 'family_name', 'birthdate', 'birth'], 'Gender'],
    ['birthplace not granted', ['openid', 'given_name', 'family_name', 'birthdate', 'gender'], 'PlaceOfBirth'],
  ])('%s → %s omitted', (_label, scopes, key) => {
    const claims: Record<string, unknown> = { ...FC_CLAIMS };
    for (const c of key === 'Gender' ? ['gender'] : ['birthplace', 'birthcountry']) delete claims[c];
    const got = mapped(claims, ALL, scopes);
    expect(got).not.toHaveProperty(key);
    expect(got.CurrentGivenName).toEqual([FC_CLAIMS.given_name]);
  });

  it.each([
    ['a commune code not in the COG', { birthplace: '75199' }],
    ['a country code not in the COG', { birthplace: '', birthcountry: '99999' }],
  ])('PlaceOfBirth for %s is omitted, never invented', (_label, change) => {
    expect(mapped({ ...FC_CLAIMS, ...change })).not.toHaveProperty('PlaceOfBirth');
  });
});

describe('R-RSP-08: a required attribute the source lacks refuses the whole identity (ATTRIBUTE_MISSING)', () => {
  it.each([
    ['Gender', { gender: undefined }, ['openid', 'given_name', 'family_name', 'birthdate']],
    ['PlaceOfBirth', { birthplace: '75199' }, undefined],
    ['CurrentGivenName', { given_name: undefined }, ['openid', 'family_name', 'birthdate', 'gender', 'birth']],
  ])('%s required and unavailable', (key, change, scopes) => {
    const request = readRequestedAttributes(req([...MDS, ...OPTIONAL], [...MDS, key]));
    const identity = franceConnectToPivot({ ...FC_CLAIMS, ...change }, scopes ? { scopes } : {});
    expect(reasonOf(() => pivotToEidas(identity, request, OPTIONS))).toEqual({ reason: 'ATTRIBUTE_MISSING', field: key });
  });
});

describe('R-MSG-14..18, R-RSP-08: reading the requested attributes', () => {
  it('unknown optional attributes and ones we cannot deliver are ignored (R-MSG-17)', () => {
    const r = readRequestedAttributes([
      ...req(MDS),
      { name: np('CurrentAddress'), isRequired: false },
      { name: np('Nationality'), isRequired: false },
      { name: 'http://example.org/sector/StudentId', isRequired: false },
    ]);
    expect(r.attributes.map((a) => a.key)).toEqual(MDS);
    expect(r.ignored).toEqual(['CurrentAddress', 'Nationality', 'StudentId']);
  });

  const refused: [string, RequestedAttribute[], PivotReason, string][] = [
    ['a legal-person attribute (R-MSG-16)', [...req(MDS), { name: `${LEGAL}LegalName`, isRequired: false }], 'LEGAL_PERSON_UNSUPPORTED', 'LegalName'],
    ['a legal-person MDS alone', [{ name: `${LEGAL}LegalPersonIdentifier`, isRequired: true }], 'LEGAL_PERSON_UNSUPPORTED', 'LegalPersonIdentifier'],
    ['a representative attribute (R-MSG-18)', [...req(MDS), { name: np('representative/PersonIdentifier'), isRequired: false }], 'REPRESENTATIVE_UNSUPPORTED', 'PersonIdentifier'],
    ['a required attribute we cannot deliver', [...req(MDS), { name: np('CurrentAddress'), isRequired: true }], 'ATTRIBUTE_MISSING', 'CurrentAddress'],
    ['a required unknown attribute', [...req(MDS), { name: 'http://example.org/x/Thing', isRequired: true }], 'ATTRIBUTE_MISSING', 'Thing'],
    ['the same attribute twice', [...req(MDS), { name: np('Gender'), isRequired: false }, { name: np('Gender'), isRequired: true }], 'ATTRIBUTE_DUPLICATE', 'Gender'],
  ];
  it.each(refused)('%s → %s', (_label, requested, reason, field) => {
    expect(reasonOf(() => readRequestedAttributes(requested))).toEqual({ reason, field });
  });
});

describe('franceconnect.md §2.2: requested attributes → FranceConnect scopes', () => {
  it.each([
    [['PersonIdentifier'], ['openid']],
    [MDS, ['openid', 'family_name', 'preferred_username', 'given_name', 'birthdate']],
    [['PersonIdentifier', 'BirthName'], ['openid', 'given_name', 'family_name']],
    [['PersonIdentifier', 'PlaceOfBirth'], ['openid', 'birthplace', 'birthcountry']],
    [['PersonIdentifier', 'Gender'], ['openid', 'gender']],
    [['Gender'], ['openid', 'gender']],
  ])('%j → %j', (keys, scopes) => {
    expect(attributesToScopes(readRequestedAttributes(req(keys, [])))).toEqual(scopes);
  });
});
