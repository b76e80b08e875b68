/**
 * Connector direction (an EU citizen, a French service): FS scopes → the attributes we ask the
 * foreign country for, then the verified eIDAS attributes → the pivot claims (DESIGN §2,
 * franceconnect.md §2.2 and §2.4, R-ATT-02..09, R-RSP-19, ATK-46, ATK-54).
 */
import { attributeDef, attributeLabel, classifyAttribute } from './attributes.ts';
import { refusePivot } from './errors.ts';
import { pairwiseSubFor, parseForeignPersonIdentifier, type Secret } from './identifiers.ts';
import type { ConnectorClaims, EidasIdentity } from './identity.ts';
import {
  GENDER_TO_EIDAS,
  NATURAL_ATTRIBUTES,
  SCOPE_ATTRIBUTES,
  type AttributeDef,
  type FcGender,
  type NaturalAttributeKey,
} from './tables.ts';
import { checkXsdDate, cleanText, MAX_NAME_LENGTH, MAX_PLACE_LENGTH } from './text.ts';

/** One `<saml2:AttributeValue>` as the SAML side read it; `latinScript` absent means true. */
export interface ReceivedValue {
  readonly value: string;
  readonly latinScript?: boolean;
}

/** One `<saml2:Attribute>` of the verified assertion. */
export interface ReceivedAttribute {
  readonly name: string;
  readonly values: readonly ReceivedValue[];
}

export interface ConnectorOptions {
  /** The country whose proxy service answered (its metadata's NodeCountry). */
  readonly issuingCountry: string;
  /** The configured sub secret, ≥ 32 bytes. */
  readonly subSecret: Secret;
  /** Whom the pairwise `sub` is for: the OIDC client's sector identifier or client id. */
  readonly sector: string;
}

/** The attributes to request for these FS scopes: the minimum data set always, `isRequired` true. */
export function scopesToRequestedAttributes(
  scopes: readonly string[],
): { readonly name: string; readonly friendlyName: string; readonly isRequired: boolean }[] {
  const keys = new Set<NaturalAttributeKey>();
  for (const scope of scopes) for (const key of SCOPE_ATTRIBUTES[scope] ?? []) keys.add(key);
  return NATURAL_ATTRIBUTES.filter((d) => d.mds || keys.has(d.key)).map((d) => ({
    name: d.name,
    friendlyName: d.friendlyName,
    isRequired: d.mds,
  }));
}

/** A place that reads as a COG code would be taken for a French commune or country: not passed. */
const COG_LIKE = /^(?:2[AB]|[0-9]{2})[0-9]{3}$/;

/** The Latin-script values (R-ATT-09): LatinScript absent or true. At least one is required. */
function latinValues(def: AttributeDef, values: readonly ReceivedValue[]): string[] {
  const latin = values.filter((v) => v.latinScript !== false).map((v) => v.value);
  if (latin.length === 0) refusePivot('ATTRIBUTE_INVALID', def.key);
  return latin;
}

function single(def: AttributeDef, values: readonly ReceivedValue[]): string {
  const latin = latinValues(def, values);
  if (latin.length !== 1) refusePivot('ATTRIBUTE_INVALID', def.key);
  return latin[0]!;
}

/** Several values joined with spaces (several given names); each, and the whole, a clean name. */
function joinedName(def: AttributeDef, values: readonly ReceivedValue[]): string {
  const parts = latinValues(def, values).map((v) => cleanText(v, MAX_NAME_LENGTH));
  const joined = parts.includes(undefined) ? undefined : cleanText(parts.join(' '), MAX_NAME_LENGTH);
  return joined ?? refusePivot('ATTRIBUTE_INVALID', def.key);
}

function originalScript(values: readonly ReceivedValue[]): string | undefined {
  const original = values.filter((v) => v.latinScript === false).map((v) => cleanText(v.value, MAX_NAME_LENGTH));
  return original.length > 0 && !original.includes(undefined) ? original.join(' ') : undefined;
}

/** Indexes the natural-person attributes we map; refuses duplicates, legal and representative ones. */
function indexAttributes(received: readonly ReceivedAttribute[]) {
  const mapped = new Map<NaturalAttributeKey, readonly ReceivedValue[]>();
  const seen = new Set<string>();
  const ignored: string[] = [];
  for (const { name, values } of received) {
    if (seen.has(name)) refusePivot('ATTRIBUTE_DUPLICATE', attributeLabel(name));
    seen.add(name);
    const kind = classifyAttribute(name);
    if (kind.kind === 'legal') refusePivot('LEGAL_PERSON_UNSUPPORTED', attributeLabel(name));
    if (kind.kind === 'representative') refusePivot('REPRESENTATIVE_UNSUPPORTED', attributeLabel(name));
    if (kind.kind !== 'natural' || !kind.def.connectorClaim) {
      ignored.push(attributeLabel(name));
      continue;
    }
    if (values.length === 0 || values.some((v) => typeof v.value !== 'string' || v.value === '')) {
      refusePivot('ATTRIBUTE_INVALID', kind.def.key);
    }
    mapped.set(kind.def.key, values);
  }
  for (const def of NATURAL_ATTRIBUTES) if (def.mds && !mapped.has(def.key)) refusePivot('ATTRIBUTE_MISSING', def.key);
  return { mapped, ignored };
}

/**
 * Verified eIDAS attributes → the pivot claims for French services. PersonIdentifier (issued by
 * `issuingCountry` for FR) → pairwise `sub`; given names joined with spaces; family name;
 * date of birth (a real xsd:date); PlaceOfBirth free text → `birthplace` (never read as a COG
 * code, never set when it looks like one); Gender lower-cased. Latin-script values are used;
 * originals are returned beside the claims. Unmapped natural-person attributes are ignored.
 */
export function eidasToPivot(received: readonly ReceivedAttribute[], options: ConnectorOptions): EidasIdentity {
  const { mapped, ignored } = indexAttributes(received);
  const get = (key: NaturalAttributeKey) => mapped.get(key)!;
  const pid = parseForeignPersonIdentifier(single(attributeDef('PersonIdentifier'), get('PersonIdentifier')), options.issuingCountry);
  const birthdate = checkXsdDate(single(attributeDef('DateOfBirth'), get('DateOfBirth')));
  if (!birthdate) refusePivot('ATTRIBUTE_INVALID', 'DateOfBirth');
  const claims: Record<string, string> = {
    sub: pairwiseSubFor(pid, options.sector, options.subSecret),
    given_name: joinedName(attributeDef('CurrentGivenName'), get('CurrentGivenName')),
    family_name: joinedName(attributeDef('CurrentFamilyName'), get('CurrentFamilyName')),
    birthdate,
  };
  if (mapped.has('Gender')) {
    const gender = single(attributeDef('Gender'), get('Gender'));
    const fc = (Object.keys(GENDER_TO_EIDAS) as FcGender[]).find((g) => GENDER_TO_EIDAS[g] === gender);
    claims.gender = fc ?? refusePivot('ATTRIBUTE_INVALID', 'Gender');
  }
  if (mapped.has('PlaceOfBirth')) {
    const place = cleanText(single(attributeDef('PlaceOfBirth'), get('PlaceOfBirth')), MAX_PLACE_LENGTH);
    if (place === undefined) refusePivot('ATTRIBUTE_INVALID', 'PlaceOfBirth');
    if (COG_LIKE.test(place.trim())) ignored.push('PlaceOfBirth');
    else claims.birthplace = place;
  }
  const given = originalScript(get('CurrentGivenName'));
  const family = originalScript(get('CurrentFamilyName'));
  return {
    origin: 'eidas',
    claims: claims as unknown as ConnectorClaims,
    personIdentifier: pid.value,
    issuingCountry: pid.issuingCountry,
    originalScript: { ...(given ? { given_name: given } : {}), ...(family ? { family_name: family } : {}) },
    ignoredAttributes: ignored,
  };
}
