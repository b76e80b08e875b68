/**
 * Rebuilds the INSEE COG tables of the mapping core (src/pivot/data/cog-*.json) from public
 * INSEE data. Re-runnable; see src/pivot/data/README.md for the sources, versions and licence.
 *
 *   node --import tsx scripts/extract-cog.ts --communes <path to communes.json of
 *        @etalab/decoupage-administratif> [--out src/pivot/data]
 *
 * Communes: every code of the package's commune list (communes, municipal arrondissements such
 * as 75107, delegated and associated communes); when a code appears twice the current commune
 * wins. Codes listed only as `anciensCodes` of a current commune get that commune's name.
 * Countries: scripts/cog-sources/franceconnect-country.csv first (the INSEE list the
 * FranceConnect eIDAS bridge labels with), completed by the INSEE 2021 file beside it for codes
 * it lacks (former countries such as 99115). These CSVs are inputs of this script only, never
 * read at run time. ISO codes are cross-checked between the two files and
 * against the ICU region names of Node; the script stops on any disagreement it cannot explain.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const PACKAGE = '@etalab/decoupage-administratif@6.0.0';
const SOURCES = new URL('./cog-sources/', import.meta.url);
const TYPE_RANK: Record<string, number> = {
  'commune-actuelle': 0,
  'arrondissement-municipal': 1,
  'commune-deleguee': 2,
  'commune-associee': 3,
};
const COMMUNE_CODE = /^(?:2[AB]|[0-9]{2})[0-9]{3}$/;
const COUNTRY_CODE = /^99[0-9]{3}$/;
const ACTUAL_RANK: Record<string, number> = { '1': 0, '4': 1, '2': 2, '3': 3 };

interface CommuneRow {
  code: string;
  nom: string;
  type: string;
  anciensCodes?: string[];
}

function fail(message: string): never {
  process.stderr.write(`extract-cog: ${message}\n`);
  process.exit(1);
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted || (c !== ',' && c !== '\n' && c !== '\r')) {
      field += c;
    } else if (c === ',') {
      endField();
    } else if (c === '\n') {
      endField();
      rows.push(row);
      row = [];
    }
  }
  if (field !== '' || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}

function records(file: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(new URL(file, SOURCES), 'utf8'));
  if (!header) fail(`${file} is empty`);
  return rows.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])));
}

function extractCommunes(path: string): Record<string, string> {
  const rows = JSON.parse(readFileSync(path, 'utf8')) as CommuneRow[];
  const best = new Map<string, CommuneRow>();
  for (const row of rows) {
    if (!COMMUNE_CODE.test(row.code) || TYPE_RANK[row.type] === undefined) fail(`unexpected row ${row.code}`);
    const seen = best.get(row.code);
    if (!seen || TYPE_RANK[row.type]! < TYPE_RANK[seen.type]!) best.set(row.code, row);
  }
  const names = new Map([...best].map(([code, row]) => [code, row.nom]));
  for (const row of rows.filter((r) => r.type === 'commune-actuelle')) {
    for (const old of row.anciensCodes ?? []) if (!names.has(old)) names.set(old, row.nom);
  }
  return Object.fromEntries([...names].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function checkIso(code: string, iso2: string, regions: Intl.DisplayNames): void {
  if (!/^[A-Z]{2}$/.test(iso2) || regions.of(iso2) === undefined) fail(`${code}: unknown ISO code ${iso2}`);
}

function extractCountries(): Record<string, [string, string] | [string]> {
  const regions = new Intl.DisplayNames(['fr'], { type: 'region', fallback: 'none' });
  const out = new Map<string, [string, string] | [string]>();
  for (const r of records('franceconnect-country.csv')) {
    if (!COUNTRY_CODE.test(r.COG!) || !r.LIBCOG) fail(`bad row ${JSON.stringify(r)}`);
    checkIso(r.COG!, r.CODEISO2!, regions);
    out.set(r.COG!, [r.LIBCOG!, r.CODEISO2!]);
  }
  const insee = records('insee-pays2021.csv').filter((r) => COUNTRY_CODE.test(r.COG!));
  insee.sort((a, b) => ACTUAL_RANK[a.ACTUAL!]! - ACTUAL_RANK[b.ACTUAL!]!);
  const disagreements: string[] = [];
  for (const r of insee) {
    const known = out.get(r.COG!);
    if (known) {
      if (r.ACTUAL === '1' && known[1] !== r.CODEISO2) fail(`${r.COG}: ISO ${known[1]} vs INSEE 2021 ${r.CODEISO2}`);
      if (r.ACTUAL !== '1' && r.CODEISO2 && known[1] !== r.CODEISO2) disagreements.push(`${r.COG} ${r.CODEISO2}`);
      continue;
    }
    const iso2 = r.CODEISO2 && regions.of(r.CODEISO2) !== undefined ? r.CODEISO2 : undefined;
    out.set(r.COG!, iso2 ? [r.LIBCOG!, iso2] : [r.LIBCOG!]);
    process.stdout.write(`  from INSEE 2021: ${r.COG} ${r.LIBCOG} ${iso2 ?? '(no ISO code)'}\n`);
  }
  if (disagreements.length) process.stdout.write(`  territories kept from the newer list: ${disagreements.join(', ')}\n`);
  return Object.fromEntries([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function main(): void {
  const { values } = parseArgs({
    options: {
      communes: { type: 'string', default: 'node_modules/@etalab/decoupage-administratif/data/communes.json' },
      out: { type: 'string', default: 'src/pivot/data' },
    },
  });
  const communesPath = values.communes!;
  if (!existsSync(communesPath)) fail(`${communesPath} not found: npm pack ${PACKAGE} and pass --communes`);
  const communes = extractCommunes(communesPath);
  const countries = extractCountries();
  const communesSource = `INSEE COG via npm ${PACKAGE}, data/communes.json sha256 ${sha256(readFileSync(communesPath))}`;
  // The label keeps the inputs' historical `sources/` prefix so that the same inputs rebuild a
  // byte-identical table; the files themselves are in scripts/cog-sources/.
  const countriesSource =
    'INSEE COG country list: sources/franceconnect-country.csv sha256 ' +
    `${sha256(readFileSync(new URL('franceconnect-country.csv', SOURCES)))}, completed by sources/insee-pays2021.csv`;
  writeFileSync(join(values.out!, 'cog-communes.json'), JSON.stringify({ source: communesSource, communes }) + '\n');
  writeFileSync(join(values.out!, 'cog-countries.json'), JSON.stringify({ source: countriesSource, countries }, null, 0) + '\n');
  process.stdout.write(`communes: ${Object.keys(communes).length}, countries: ${Object.keys(countries).length}\n`);
}

main();
