/**
 * The proxy-service pairing as tables (issue 4 "Tables"): every LoA combination requested ×
 * returned by FranceConnect × levels we deliver, for both FranceConnect platforms (R-RSP-14/15,
 * ATK-44, ATK-63: never above what FranceConnect returned, never below the request); and how
 * every failure after the requester was verified is answered (DESIGN §1 step 7).
 */
import { describe, expect, it } from 'vitest';
import { OidcRpError, OIDC_RP_REASONS, type Acr, type VerifiedLogin } from '../../src/back/oidc-rp/index.ts';
import { classifyFailure, FlowError, franceConnectRequestOf, outcomeOf } from '../../src/flow/index.ts';
import type { ValidatedRequest } from '../../src/front/saml-idp/index.ts';
import { PivotError, type FcPlatformName } from '../../src/pivot/index.ts';

const URI = { low: 'http://eidas.europa.eu/LoA/low', substantial: 'http://eidas.europa.eu/LoA/substantial', high: 'http://eidas.europa.eu/LoA/high' } as const;
type Level = keyof typeof URI;
const ORDER: Level[] = ['low', 'substantial', 'high'];
const N = 'http://eidas.europa.eu/attributes/naturalperson/';
const SECRET = 'a-test-secret-of-at-least-32-bytes-long';
const NOW = new Date('2026-11-26T10:00:00Z');

/** A minimum request as the SAML front validates it: acceptable = what we deliver at or above it. */
type Requested = ReadonlyArray<readonly [string, boolean]>;
const MDS_AND_BIRTH_NAME: Requested = [['PersonIdentifier', true], ['CurrentFamilyName', true], ['BirthName', false]];

function request(level: Level, delivered: Level[], attributes: Requested = MDS_AND_BIRTH_NAME): ValidatedRequest {
  return {
    peerEntityId: 'https://connector.example.eu/metadata', acsUrl: 'https://connector.example.eu/acs', requestId: '_r1',
    binding: 'HTTP-POST', country: 'DE', issueInstant: NOW.toISOString(), spType: 'public',
    nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    loa: { comparison: 'minimum', requested: [URI[level]], acceptable: ORDER.filter((l) => delivered.includes(l) && ORDER.indexOf(l) >= ORDER.indexOf(level)).map((l) => URI[l]) },
    attributes: attributes.map(([name, isRequired]) => ({ name: `${N}${name}`, friendlyName: name, isRequired })),
  };
}

function login(acr: Acr, claims: VerifiedLogin['claims'] = { given_name: 'Angela', family_name: 'DUBOIS', preferred_username: 'MARTIN' }): VerifiedLogin {
  return { issuer: 'https://fc.example', sub: 'sub-1', acr, authTime: NOW.getTime() / 1000 - 60, claims, idTokenHint: 'h.p.s' };
}

function reported(platform: FcPlatformName, level: Level, delivered: Level[], acr: Acr): string {
  try {
    return outcomeOf(request(level, delivered), login(acr), { platform, identifierSecret: SECRET }, NOW).loa;
  } catch (e) {
    return `refused: ${classifyFailure(e).failure}`;
  }
}

describe('LoA: requested × returned by FranceConnect × delivered', () => {
  const NOT_MET = 'refused: LOA_NOT_MET';
  const plus: Array<[Level, Level[], Record<Acr, string>]> = [
    ['low', ['substantial', 'high'], { eidas1: NOT_MET, eidas2: URI.substantial, eidas3: URI.high }],
    ['substantial', ['substantial', 'high'], { eidas1: NOT_MET, eidas2: URI.substantial, eidas3: URI.high }],
    ['high', ['substantial', 'high'], { eidas1: NOT_MET, eidas2: NOT_MET, eidas3: URI.high }],
    // We publish substantial only: eidas3 is reported as substantial (below what FC reached, not below the request).
    ['substantial', ['substantial'], { eidas1: NOT_MET, eidas2: URI.substantial, eidas3: URI.substantial }],
    ['low', ['low', 'substantial', 'high'], { eidas1: NOT_MET, eidas2: URI.substantial, eidas3: URI.high }],
  ];
  for (const [level, delivered, expected] of plus) {
    for (const acr of ['eidas1', 'eidas2', 'eidas3'] as const) {
      it(`R-RSP-14/15, ATK-63 (FranceConnect+): ${level} requested, we deliver ${delivered.join('+')}, FranceConnect returns ${acr} → ${expected[acr]}`, () => {
        expect(reported('franceconnect-plus', level, delivered, acr)).toBe(expected[acr]);
      });
    }
  }

  const low: Array<[Level, Record<Acr, string>]> = [
    ['low', { eidas1: URI.low, eidas2: NOT_MET, eidas3: NOT_MET }],
    ['substantial', { eidas1: NOT_MET, eidas2: NOT_MET, eidas3: NOT_MET }],
  ];
  for (const [level, expected] of low) {
    for (const acr of ['eidas1', 'eidas2', 'eidas3'] as const) {
      it(`ATK-63 (FranceConnect, eidas1 only): ${level} requested, FranceConnect returns ${acr} → ${expected[acr]}`, () => {
        expect(reported('franceconnect', level, ['low', 'substantial', 'high'], acr)).toBe(expected[acr]);
      });
    }
  }

  it('R-MSG-24: what FranceConnect is asked: the lowest acr reaching the lowest level we can report', () => {
    const asked = (platform: FcPlatformName, level: Level, delivered: Level[]) => franceConnectRequestOf(request(level, delivered), platform).acrValues;
    expect(asked('franceconnect-plus', 'low', ['substantial', 'high'])).toEqual(['eidas2']);
    expect(asked('franceconnect-plus', 'substantial', ['substantial', 'high'])).toEqual(['eidas2']);
    expect(asked('franceconnect-plus', 'substantial', ['high'])).toEqual(['eidas3']);
    expect(asked('franceconnect-plus', 'high', ['substantial', 'high'])).toEqual(['eidas3']);
    expect(asked('franceconnect', 'low', ['low'])).toEqual(['eidas1']);
    expect(() => asked('franceconnect', 'substantial', ['substantial'])).toThrow(PivotError);
  });
});

describe('attributes and scopes', () => {
  it('R-MSG-14..17: scopes follow the requested attributes; the usage name is the current family name; PersonIdentifier = NameID', () => {
    const r = request('substantial', ['substantial', 'high']);
    expect(franceConnectRequestOf(r, 'franceconnect-plus').scopes).toEqual(expect.arrayContaining(['openid', 'family_name', 'preferred_username', 'given_name']));
    const outcome = outcomeOf(r, login('eidas2'), { platform: 'franceconnect-plus', identifierSecret: SECRET }, NOW);
    expect(outcome.attributes.map((a) => [a.friendlyName, a.values])).toEqual([
      ['PersonIdentifier', [outcome.nameId]],
      ['FamilyName', ['MARTIN']],
      ['BirthName', ['Angela DUBOIS']],
    ]);
    expect(outcome.nameId).toMatch(/^FR\/DE\/[0-9a-f]{64}$/);
    expect(outcome.authnInstant).toBe(new Date(NOW.getTime() - 60_000).toISOString());
  });

  const failureOf = (r: ValidatedRequest, claims: VerifiedLogin['claims']) => {
    try {
      outcomeOf(r, login('eidas2', claims), { platform: 'franceconnect-plus', identifierSecret: SECRET }, NOW);
    } catch (error) {
      return classifyFailure(error);
    }
    return undefined;
  };

  it('R-RSP-08: a required attribute that cannot be built (birth country unknown to the COG) → InvalidAttrNameOrValue, never a partial identity', () => {
    const r = request('substantial', ['substantial'], [['PersonIdentifier', true], ['PlaceOfBirth', true]]);
    expect(failureOf(r, { birthplace: '', birthcountry: '99999' })).toEqual({ failure: 'ATTR_REQUIRED_MISSING', reason: 'ATTRIBUTE_MISSING' });
    const optional = request('substantial', ['substantial'], [['PersonIdentifier', true], ['PlaceOfBirth', false]]);
    expect(failureOf(optional, { birthplace: '', birthcountry: '99999' })).toBeUndefined();
  });

  it('R-ATT: a claim of a granted scope missing from FranceConnect\'s answer → AuthnFailed', () => {
    const r = request('substantial', ['substantial'], [['PersonIdentifier', true], ['CurrentGivenName', true]]);
    expect(failureOf(r, { family_name: 'DUBOIS' })).toEqual({ failure: 'AUTHN_FAILED', reason: 'CLAIM_MISSING' });
  });
});

describe('DESIGN §1 step 7: the answer to each failure after the requester was verified', () => {
  const expected: Record<string, string> = { OIDC_ACR: 'LOA_NOT_MET', OIDC_ACCESS_DENIED: 'AUTHN_CANCELLED' };
  for (const reason of OIDC_RP_REASONS) {
    const failure = expected[reason] ?? 'AUTHN_FAILED';
    it(`ATK-59..67: FranceConnect login ${reason} → ${failure}`, () => {
      expect(classifyFailure(new OidcRpError(reason, 'detail'))).toEqual({ failure, reason });
    });
  }
  it('R-RSP-08: a required attribute missing → ATTR_REQUIRED_MISSING (InvalidAttrNameOrValue); claims malformed → AUTHN_FAILED; our own faults → INTERNAL', () => {
    expect(classifyFailure(new PivotError('ATTRIBUTE_MISSING', 'CurrentGivenName')).failure).toBe('ATTR_REQUIRED_MISSING');
    expect(classifyFailure(new PivotError('CLAIM_INVALID', 'birthdate')).failure).toBe('AUTHN_FAILED');
    expect(classifyFailure(new PivotError('LOA_BELOW_REQUEST', 'acr')).failure).toBe('LOA_NOT_MET');
    expect(classifyFailure(new FlowError('LOA_NOT_DELIVERABLE')).failure).toBe('LOA_NOT_MET');
    expect(classifyFailure(new PivotError('SECRET_INVALID')).failure).toBe('INTERNAL');
    expect(classifyFailure(new Error('boom'))).toEqual({ failure: 'INTERNAL', reason: 'Error' });
  });
});
