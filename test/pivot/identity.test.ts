/**
 * The pivot identity from FranceConnect claims (franceconnect.md §3.4, DESIGN §2, ATK-54):
 * mandatory claims per scope, formats (presumed dates, COG codes, gender), and typed errors
 * that name the claim and never carry its value.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { franceConnectToPivot, mandatoryClaimsFor, PivotError, type PivotReason } from '../../src/pivot/index.ts';
import { FC_CLAIMS } from './fixtures.ts';

const FULL = FC_CLAIMS;

function refusal(claims: unknown, scopes?: string[]): { reason: PivotReason; field?: string; message: string } | undefined {
  try {
    franceConnectToPivot(claims, scopes ? { scopes } : {});
    return undefined;
  } catch (e) {
    if (!(e instanceof PivotError)) throw e;
    return { reason: e.reason, ...(e.field ? { field: e.field } : {}), message: e.message };
  }
}

describe('franceconnect.md §3.4: valid pivot identities', () => {
  it.each([
    ['full date', { birthdate: '1962-08-24' }],
    ['presumed day YYYY-MM-00', { birthdate: '1975-04-00' }],
    ['presumed day and month YYYY-00-00', { birthdate: '1950-00-00' }],
    ['29 February of a leap year', { birthdate: '2000-02-29' }],
    ['born abroad: empty birthplace, 99xxx country', { birthplace: '', birthcountry: '99341' }],
    ['Corsica 2A', { birthplace: '2A004' }],
    ['Corsica 2B', { birthplace: '2B033' }],
    ['municipal arrondissement', { birthplace: '13201' }],
    ['overseas', { birthplace: '97101' }],
    ['gender male', { gender: 'male' }],
    ['gender unspecified', { gender: 'unspecified' }],
    ['usage name', { preferred_username: 'MARTIN' }],
    ['accents and apostrophes', { given_name: "Zoë-Anaïs D’Arc", family_name: "N'GUESSAN" }],
    ['XML-special characters are plain text', { given_name: '<Jean> & "Jeanne" \'J\'' }],
  ])('%s', (_label, change) => {
    const identity = franceConnectToPivot({ ...FULL, ...change });
    expect(identity.origin).toBe('franceconnect');
    expect(identity.claims).toEqual({ ...FULL, ...change });
  });

  it('keeps only the pivot claims (acr, amr, idp_id… are not identity)', () => {
    const { claims } = franceConnectToPivot({ ...FULL, acr: 'eidas2', amr: ['pwd'], idp_id: 'x', iss: 'y' });
    expect(Object.keys(claims).sort()).toEqual(Object.keys(FULL).sort());
  });

  it('an empty preferred_username means no usage name', () => {
    expect(franceConnectToPivot({ ...FULL, preferred_username: '' }).claims).not.toHaveProperty('preferred_username');
  });

  it('names are normalised to NFC (ATK-54)', () => {
    const { claims } = franceConnectToPivot({ ...FULL, given_name: 'He\u0301le\u0300ne' });
    expect(claims.given_name).toBe('Hélène');
  });

  it('only the claims of the granted scopes are mandatory', () => {
    expect(mandatoryClaimsFor(['openid', 'birthdate'])).toEqual(['sub', 'birthdate']);
    expect(mandatoryClaimsFor(['openid', 'profile'])).toEqual(['sub', 'given_name', 'family_name', 'birthdate', 'gender']);
    const { claims } = franceConnectToPivot({ sub: FULL.sub, birthdate: '1980-00-00' }, { scopes: ['openid', 'birthdate'] });
    expect(claims).toEqual({ sub: FULL.sub, birthdate: '1980-00-00' });
  });
});

describe('franceconnect.md §3.4: a missing mandatory claim is refused, naming it (CLAIM_MISSING)', () => {
  it.each(['sub', 'given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry'])('without %s', (claim) => {
    const claims: Record<string, unknown> = { ...FULL };
    delete claims[claim];
    expect(refusal(claims)).toMatchObject({ reason: 'CLAIM_MISSING', field: claim });
    expect(refusal({ ...FULL, [claim]: null })).toMatchObject({ reason: 'CLAIM_MISSING', field: claim });
  });
  it('email only when its scope was asked', () => {
    const { email: _email, ...withoutEmail } = FULL;
    expect(refusal(withoutEmail)).toBeUndefined();
    expect(refusal(withoutEmail, ['openid', 'identite_pivot', 'email'])).toMatchObject({ reason: 'CLAIM_MISSING', field: 'email' });
  });
});

describe('ATK-54, franceconnect.md §3.4: a claim of the wrong format is refused, naming it and not its value', () => {
  const table: [string, string, unknown][] = [
    ['birthdate', 'month 13', '1990-13-45'],
    ['birthdate', '30 February', '1990-02-30'],
    ['birthdate', '29 February of a common year', '1900-02-29'],
    ['birthdate', 'unknown month, known day', '1990-00-15'],
    ['birthdate', 'two-digit year', '90-01-01'],
    ['birthdate', 'date-time', '1990-01-01T00:00:00Z'],
    ['birthdate', 'year zero', '0000-00-00'],
    ['birthdate', 'not a string', 19900101],
    ['gender', 'capitalised', 'Male'],
    ['gender', 'abbreviation', 'm'],
    ['gender', 'unknown value', 'other'],
    ['birthplace', '4 characters', '7510'],
    ['birthplace', '6 characters', '751077'],
    ['birthplace', 'a country code', '99100'],
    ['birthplace', 'lower-case Corsica', '2a004'],
    ['birthcountry', 'not 99xxx', '98100'],
    ['birthcountry', 'short', '991'],
    ['birthcountry', 'a number', 99100],
    ['given_name', 'empty', ''],
    ['given_name', 'blank', '   '],
    ['given_name', 'bidi override (U+202E)', 'Jean\u202Eevil'],
    ['given_name', 'NUL', 'Jean\u0000'],
    ['given_name', 'newline', 'Jean\nDUPONT'],
    ['given_name', 'zero-width space', 'Je\u200Ban'],
    ['given_name', 'lone surrogate', 'Jean\uD800'],
    ['given_name', 'non-character U+FFFE', 'Jean\uFFFE'],
    ['given_name', 'longer than 256', 'A'.repeat(257)],
    ['family_name', 'an array', ['DUBOIS']],
    ['preferred_username', 'control character', 'MARTIN\u0007'],
    ['sub', 'empty', ''],
    ['sub', 'with a space', 'abc def'],
    ['sub', 'non-ASCII', 'abcé'],
    ['email', 'not an address', 'angela.dubois'],
  ];
  it.each(table)('%s: %s', (claim, _label, value) => {
    const r = refusal({ ...FULL, [claim]: value });
    expect(r).toMatchObject({ reason: 'CLAIM_INVALID', field: claim });
    if (typeof value === 'string' && value.length > 2) expect(r!.message).not.toContain(value);
  });

  it.each([
    ['born in France with an empty birthplace', { birthplace: '', birthcountry: '99100' }],
    ['born abroad with a commune code', { birthplace: '75107', birthcountry: '99134' }],
  ])('birthplace and birthcountry must agree: %s', (_label, change) => {
    expect(refusal({ ...FULL, ...change })).toMatchObject({ reason: 'CLAIM_INVALID', field: 'birthplace' });
  });

  it.each([null, 'claims', ['sub'], 42])('claims that are not an object (%j) are refused', (claims) => {
    expect(refusal(claims)).toMatchObject({ reason: 'CLAIM_INVALID', field: 'claims' });
  });
});

describe('the mock FranceConnect citizens (src/mock/data/citizens.json) are valid pivot identities', () => {
  const file = new URL('../../src/mock/data/citizens.json', import.meta.url);
  const { citizens } = JSON.parse(readFileSync(file, 'utf8')) as {
    citizens: { id: string; claims: Record<string, unknown> }[];
  };
  it.each(citizens.map((c) => [c.id, c.claims] as const))('%s', (id, claims) => {
    expect(franceConnectToPivot({ sub: `sub-${id}`, ...claims }).claims.sub).toBe(`sub-${id}`);
  });
});
