/**
 * INSEE Code Officiel Géographique: commune and country labels for PlaceOfBirth (DESIGN §2,
 * franceconnect.md §2.5). The tables (src/pivot/data/cog-*.json, see its README for source,
 * date and licence) are read once, on first use, and kept; call `loadCogTables()` at start-up
 * so that no request pays for the read and a missing file stops the start, not a login.
 */
import { readFileSync } from 'node:fs';
import { COG_FRANCE } from './tables.ts';

export interface CogTables {
  /** COG commune code (incl. municipal arrondissements, e.g. 75107) → INSEE name. */
  readonly communes: ReadonlyMap<string, string>;
  /** COG country code (99xxx) → French INSEE name and, when it has one, ISO 3166-1 alpha-2. */
  readonly countries: ReadonlyMap<string, { readonly label: string; readonly iso2?: string }>;
}

/** A French commune code: two digits (or 2A/2B for Corsica) and three digits, not 99xxx. */
export const COMMUNE_CODE = /^(?!99)(?:2[AB]|[0-9]{2})[0-9]{3}$/;
/** A country code of the COG: 99 and three digits; 99100 is France. */
export const COUNTRY_CODE = /^99[0-9]{3}$/;

const DATA = new URL('./data/', import.meta.url);
let cached: CogTables | undefined;

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(file, DATA), 'utf8')) as Record<string, unknown>;
}

/** Reads the COG tables the first time, then returns the same object. */
export function loadCogTables(): CogTables {
  if (cached) return cached;
  const communes = readJson('cog-communes.json').communes as Record<string, string>;
  const countries = readJson('cog-countries.json').countries as Record<string, [string, string?]>;
  cached = {
    communes: new Map(Object.entries(communes)),
    countries: new Map(
      Object.entries(countries).map(([code, [label, iso2]]) => [code, iso2 ? { label, iso2 } : { label }]),
    ),
  };
  return cached;
}

/** `Paris 7e Arrondissement - 75107, FRANCE (FR)`; undefined for a code not in the COG. */
export function communeLabel(code: string, tables: CogTables = loadCogTables()): string | undefined {
  if (!COMMUNE_CODE.test(code)) return undefined;
  const name = tables.communes.get(code);
  return name === undefined ? undefined : `${name} - ${code}, FRANCE (FR)`;
}

/** `Japon (JP)`; a former country without ISO code is its name alone (`TCHECOSLOVAQUIE`). */
export function countryLabel(code: string, tables: CogTables = loadCogTables()): string | undefined {
  if (!COUNTRY_CODE.test(code)) return undefined;
  const country = tables.countries.get(code);
  if (!country) return undefined;
  return country.iso2 ? `${country.label} (${country.iso2})` : country.label;
}

/**
 * PlaceOfBirth from FranceConnect's `birthplace` / `birthcountry`: the commune when there is
 * one (born in France), otherwise the country (born abroad: `birthplace` is empty). Undefined
 * when neither code is in the COG tables: the attribute is then unavailable, never invented.
 */
export function placeOfBirthLabel(birthplace: string | undefined, birthcountry: string | undefined): string | undefined {
  if (birthplace) return communeLabel(birthplace);
  if (birthcountry) return countryLabel(birthcountry);
  return undefined;
}

/** True when `birthcountry` says born in France. */
export function isBornInFrance(birthcountry: string | undefined): boolean {
  return birthcountry === COG_FRANCE;
}
