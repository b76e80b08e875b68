/**
 * The pivot identity out of verified userinfo claims: only the claims the requested scopes
 * release are kept, each one type- and format-checked (franceconnect.md §2.3, §3.4); every
 * requested claim but the optional usage name must be there. Values are returned exactly as
 * FranceConnect sent them: no trimming, no escaping (the SAML builder escapes).
 */
import { COG_FRANCE, OPTIONAL_CLAIMS, SCOPE_CLAIMS, type FcScope, type PivotClaimName } from '../../pivot/index.ts';
import { rpError } from './errors.ts';

export interface PivotClaims {
  given_name?: string;
  family_name?: string;
  preferred_username?: string;
  /** YYYY-MM-DD, or YYYY-MM-00 / YYYY-00-00 when presumed. */
  birthdate?: string;
  gender?: 'male' | 'female';
  /** INSEE COG commune code; '' when born abroad. */
  birthplace?: string;
  /** INSEE COG country code, 99100 for France. */
  birthcountry?: string;
  email?: string;
}

type ClaimName = keyof PivotClaims;

/** C0 and C1 controls have no place in a name (and most cannot be written in XML 1.0). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const NAME = (v: string) => v.length >= 1 && v.length <= 256 && !CONTROL.test(v);
const BIRTHDATE = /^[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[0-9]|[12][0-9]|3[01])|00-00)$/;
const COG_COMMUNE = /^(?:2[AB]|[0-9]{2})[0-9]{3}$/;
const COG_COUNTRY = /^99[0-9]{3}$/;
const EMAIL = /^[^\s@\u0000-\u001f]{1,64}@[^\s@\u0000-\u001f]{1,255}$/;

const FORMATS: Readonly<Record<ClaimName, (v: string) => boolean>> = {
  given_name: NAME,
  family_name: NAME,
  preferred_username: NAME,
  birthdate: (v) => BIRTHDATE.test(v),
  gender: (v) => v === 'male' || v === 'female',
  birthplace: (v) => v === '' || COG_COMMUNE.test(v),
  birthcountry: (v) => COG_COUNTRY.test(v),
  email: (v) => EMAIL.test(v),
};

const OPTIONAL: ReadonlySet<PivotClaimName> = new Set(OPTIONAL_CLAIMS);

/** `sub` (released by `openid`) is not read here: claims.ts checks it against the id_token's. */
const isUserinfoClaim = (name: PivotClaimName): name is ClaimName => name !== 'sub';

export function claimsOfScopes(scopes: readonly FcScope[]): ClaimName[] {
  return [...new Set(scopes.flatMap((s): readonly PivotClaimName[] => SCOPE_CLAIMS[s]).filter(isUserinfoClaim))];
}

function readClaim(userinfo: Record<string, unknown>, name: ClaimName): string | undefined {
  const value = userinfo[name];
  if (OPTIONAL.has(name) && (value === undefined || value === null || value === '')) return undefined;
  if (value === undefined || value === null) {
    throw rpError('OIDC_IDENTITY', `requested claim ${name} is missing`);
  }
  if (typeof value !== 'string' || !FORMATS[name](value)) throw rpError('OIDC_IDENTITY', `claim ${name} has a wrong format`);
  return value;
}

/** Born in France: the commune is mandatory (FranceConnect checks it only then, §3.4). */
function checkPlaceOfBirth(claims: PivotClaims): void {
  if (claims.birthcountry === COG_FRANCE && claims.birthplace === '') {
    throw rpError('OIDC_IDENTITY', 'birthplace is empty for a person born in France');
  }
}

export function pivotIdentity(userinfo: Record<string, unknown>, scopes: readonly FcScope[]): PivotClaims {
  const out: Record<string, string> = {};
  for (const name of claimsOfScopes(scopes)) {
    const value = readClaim(userinfo, name);
    if (value !== undefined) out[name] = value;
  }
  const claims = out as PivotClaims;
  checkPlaceOfBirth(claims);
  return claims;
}
