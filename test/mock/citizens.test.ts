/**
 * The mock's test citizens (src/mock/data/citizens.json) cover what issue 4 asks for: at least
 * eight, stable ids, presumed birth dates, births abroad, usage names, several given names,
 * accents and apostrophes, each gender; and they follow FranceConnect's pivot formats.
 */
import { describe, expect, it } from 'vitest';
import { loadCitizens } from '../../src/mock/franceconnect/index.ts';

const citizens = loadCitizens();
const some = (test: (c: (typeof citizens)[number]['claims']) => boolean) => citizens.filter((c) => test(c.claims)).map((c) => c.id);

describe('test citizens', () => {
  it('are at least eight, with unique stable ids', () => {
    expect(citizens.length).toBeGreaterThanOrEqual(8);
    expect(new Set(citizens.map((c) => c.id)).size).toBe(citizens.length);
    expect(citizens.map((c) => c.id)).toEqual(expect.arrayContaining(['angela-dubois', 'jean-martin', 'fatou-diallo', 'zoe-xml-special']));
  });

  it.each([
    ['a presumed day of birth (YYYY-MM-00)', (c: { birthdate: string }) => /^\d{4}-(0[1-9]|1[0-2])-00$/.test(c.birthdate)],
    ['a presumed day and month of birth (YYYY-00-00)', (c: { birthdate: string }) => /^\d{4}-00-00$/.test(c.birthdate)],
    ['a birth abroad (empty birthplace, birthcountry 99xxx ≠ 99100)', (c: { birthplace: string; birthcountry: string }) => c.birthplace === '' && /^99\d{3}$/.test(c.birthcountry) && c.birthcountry !== '99100'],
    ['a usage name (preferred_username)', (c: { preferred_username?: string }) => Boolean(c.preferred_username)],
    ['several given names', (c: { given_name: string }) => c.given_name.includes(' ')],
    ['accents', (c: { given_name: string; family_name: string }) => /[À-ÿŒœ]/.test(c.given_name + c.family_name)],
    ["an apostrophe", (c: { family_name: string }) => c.family_name.includes("'")],
    ['gender female', (c: { gender: string }) => c.gender === 'female'],
    ['gender male', (c: { gender: string }) => c.gender === 'male'],
    ['a Corsican commune code (2A/2B)', (c: { birthplace: string }) => /^2[AB]/.test(c.birthplace)],
    ['XML-special characters', (c: { given_name: string; family_name: string }) => /[<&"]/.test(c.given_name + c.family_name)],
  ])('include someone with %s', (_what, test) => {
    expect(some(test as never).length).toBeGreaterThan(0);
  });

  it('born in France always have a commune code', () => {
    expect(some((c) => c.birthcountry === '99100' && c.birthplace === '')).toEqual([]);
  });
});
