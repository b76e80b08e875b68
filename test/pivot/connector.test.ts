/**
 * Connector attribute tables (DESIGN §2 "Attributes", franceconnect.md §2.2/§2.4, R-ATT-03/04/06/09,
 * R-RSP-19, ATK-46, ATK-54): verified eIDAS attributes → pivot claims for French services.
 */
import { describe, expect, it } from 'vitest';
import {
  eidasToPivot,
  PivotError,
  scopesToRequestedAttributes,
  type PivotReason,
  type ReceivedAttribute,
} from '../../src/pivot/index.ts';
import { LEGAL, np, SUB_SECRET } from './fixtures.ts';

const OPTIONS = { issuingCountry: 'DE', subSecret: SUB_SECRET, sector: 'https://fs.example.fr' };
const v = (...values: string[]) => values.map((value) => ({ value }));
const BASE: ReceivedAttribute[] = [
  { name: np('PersonIdentifier'), values: v('DE/FR/7b2fa31c9d') },
  { name: np('CurrentGivenName'), values: v('Max') },
  { name: np('CurrentFamilyName'), values: v('Müller') },
  { name: np('DateOfBirth'), values: v('1980-05-17') },
];

function withAttr(key: string, values: ReceivedAttribute['values'], base = BASE): ReceivedAttribute[] {
  return [...base.filter((a) => a.name !== np(key)), { name: np(key), values }];
}

function reasonOf(fn: () => unknown): { reason: PivotReason; field?: string; message: string } | 'no error' {
  try {
    fn();
    return 'no error';
  } catch (e) {
    if (e instanceof PivotError) return { reason: e.reason, ...(e.field ? { field: e.field } : {}), message: e.message };
    throw e;
  }
}

describe('DESIGN §2, franceconnect.md §2.4: eIDAS attributes → pivot claims', () => {
  const table: [string, ReceivedAttribute[], Record<string, string | undefined>][] = [
    ['the minimum data set', BASE, { given_name: 'Max', family_name: 'Müller', birthdate: '1980-05-17' }],
    ['several given-name values joined with spaces', withAttr('CurrentGivenName', v('Max', 'Peter', 'Johann')), { given_name: 'Max Peter Johann' }],
    ['several family-name values joined with spaces', withAttr('CurrentFamilyName', v('García', 'Lorca')), { family_name: 'García Lorca' }],
    ['Gender Male → male', withAttr('Gender', v('Male')), { gender: 'male' }],
    ['Gender Female → female', withAttr('Gender', v('Female')), { gender: 'female' }],
    ['Gender Unspecified → unspecified', withAttr('Gender', v('Unspecified')), { gender: 'unspecified' }],
    ['PlaceOfBirth free text → birthplace', withAttr('PlaceOfBirth', v('Berlin, Deutschland')), { birthplace: 'Berlin, Deutschland' }],
    ['PlaceOfBirth that reads as a commune code is never passed as a COG code', withAttr('PlaceOfBirth', v('75107')), { birthplace: undefined }],
    ['PlaceOfBirth that reads as a country code is never passed', withAttr('PlaceOfBirth', v('99134')), { birthplace: undefined }],
    ['XML-special characters are plain text', withAttr('CurrentFamilyName', v("O'Brien <&> \"x\"")), { family_name: "O'Brien <&> \"x\"" }],
    ['NFD names are normalised to NFC (ATK-54)', withAttr('CurrentFamilyName', v('Mu\u0308ller')), { family_name: 'Müller' }],
  ];
  it.each(table)('%s', (_label, attributes, expected) => {
    const identity = eidasToPivot(attributes, OPTIONS);
    expect(identity.origin).toBe('eidas');
    for (const [claim, value] of Object.entries(expected)) expect(identity.claims[claim as 'sub']).toBe(value);
    expect(identity.claims).not.toHaveProperty('birthcountry');
    expect(identity.claims).not.toHaveProperty('preferred_username');
  });

  it('R-ATT-09: the Latin-script values make the claims, the originals are kept beside them', () => {
    const attributes = withAttr(
      'CurrentFamilyName',
      [{ value: 'Papadopoulos' }, { value: 'Παπαδόπουλος', latinScript: false }],
      withAttr('CurrentGivenName', [{ value: 'Nikolaos', latinScript: true }, { value: 'Νικόλαος', latinScript: false }]),
    );
    const identity = eidasToPivot(attributes, { ...OPTIONS });
    expect(identity.claims).toMatchObject({ given_name: 'Nikolaos', family_name: 'Papadopoulos' });
    expect(identity.originalScript).toEqual({ given_name: 'Νικόλαος', family_name: 'Παπαδόπουλος' });
  });

  it('unmapped natural-person and unknown attributes are ignored, by name only', () => {
    const attributes = [
      ...BASE,
      { name: np('BirthName'), values: v('Max Schmidt') },
      { name: np('CurrentAddress'), values: v('PGVpZGFzOkxvY2F0b3JEZXNpZ25hdG9yPjIyPC9laWRhczpMb2NhdG9yRGVzaWduYXRvcj4=') },
      { name: np('Nationality'), values: v('DE') },
      { name: 'http://example.org/custom/Thing', values: v('x') },
    ];
    const identity = eidasToPivot(attributes, OPTIONS);
    expect(identity.ignoredAttributes).toEqual(['BirthName', 'CurrentAddress', 'Nationality', 'Thing']);
    expect(Object.keys(identity.claims).sort()).toEqual(['birthdate', 'family_name', 'given_name', 'sub']);
  });
});

describe('DESIGN §2, R-ATT-03: PersonIdentifier XX/FR/… becomes a pairwise sub', () => {
  const subOf = (pid: string, sector = OPTIONS.sector, issuingCountry = 'DE') =>
    eidasToPivot(withAttr('PersonIdentifier', v(pid)), { ...OPTIONS, sector, issuingCountry }).claims.sub;

  it('stable for one person and one sector, 64 hex characters', () => {
    expect(subOf('DE/FR/7b2fa31c9d')).toBe(subOf('DE/FR/7b2fa31c9d'));
    expect(subOf('DE/FR/7b2fa31c9d')).toMatch(/^[0-9a-f]{64}$/);
  });
  it('different across sectors and across persons; the foreign value is never the sub', () => {
    const a = subOf('DE/FR/7b2fa31c9d');
    expect(subOf('DE/FR/7b2fa31c9d', 'https://other-fs.example.fr')).not.toBe(a);
    expect(subOf('DE/FR/7b2fa31c9e')).not.toBe(a);
    expect(a).not.toContain('7b2fa31c9d');
  });
  it('an opaque part with base64 characters (/ + =) is accepted', () => {
    expect(subOf('DE/FR/ab/c+d==')).toMatch(/^[0-9a-f]{64}$/);
  });
  it('the validated foreign value is returned beside the claims', () => {
    const identity = eidasToPivot(BASE, OPTIONS);
    expect(identity).toMatchObject({ personIdentifier: 'DE/FR/7b2fa31c9d', issuingCountry: 'DE' });
  });
});

describe('ATK-54, ATK-46, R-ATT-03/04/06: malformed values are refused with the attribute named', () => {
  const table: [string, ReceivedAttribute[], PivotReason, string][] = [
    ['PersonIdentifier without prefix', withAttr('PersonIdentifier', v('7b2fa31c9d')), 'IDENTIFIER_INVALID', 'PersonIdentifier'],
    ['PersonIdentifier for another destination', withAttr('PersonIdentifier', v('DE/BE/7b2fa31c9d')), 'IDENTIFIER_INVALID', 'PersonIdentifier'],
    ['PersonIdentifier issued by another country (ATK-46)', withAttr('PersonIdentifier', v('AT/FR/7b2fa31c9d')), 'IDENTIFIER_INVALID', 'PersonIdentifier'],
    ['PersonIdentifier lower-case country', withAttr('PersonIdentifier', v('de/FR/7b2fa31c9d')), 'IDENTIFIER_INVALID', 'PersonIdentifier'],
    ['PersonIdentifier empty opaque part', withAttr('PersonIdentifier', v('DE/FR/')), 'IDENTIFIER_INVALID', 'PersonIdentifier'],
    ['PersonIdentifier with whitespace', withAttr('PersonIdentifier', v('DE/FR/7b2f a31c')), 'IDENTIFIER_INVALID', 'PersonIdentifier'],
    ['PersonIdentifier with a bidi override', withAttr('PersonIdentifier', v('DE/FR/7b2f\u202Ea31c')), 'IDENTIFIER_INVALID', 'PersonIdentifier'],
    ['PersonIdentifier longer than 256', withAttr('PersonIdentifier', v(`DE/FR/${'a'.repeat(251)}`)), 'IDENTIFIER_INVALID', 'PersonIdentifier'],
    ['two PersonIdentifier values', withAttr('PersonIdentifier', v('DE/FR/a', 'DE/FR/b')), 'ATTRIBUTE_INVALID', 'PersonIdentifier'],
    ['DateOfBirth month 13', withAttr('DateOfBirth', v('1990-13-45')), 'ATTRIBUTE_INVALID', 'DateOfBirth'],
    ['DateOfBirth as a date-time', withAttr('DateOfBirth', v('1990-01-01T00:00:00Z')), 'ATTRIBUTE_INVALID', 'DateOfBirth'],
    ['DateOfBirth with a time zone', withAttr('DateOfBirth', v('1990-01-01Z')), 'ATTRIBUTE_INVALID', 'DateOfBirth'],
    ['DateOfBirth presumed form', withAttr('DateOfBirth', v('1990-00-00')), 'ATTRIBUTE_INVALID', 'DateOfBirth'],
    ['Gender lower-case', withAttr('Gender', v('male')), 'ATTRIBUTE_INVALID', 'Gender'],
    ['Gender unknown', withAttr('Gender', v('M')), 'ATTRIBUTE_INVALID', 'Gender'],
    ['given name with a bidi override', withAttr('CurrentGivenName', v('Max\u202E')), 'ATTRIBUTE_INVALID', 'CurrentGivenName'],
    ['given name with a control character', withAttr('CurrentGivenName', v('Max\u0000')), 'ATTRIBUTE_INVALID', 'CurrentGivenName'],
    ['given names longer than 256 once joined', withAttr('CurrentGivenName', v('A'.repeat(200), 'B'.repeat(100))), 'ATTRIBUTE_INVALID', 'CurrentGivenName'],
    ['an empty value (R-RSP-18)', withAttr('CurrentFamilyName', v('')), 'ATTRIBUTE_INVALID', 'CurrentFamilyName'],
    ['no value', withAttr('CurrentFamilyName', []), 'ATTRIBUTE_INVALID', 'CurrentFamilyName'],
    ['only an original-script value (R-ATT-09)', withAttr('CurrentFamilyName', [{ value: 'Παπαδόπουλος', latinScript: false }]), 'ATTRIBUTE_INVALID', 'CurrentFamilyName'],
    ['PlaceOfBirth with a newline', withAttr('PlaceOfBirth', v('Berlin\nx')), 'ATTRIBUTE_INVALID', 'PlaceOfBirth'],
  ];
  it.each(table)('%s → %s', (_label, attributes, reason, field) => {
    const r = reasonOf(() => eidasToPivot(attributes, OPTIONS));
    expect(r).toMatchObject({ reason, field });
    expect(r === 'no error' ? '' : r.message).not.toContain('7b2f');
  });
});

describe('DESIGN §2, R-RSP-19, ATK-54: missing, duplicate, legal-person and representative attributes', () => {
  it.each(['PersonIdentifier', 'CurrentGivenName', 'CurrentFamilyName', 'DateOfBirth'])('missing %s → ATTRIBUTE_MISSING', (key) => {
    expect(reasonOf(() => eidasToPivot(BASE.filter((a) => a.name !== np(key)), OPTIONS))).toMatchObject({
      reason: 'ATTRIBUTE_MISSING',
      field: key,
    });
  });
  it.each([
    ['the same attribute twice (first or last would win)', [...BASE, { name: np('CurrentGivenName'), values: v('Eve') }], 'ATTRIBUTE_DUPLICATE', 'CurrentGivenName'],
    ['a legal-person attribute', [...BASE, { name: `${LEGAL}LegalName`, values: v('ACME GmbH') }], 'LEGAL_PERSON_UNSUPPORTED', 'LegalName'],
    ['a legal-person identity', [{ name: `${LEGAL}LegalPersonIdentifier`, values: v('DE/FR/123') }], 'LEGAL_PERSON_UNSUPPORTED', 'LegalPersonIdentifier'],
    ['a representative beside the person', [...BASE, { name: np('representative/CurrentFamilyName'), values: v('Y') }], 'REPRESENTATIVE_UNSUPPORTED', 'CurrentFamilyName'],
    ['a legal representative', [...BASE, { name: `${LEGAL}representative/LegalName`, values: v('Y') }], 'REPRESENTATIVE_UNSUPPORTED', 'LegalName'],
  ] as [string, ReceivedAttribute[], PivotReason, string][])('%s → %s', (_label, attributes, reason, field) => {
    expect(reasonOf(() => eidasToPivot(attributes, OPTIONS))).toMatchObject({ reason, field });
  });
  it('a sub secret shorter than 32 bytes is refused (SECRET_INVALID)', () => {
    expect(reasonOf(() => eidasToPivot(BASE, { ...OPTIONS, subSecret: 'short' }))).toMatchObject({ reason: 'SECRET_INVALID' });
  });
});

describe('franceconnect.md §2.2: FS scopes → requested attributes (the minimum data set always required)', () => {
  const MDS = ['PersonIdentifier', 'FamilyName', 'FirstName', 'DateOfBirth'];
  it.each([
    [['openid'], [...MDS]],
    [['openid', 'profile'], [...MDS, 'Gender']],
    [['openid', 'gender', 'birthplace'], [...MDS, 'PlaceOfBirth', 'Gender']],
    [['openid', 'identite_pivot', 'email', 'birthcountry'], [...MDS, 'PlaceOfBirth', 'Gender']],
  ])('%j → %j', (scopes, friendlyNames) => {
    const requested = scopesToRequestedAttributes(scopes);
    expect(requested.map((r) => r.friendlyName)).toEqual(friendlyNames);
    expect(requested.filter((r) => r.isRequired).map((r) => r.friendlyName)).toEqual(MDS);
  });
});
