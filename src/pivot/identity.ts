/**
 * The pivot identity: FranceConnect's claims, the one shape that crosses the middle of the node.
 * `franceConnectToPivot` validates what FranceConnect sent (proxy service); `eidasToPivot`
 * (connector.ts) builds the same claims from a foreign eIDAS identity. The `origin` says which:
 * only a FranceConnect identity carries COG codes in `birthplace` / `birthcountry`.
 */
import { refusePivot } from './errors.ts';
import { COMMUNE_CODE, COUNTRY_CODE, isBornInFrance } from './cog.ts';
import {
  DEFAULT_SCOPES,
  GENDER_TO_EIDAS,
  OPTIONAL_CLAIMS,
  PIVOT_CLAIMS,
  SCOPE_CLAIMS,
  isFcScope,
  type FcGender,
  type PivotClaimName,
} from './tables.ts';
import { checkFcBirthdate, cleanText, MAX_NAME_LENGTH } from './text.ts';

/**
 * FranceConnect's claims (franceconnect.md §3.4), after validation. From FranceConnect, each
 * claim is there whenever its scope was granted (all of them with the default scopes); an
 * eIDAS identity always has the minimum data set (see ConnectorClaims).
 */
export interface PivotClaims {
  /** Pairwise subject: FranceConnect's (proxy) or ours (connector); printable ASCII. */
  readonly sub: string;
  /** Given names, space-separated, in one string. */
  readonly given_name?: string;
  /** Birth name (FranceConnect); the current family name (connector). */
  readonly family_name?: string;
  /** `YYYY-MM-DD`; from FranceConnect also the presumed `YYYY-MM-00` / `YYYY-00-00`. */
  readonly birthdate?: string;
  readonly gender?: FcGender;
  /** Usage name; absent when the citizen has none. */
  readonly preferred_username?: string;
  /** FranceConnect: INSEE COG commune code, `''` when born abroad. Connector: free text. */
  readonly birthplace?: string;
  /** FranceConnect only: INSEE COG country code (99xxx), `99100` = France. */
  readonly birthcountry?: string;
  readonly email?: string;
}

export interface FranceConnectIdentity {
  readonly origin: 'franceconnect';
  readonly claims: PivotClaims;
}

/** The claims of an eIDAS identity: the minimum data set is always there, never birthcountry. */
export interface ConnectorClaims extends PivotClaims {
  readonly given_name: string;
  readonly family_name: string;
  /** Always a full `YYYY-MM-DD`. */
  readonly birthdate: string;
  /** Free text from the foreign country, never a COG code. */
  readonly birthplace?: string;
  readonly birthcountry?: never;
}

export interface EidasIdentity {
  readonly origin: 'eidas';
  readonly claims: ConnectorClaims;
  /** The validated foreign PersonIdentifier (personal data: store, never log). */
  readonly personIdentifier: string;
  readonly issuingCountry: string;
  /** Original-script values received beside the Latin ones (R-ATT-09); no claim carries them yet. */
  readonly originalScript: { readonly given_name?: string; readonly family_name?: string };
  /** Names of the attributes received and not mapped (to log; values are not kept). */
  readonly ignoredAttributes: readonly string[];
}

export type PivotIdentity = FranceConnectIdentity | EidasIdentity;

type Check = (value: unknown) => unknown;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** One format check per claim; `undefined` = invalid. */
const CLAIM_CHECKS: Readonly<Record<PivotClaimName, Check>> = {
  sub: (v) => (typeof v === 'string' && /^[\x21-\x7e]{1,256}$/.test(v) ? v : undefined),
  given_name: (v) => cleanText(v, MAX_NAME_LENGTH),
  family_name: (v) => cleanText(v, MAX_NAME_LENGTH),
  preferred_username: (v) => (v === '' ? '' : cleanText(v, MAX_NAME_LENGTH)),
  birthdate: checkFcBirthdate,
  gender: (v) => (typeof v === 'string' && Object.hasOwn(GENDER_TO_EIDAS, v) ? v : undefined),
  birthplace: (v) => (v === '' || (typeof v === 'string' && COMMUNE_CODE.test(v)) ? v : undefined),
  birthcountry: (v) => (typeof v === 'string' && COUNTRY_CODE.test(v) ? v : undefined),
  email: (v) => (typeof v === 'string' && v.length <= 254 && EMAIL.test(v) ? cleanText(v, 254) : undefined),
};

/** The claims FranceConnect must return for these scopes (all but the optional ones). */
export function mandatoryClaimsFor(scopes: readonly string[]): PivotClaimName[] {
  const claims = new Set<PivotClaimName>(['sub']);
  for (const scope of scopes) if (isFcScope(scope)) for (const claim of SCOPE_CLAIMS[scope]) claims.add(claim);
  return PIVOT_CLAIMS.filter((c) => claims.has(c) && !OPTIONAL_CLAIMS.includes(c));
}

/**
 * Proxy service: validates the claims FranceConnect returned (id_token + userinfo, merged by the
 * caller) into a pivot identity. Every claim of the requested scopes must be there (an empty
 * `preferred_username` counts as none); every known claim present must have its format; claims
 * we do not know (acr, amr, idp_id…) are left out. Throws CLAIM_MISSING / CLAIM_INVALID naming
 * the claim, never its value.
 */
export function franceConnectToPivot(
  claims: unknown,
  options: { readonly scopes?: readonly string[] } = {},
): FranceConnectIdentity {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) refusePivot('CLAIM_INVALID', 'claims');
  const source = claims as Record<string, unknown>;
  for (const name of mandatoryClaimsFor(options.scopes ?? DEFAULT_SCOPES)) {
    if (!Object.hasOwn(source, name) || source[name] === undefined || source[name] === null) {
      refusePivot('CLAIM_MISSING', name);
    }
  }
  const out: Record<string, unknown> = {};
  for (const name of PIVOT_CLAIMS) {
    if (!Object.hasOwn(source, name) || source[name] === undefined || source[name] === null) continue;
    const value = CLAIM_CHECKS[name](source[name]);
    if (value === undefined) refusePivot('CLAIM_INVALID', name);
    if (value !== '' || name === 'birthplace') out[name] = value;
  }
  checkBirthplaceCountry(out.birthplace as string | undefined, out.birthcountry as string | undefined);
  return { origin: 'franceconnect', claims: out as unknown as PivotClaims };
}

/** Born in France ⇔ a commune code in `birthplace`; born abroad ⇔ `birthplace` empty. */
function checkBirthplaceCountry(birthplace: string | undefined, birthcountry: string | undefined): void {
  if (birthplace === undefined || birthcountry === undefined) return;
  if (isBornInFrance(birthcountry) !== (birthplace !== '')) refusePivot('CLAIM_INVALID', 'birthplace');
}
