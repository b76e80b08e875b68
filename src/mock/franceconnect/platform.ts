/**
 * What the two FranceConnect platforms offer (franceconnect.md §3): FranceConnect+ speaks
 * eidas2/eidas3 (default eidas3, eidas1 refused), FranceConnect (low) only eidas1 and still
 * allows HS256. Scopes and the claims they release are those of FranceConnect v2.
 */
export const MOCK_PLATFORMS = ['franceconnect-plus', 'franceconnect'] as const;
export type MockPlatform = (typeof MOCK_PLATFORMS)[number];

export interface PlatformProfile {
  acrValues: readonly string[];
  defaultAcr: string;
  signingAlgs: readonly ('ES256' | 'RS256' | 'HS256')[];
}

export const PLATFORM_PROFILES: Readonly<Record<MockPlatform, PlatformProfile>> = {
  'franceconnect-plus': { acrValues: ['eidas2', 'eidas3'], defaultAcr: 'eidas3', signingAlgs: ['ES256', 'RS256'] },
  franceconnect: { acrValues: ['eidas1'], defaultAcr: 'eidas1', signingAlgs: ['ES256', 'RS256', 'HS256'] },
};

const PIVOT = ['given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry'] as const;

/** scope → claims released (one scope per claim, plus the grouped scopes). */
export const SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  openid: ['sub'],
  profile: ['family_name', 'given_name', 'preferred_username', 'gender', 'birthdate'],
  birth: ['birthplace', 'birthcountry'],
  identite_pivot: PIVOT,
  given_name: ['given_name'],
  family_name: ['family_name'],
  preferred_username: ['preferred_username'],
  birthdate: ['birthdate'],
  gender: ['gender'],
  birthplace: ['birthplace'],
  birthcountry: ['birthcountry'],
  email: ['email'],
};

/**
 * The acr granted for the requested `acr_values`: the highest requested level the platform
 * offers; the platform default when none was asked. `undefined` when only levels the
 * platform does not offer were asked (FranceConnect+ refuses eidas1).
 */
export function grantedAcr(profile: PlatformProfile, requested: string | undefined): string | undefined {
  const asked = (requested ?? '').split(' ').filter((v) => v.length > 0);
  if (asked.length === 0) return profile.defaultAcr;
  const offered = profile.acrValues.filter((v) => asked.includes(v));
  return offered[offered.length - 1];
}
