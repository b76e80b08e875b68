/**
 * Proxy service direction (a French citizen, an EU service): requested eIDAS attributes →
 * FranceConnect scopes, then FranceConnect claims → eIDAS attribute values (DESIGN §2,
 * franceconnect.md §2.2–2.3, R-MSG-14..18, R-RSP-08, R-ATT-02..06).
 */
import { attributeDef, attributeLabel, classifyAttribute } from './attributes.ts';
import { placeOfBirthLabel } from './cog.ts';
import { refusePivot } from './errors.ts';
import { personIdentifierFor, type Secret } from './identifiers.ts';
import type { FranceConnectIdentity, PivotClaims } from './identity.ts';
import { GENDER_TO_EIDAS, NATURAL_ATTRIBUTES, type NaturalAttributeKey } from './tables.ts';
import { fcBirthdateToXsdDate } from './text.ts';

/** One `<eidas:RequestedAttribute>` as the SAML side read it (`isRequired` absent = false). */
export interface RequestedAttribute {
  readonly name: string;
  readonly isRequired: boolean;
}

export interface AttributeRequest {
  /** The attributes we will deliver, in table order. */
  readonly attributes: readonly { readonly key: NaturalAttributeKey; readonly required: boolean }[];
  /** Labels of optional requested names we ignore: unknown, or not deliverable (R-MSG-17). */
  readonly ignored: readonly string[];
}

/** One attribute of our assertion; every value non-empty (R-RSP-18), XML escaping left to the builder. */
export interface EidasAttribute {
  readonly name: string;
  readonly friendlyName: string;
  readonly xsiType: string;
  readonly values: readonly string[];
}

export interface ProxyAttributes {
  /** Also the persistent NameID of the Subject (R-RSP-10). */
  readonly personIdentifier: string;
  readonly attributes: readonly EidasAttribute[];
}

export interface ProxyOptions {
  /** Country of the requesting connector (its NodeCountry), e.g. `DE`, `EL`. */
  readonly requesterCountry: string;
  /** The configured PersonIdentifier secret, ≥ 32 bytes. */
  readonly identifierSecret: Secret;
}

/**
 * Reads the requested attributes. Refuses representative names (R-MSG-18), legal-person names
 * (not supported; natural and legal never mixed, R-MSG-16), duplicates, and any required
 * attribute we cannot deliver (R-RSP-08); ignores optional ones we do not know or deliver.
 */
export function readRequestedAttributes(requested: readonly RequestedAttribute[]): AttributeRequest {
  const seen = new Set<string>();
  const wanted = new Map<NaturalAttributeKey, boolean>();
  const ignored: string[] = [];
  for (const { name, isRequired } of requested) {
    if (seen.has(name)) refusePivot('ATTRIBUTE_DUPLICATE', attributeLabel(name));
    seen.add(name);
    const kind = classifyAttribute(name);
    if (kind.kind === 'representative') refusePivot('REPRESENTATIVE_UNSUPPORTED', attributeLabel(name));
    if (kind.kind === 'legal') refusePivot('LEGAL_PERSON_UNSUPPORTED', attributeLabel(name));
    if (kind.kind === 'natural' && kind.def.proxyScopes) {
      wanted.set(kind.def.key, isRequired === true);
    } else if (isRequired === true) {
      refusePivot('ATTRIBUTE_MISSING', attributeLabel(name));
    } else {
      ignored.push(attributeLabel(name));
    }
  }
  const attributes = NATURAL_ATTRIBUTES.filter((d) => wanted.has(d.key)).map((d) => ({
    key: d.key,
    required: wanted.get(d.key)!,
  }));
  return { attributes, ignored };
}

/** The FranceConnect scopes that feed the requested attributes; `openid` always first. */
export function attributesToScopes(request: AttributeRequest): string[] {
  const scopes = new Set<string>(['openid']);
  for (const { key } of request.attributes) for (const scope of attributeDef(key).proxyScopes ?? []) scopes.add(scope);
  return [...scopes];
}

/** How each delivered attribute is built from the claims; `undefined` = the source lacks it. */
const PROXY_VALUES: Partial<Record<NaturalAttributeKey, (c: PivotClaims) => string | undefined>> = {
  CurrentGivenName: (c) => c.given_name,
  /** The usage name when there is one, else the birth name. */
  CurrentFamilyName: (c) => c.preferred_username || c.family_name,
  /** First names and family name at birth in one string (R-ATT-02). */
  BirthName: (c) => (c.given_name && c.family_name ? `${c.given_name} ${c.family_name}` : undefined),
  DateOfBirth: (c) => (c.birthdate ? fcBirthdateToXsdDate(c.birthdate) : undefined),
  PlaceOfBirth: (c) => placeOfBirthLabel(c.birthplace, c.birthcountry),
  Gender: (c) => (c.gender ? GENDER_TO_EIDAS[c.gender] : undefined),
};

/**
 * FranceConnect identity → the attributes of our assertion, in table order. An optional
 * attribute the source lacks is omitted, never sent empty; a required one refuses the whole
 * identity (ATTRIBUTE_MISSING naming it), never a half identity.
 */
export function pivotToEidas(
  identity: FranceConnectIdentity,
  request: AttributeRequest,
  options: ProxyOptions,
): ProxyAttributes {
  const personIdentifier = personIdentifierFor(identity.claims.sub, options.requesterCountry, options.identifierSecret);
  const attributes: EidasAttribute[] = [];
  for (const { key, required } of request.attributes) {
    const def = attributeDef(key);
    const value = key === 'PersonIdentifier' ? personIdentifier : PROXY_VALUES[key]?.(identity.claims);
    if (value === undefined || value === '') {
      if (required) refusePivot('ATTRIBUTE_MISSING', key);
      continue;
    }
    attributes.push({ name: def.name, friendlyName: def.friendlyName, xsiType: def.xsiType, values: [value] });
  }
  return { personIdentifier, attributes };
}
