/**
 * The mapping tables of DESIGN.md §2, as data, in one place. The functions of the other files
 * of src/pivot only read these tables; changing a mapping means changing a line here.
 * Sources: DESIGN.md §2, franceconnect.md §2–3, eidas-spec.md R-MSG-21..23 and R-ATT-02/06/07/08,
 * and the EU reference node's attribute registry (test/fixtures/vectors/eidas-eu-mock/eidas-attributes.xml).
 */

// ---------------------------------------------------------------- levels of assurance

/** Notified eIDAS levels, lowest first (R-MSG-23). */
export const NOTIFIED_LOAS = ['low', 'substantial', 'high'] as const;
export type NotifiedLoa = (typeof NOTIFIED_LOAS)[number];

/** Notified AuthnContextClassRef URIs, compared as exact strings (ATK-44). */
export const LOA_URI: Readonly<Record<NotifiedLoa, string>> = {
  low: 'http://eidas.europa.eu/LoA/low',
  substantial: 'http://eidas.europa.eu/LoA/substantial',
  high: 'http://eidas.europa.eu/LoA/high',
};

/** Every URI under this prefix that is not in LOA_URI is malformed (R-MSG-23)... */
export const NOTIFIED_PREFIX = 'http://eidas.europa.eu/LoA/';
/** ...except the legacy non-notified form, recognised as non-notified, never as notified. */
export const LEGACY_NON_NOTIFIED_PREFIX = 'http://eidas.europa.eu/LoA/NotNotified/';
/** Non-notified URIs defined by [MF §3.1]; other member-state URIs are recognised too. */
export const NON_NOTIFIED_URI: Readonly<Record<NotifiedLoa, string>> = {
  low: 'http://eidas.europa.eu/NotNotified/LoA/low',
  substantial: 'http://eidas.europa.eu/NotNotified/LoA/substantial',
  high: 'http://eidas.europa.eu/NotNotified/LoA/high',
};

/** The Comparison values eIDAS allows: `minimum` for notified, `exact` for non-notified (R-MSG-21/22). */
export const COMPARISONS = ['minimum', 'exact'] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** FranceConnect `acr` values, lowest first (franceconnect.md §3.2, §3.3). */
export const FC_ACRS = ['eidas1', 'eidas2', 'eidas3'] as const;
export type FcAcr = (typeof FC_ACRS)[number];

export function isFcAcr(value: unknown): value is FcAcr {
  return typeof value === 'string' && (FC_ACRS as readonly string[]).includes(value);
}

/** FranceConnect `acr` → the eIDAS level it certifies; read both ways, never shifted (no promotion). */
export const ACR_TO_LOA: Readonly<Record<FcAcr, NotifiedLoa>> = {
  eidas1: 'low',
  eidas2: 'substantial',
  eidas3: 'high',
};

export const LOA_TO_ACR: Readonly<Record<NotifiedLoa, FcAcr>> = {
  low: 'eidas1',
  substantial: 'eidas2',
  high: 'eidas3',
};

/** The JWS algorithms FranceConnect signs id_token and userinfo with (franceconnect.md §3.1, §3.3). */
export const FC_SIGNING_ALGS = ['ES256', 'RS256', 'HS256'] as const;
export type FcSigningAlg = (typeof FC_SIGNING_ALGS)[number];

export interface FranceConnectPlatform {
  /** The `acr` values the platform offers and returns, lowest first. */
  readonly acrValues: readonly FcAcr[];
  /** The `acr` the platform grants when no `acr_values` is asked. */
  readonly defaultAcr: FcAcr;
  /** The signature algorithms a client of the platform may be pinned to. */
  readonly signingAlgs: readonly FcSigningAlg[];
}

/**
 * The two FranceConnect platforms (franceconnect.md §3.2, §3.3). FranceConnect+ offers eidas2
 * and eidas3 (missing means eidas3; eidas1 is refused) and signs ES256 or RS256; FranceConnect
 * (low) offers eidas1 only and still allows HS256, keyed with the client secret.
 */
export const FC_PLATFORMS = {
  'franceconnect-plus': { acrValues: ['eidas2', 'eidas3'], defaultAcr: 'eidas3', signingAlgs: ['ES256', 'RS256'] },
  franceconnect: { acrValues: ['eidas1'], defaultAcr: 'eidas1', signingAlgs: ['ES256', 'RS256', 'HS256'] },
} as const satisfies Record<string, FranceConnectPlatform>;
export type FcPlatformName = keyof typeof FC_PLATFORMS;

/** FranceConnect's level when the FS sends no usable `acr_values` (FC+: "missing means eidas3"). */
export const DEFAULT_FS_ACR: FcAcr = FC_PLATFORMS['franceconnect-plus'].defaultAcr;

// ---------------------------------------------------------------- FranceConnect claims and scopes

export const PIVOT_CLAIMS = [
  'sub',
  'given_name',
  'family_name',
  'preferred_username',
  'birthdate',
  'gender',
  'birthplace',
  'birthcountry',
  'email',
] as const;
export type PivotClaimName = (typeof PIVOT_CLAIMS)[number];

/** Claims that may be absent even when their scope was granted. */
export const OPTIONAL_CLAIMS: readonly PivotClaimName[] = ['preferred_username'];

/**
 * FranceConnect scope → the claims it releases (franceconnect.md §3.2); one scope per claim too.
 * `openid` releases `sub`: a consumer that checks `sub` elsewhere (the RP, against the id_token)
 * leaves it out itself.
 */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['family_name', 'given_name', 'preferred_username', 'gender', 'birthdate'],
  birth: ['birthplace', 'birthcountry'],
  identite_pivot: ['given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry'],
  email: ['email'],
  given_name: ['given_name'],
  family_name: ['family_name'],
  preferred_username: ['preferred_username'],
  birthdate: ['birthdate'],
  gender: ['gender'],
  birthplace: ['birthplace'],
  birthcountry: ['birthcountry'],
} as const satisfies Record<string, readonly PivotClaimName[]>;
export type FcScope = keyof typeof SCOPE_CLAIMS;
export const FC_SCOPES = Object.keys(SCOPE_CLAIMS) as FcScope[];

/** True for a scope of SCOPE_CLAIMS (own keys only: `constructor` is not a scope). */
export function isFcScope(value: unknown): value is FcScope {
  return typeof value === 'string' && Object.hasOwn(SCOPE_CLAIMS, value);
}

/** Scopes assumed when the caller does not say which were asked: the pivot identity. */
export const DEFAULT_SCOPES: readonly FcScope[] = ['openid', 'identite_pivot'];

/** COG code of France in `birthcountry` (franceconnect.md §3.4). */
export const COG_FRANCE = '99100';

/** FranceConnect `gender` ↔ eIDAS Gender (R-ATT-06); read both ways. */
export const GENDER_TO_EIDAS = { male: 'Male', female: 'Female', unspecified: 'Unspecified' } as const;
export type FcGender = keyof typeof GENDER_TO_EIDAS;
export type EidasGender = (typeof GENDER_TO_EIDAS)[FcGender];

// ---------------------------------------------------------------- eIDAS attributes

export const NATURAL_PERSON_PREFIX = 'http://eidas.europa.eu/attributes/naturalperson/';
export const LEGAL_PERSON_PREFIX = 'http://eidas.europa.eu/attributes/legalperson/';
export const REPRESENTATIVE_PREFIXES = [
  `${NATURAL_PERSON_PREFIX}representative/`,
  `${LEGAL_PERSON_PREFIX}representative/`,
] as const;

export const NATURAL_ATTRIBUTE_KEYS = [
  'PersonIdentifier',
  'CurrentFamilyName',
  'CurrentGivenName',
  'DateOfBirth',
  'BirthName',
  'PlaceOfBirth',
  'CurrentAddress',
  'Gender',
  'PhoneNumber',
  'Nationality',
  'CountryOfBirth',
  'TownOfBirth',
  'CountryOfResidence',
  'EmailAddress',
] as const;
export type NaturalAttributeKey = (typeof NATURAL_ATTRIBUTE_KEYS)[number];

export interface AttributeDef {
  readonly key: NaturalAttributeKey;
  /** Attribute Name URI (NameFormat uri, R-ATT-01). */
  readonly name: string;
  /** FriendlyName tied to the Name by the attribute profile and the reference registry. */
  readonly friendlyName: string;
  /** Local part of the xsi:type in the natural-person namespace. */
  readonly xsiType: string;
  /** Mandatory in the natural-person minimum data set (registry `Required=true`). */
  readonly mds: boolean;
  /** Proxy service: the FranceConnect scopes that feed it; absent = we cannot deliver it. */
  readonly proxyScopes?: readonly string[];
  /** Connector: the claim it becomes; absent = received and ignored. */
  readonly connectorClaim?: PivotClaimName;
}

function natural(
  key: NaturalAttributeKey,
  friendlyName: string,
  more: Partial<Pick<AttributeDef, 'mds' | 'proxyScopes' | 'connectorClaim'>> = {},
): AttributeDef {
  return { key, name: NATURAL_PERSON_PREFIX + key, friendlyName, xsiType: `${key}Type`, mds: false, ...more };
}

/** DESIGN §2 "Attributes (natural person)" and franceconnect.md §2.2, in registry order. */
export const NATURAL_ATTRIBUTES: readonly AttributeDef[] = [
  natural('PersonIdentifier', 'PersonIdentifier', { mds: true, proxyScopes: ['openid'], connectorClaim: 'sub' }),
  natural('CurrentFamilyName', 'FamilyName', {
    mds: true,
    proxyScopes: ['family_name', 'preferred_username'],
    connectorClaim: 'family_name',
  }),
  natural('CurrentGivenName', 'FirstName', { mds: true, proxyScopes: ['given_name'], connectorClaim: 'given_name' }),
  natural('DateOfBirth', 'DateOfBirth', { mds: true, proxyScopes: ['birthdate'], connectorClaim: 'birthdate' }),
  natural('BirthName', 'BirthName', { proxyScopes: ['given_name', 'family_name'] }),
  natural('PlaceOfBirth', 'PlaceOfBirth', { proxyScopes: ['birthplace', 'birthcountry'], connectorClaim: 'birthplace' }),
  natural('CurrentAddress', 'CurrentAddress'),
  natural('Gender', 'Gender', { proxyScopes: ['gender'], connectorClaim: 'gender' }),
  natural('PhoneNumber', 'PhoneNumber'),
  natural('Nationality', 'Nationality'),
  natural('CountryOfBirth', 'CountryOfBirth'),
  natural('TownOfBirth', 'TownOfBirth'),
  natural('CountryOfResidence', 'CountryOfResidence'),
  natural('EmailAddress', 'EmailAddress'),
];

/** Legal-person attribute Name suffixes (R-ATT-07): recognised, then refused. */
export const LEGAL_PERSON_KEYS = [
  'LegalPersonIdentifier',
  'LegalName',
  'LegalPersonAddress',
  'VATRegistrationNumber',
  'TaxReference',
  'D-2012-17-EUIdentifier',
  'LEI',
  'EORI',
  'SEED',
  'SIC',
  'LegalPhoneNumber',
  'LegalEmailAddress',
] as const;

/** Connector: FS scopes → attributes asked of the foreign country (franceconnect.md §2.2). */
export const SCOPE_ATTRIBUTES: Readonly<Record<string, readonly NaturalAttributeKey[]>> = {
  openid: ['PersonIdentifier'],
  profile: ['Gender', 'DateOfBirth', 'CurrentGivenName', 'CurrentFamilyName'],
  identite_pivot: ['CurrentGivenName', 'CurrentFamilyName', 'DateOfBirth', 'Gender', 'PlaceOfBirth'],
  birth: ['PlaceOfBirth'],
  gender: ['Gender'],
  birthdate: ['DateOfBirth'],
  birthplace: ['PlaceOfBirth'],
  given_name: ['CurrentGivenName'],
  family_name: ['CurrentFamilyName'],
  preferred_username: ['CurrentFamilyName'],
};
