/**
 * INSEE COG labels for PlaceOfBirth (DESIGN §2, franceconnect.md §2.5) and the provenance of
 * the shipped tables (src/pivot/data/README.md).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { communeLabel, countryLabel, loadCogTables, placeOfBirthLabel } from '../../src/pivot/index.ts';

const DATA = new URL('../../src/pivot/data/', import.meta.url);

describe('franceconnect.md §2.5: commune codes → `<Commune> - <code>, FRANCE (FR)`', () => {
  it.each([
    ['75107', 'Paris 7e Arrondissement - 75107, FRANCE (FR)'],
    ['75056', 'Paris - 75056, FRANCE (FR)'],
    ['13201', 'Marseille 1er Arrondissement - 13201, FRANCE (FR)'],
    ['69381', 'Lyon 1er Arrondissement - 69381, FRANCE (FR)'],
    ['2A004', 'Ajaccio - 2A004, FRANCE (FR)'],
    ['2B033', 'Bastia - 2B033, FRANCE (FR)'],
    ['97101', 'Les Abymes - 97101, FRANCE (FR)'],
    ['98818', 'Nouméa - 98818, FRANCE (FR)'],
    ['01001', "L'Abergement-Clémenciat - 01001, FRANCE (FR)"],
    // a code shared by a new commune and its delegated commune: the current commune's name
    ['10003', 'Aix-Villemaur-Pâlis - 10003, FRANCE (FR)'],
    // a former code (Corsica before 1976) → the commune that carries it today
    ['20004', 'Ajaccio - 20004, FRANCE (FR)'],
  ])('%s → %s', (code, label) => {
    expect(communeLabel(code)).toBe(label);
  });
  it.each(['75199', '99100', '7510', '2C004', ''])('%j is not a commune of the COG', (code) => {
    expect(communeLabel(code)).toBeUndefined();
  });
});

describe('franceconnect.md §2.5: country codes → `<Pays> (<ISO2>)`, French INSEE name', () => {
  it.each([
    ['99100', 'France (FR)'],
    ['99109', 'Allemagne (DE)'],
    ['99217', 'Japon (JP)'],
    ['99341', 'Sénégal (SN)'],
    ['99126', 'Grèce (GR)'],
    ['99326', 'Côte d’Ivoire (CI)'],
    ['99157', 'KOSOVO (XK)'],
    ['99115', 'TCHECOSLOVAQUIE'],
  ])('%s → %s', (code, label) => {
    expect(countryLabel(code)).toBe(label);
  });
  it.each(['99999', '99', '75107'])('%j is not a country of the COG', (code) => {
    expect(countryLabel(code)).toBeUndefined();
  });
  it('born abroad (empty birthplace) → the country; born in France → the commune', () => {
    expect(placeOfBirthLabel('', '99134')).toBe('Espagne (ES)');
    expect(placeOfBirthLabel('33063', '99100')).toBe('Bordeaux - 33063, FRANCE (FR)');
    expect(placeOfBirthLabel(undefined, undefined)).toBeUndefined();
  });
});

describe('src/pivot/data: the shipped INSEE tables', () => {
  it('are read once and kept', () => {
    expect(loadCogTables()).toBe(loadCogTables());
  });
  it('hold every commune, arrondissement and country code in the expected shapes', () => {
    const { communes, countries } = loadCogTables();
    expect(communes.size).toBeGreaterThan(39_000);
    expect(countries.size).toBeGreaterThan(240);
    for (const code of communes.keys()) expect(code).toMatch(/^(?:2[AB]|[0-9]{2})[0-9]{3}$/);
    for (const [code, c] of countries) {
      expect(code).toMatch(/^99[0-9]{3}$/);
      if (c.iso2 !== undefined) expect(c.iso2).toMatch(/^[A-Z]{2}$/);
    }
    for (const n of ['75101', '75120', '13216', '69389']) expect(communes.has(n)).toBe(true);
  });
  it('name their sources; the committed country sources are the ones the table was built from', () => {
    const communes = JSON.parse(readFileSync(new URL('cog-communes.json', DATA), 'utf8')) as { source: string };
    const countries = JSON.parse(readFileSync(new URL('cog-countries.json', DATA), 'utf8')) as { source: string };
    expect(communes.source).toContain('@etalab/decoupage-administratif@6.0.0');
    const csv = readFileSync(new URL('../../scripts/cog-sources/franceconnect-country.csv', import.meta.url));
    expect(countries.source).toContain(createHash('sha256').update(csv).digest('hex'));
    expect(existsSync(new URL('README.md', DATA))).toBe(true);
  });
});
