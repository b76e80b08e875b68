/**
 * Level of assurance tables (DESIGN §2 "Level of assurance", R-MSG-20..24, R-RSP-14/15,
 * ATK-44, ATK-45, ATK-63): every requested level × every acr FranceConnect may return, on both
 * platforms, notified `minimum` and non-notified `exact`. No level is ever reported above what
 * FranceConnect returned, nor accepted below what was asked.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acrToAuthnContext,
  acrToEidasLoa,
  eidasToAcrValues,
  FC_PLATFORMS,
  LOA_URI,
  NON_NOTIFIED_URI,
  NOTIFIED_LOAS,
  PivotError,
  readLoaRequest,
  satisfies,
  type CountryLoaPolicy,
  type FcAcr,
  type FcPlatformName,
  type NotifiedLoa,
  type PivotReason,
} from '../../src/pivot/index.ts';

const LEGACY_NN_LOW = 'http://eidas.europa.eu/LoA/NotNotified/low';
const MS_URI = 'https://loa.example.de/vertrauensniveau/2';
const POLICY: CountryLoaPolicy = {
  nonNotified: {
    [NON_NOTIFIED_URI.low]: 'low',
    [NON_NOTIFIED_URI.substantial]: 'substantial',
    [LEGACY_NN_LOW]: 'low',
  },
};

function reasonOf(fn: () => unknown): PivotReason | 'no error' {
  try {
    fn();
    return 'no error';
  } catch (e) {
    if (e instanceof PivotError) return e.reason;
    throw e;
  }
}

type Outcome = NotifiedLoa | PivotReason;

/** Whole flow on the proxy side: read the request, ask FranceConnect, read its acr. */
function proxyOutcome(
  platform: FcPlatformName,
  comparison: string | undefined,
  refs: string[],
  acr: unknown,
): { asked?: FcAcr; outcome: Outcome | string } {
  let asked: FcAcr | undefined;
  try {
    const request = readLoaRequest(comparison, refs, POLICY);
    asked = eidasToAcrValues(request, FC_PLATFORMS[platform]);
    return { asked, outcome: acrToAuthnContext(acr, request, FC_PLATFORMS[platform]).classRef };
  } catch (e) {
    if (e instanceof PivotError) return { ...(asked ? { asked } : {}), outcome: e.reason };
    throw e;
  }
}

describe('DESIGN §2 LoA, notified `minimum`: requested × FranceConnect acr × platform (ATK-63)', () => {
  // [platform, requested, acr_values we send, acr returned, AuthnContextClassRef reported or refusal]
  const table: [FcPlatformName, NotifiedLoa, FcAcr | '-', FcAcr, string][] = [
    ['franceconnect-plus', 'low', 'eidas2', 'eidas1', 'LOA_BELOW_REQUEST'],
    ['franceconnect-plus', 'low', 'eidas2', 'eidas2', LOA_URI.substantial],
    ['franceconnect-plus', 'low', 'eidas2', 'eidas3', LOA_URI.high],
    ['franceconnect-plus', 'substantial', 'eidas2', 'eidas1', 'LOA_BELOW_REQUEST'],
    ['franceconnect-plus', 'substantial', 'eidas2', 'eidas2', LOA_URI.substantial],
    ['franceconnect-plus', 'substantial', 'eidas2', 'eidas3', LOA_URI.high],
    ['franceconnect-plus', 'high', 'eidas3', 'eidas1', 'LOA_BELOW_REQUEST'],
    ['franceconnect-plus', 'high', 'eidas3', 'eidas2', 'LOA_BELOW_REQUEST'],
    ['franceconnect-plus', 'high', 'eidas3', 'eidas3', LOA_URI.high],
    ['franceconnect', 'low', 'eidas1', 'eidas1', LOA_URI.low],
    ['franceconnect', 'low', 'eidas1', 'eidas2', 'LOA_UNKNOWN'],
    ['franceconnect', 'low', 'eidas1', 'eidas3', 'LOA_UNKNOWN'],
    ['franceconnect', 'substantial', '-', 'eidas1', 'LOA_NOT_AVAILABLE'],
    ['franceconnect', 'substantial', '-', 'eidas2', 'LOA_NOT_AVAILABLE'],
    ['franceconnect', 'substantial', '-', 'eidas3', 'LOA_NOT_AVAILABLE'],
    ['franceconnect', 'high', '-', 'eidas1', 'LOA_NOT_AVAILABLE'],
    ['franceconnect', 'high', '-', 'eidas2', 'LOA_NOT_AVAILABLE'],
    ['franceconnect', 'high', '-', 'eidas3', 'LOA_NOT_AVAILABLE'],
  ];
  it.each(table)('%s: minimum %s → acr_values %s, FranceConnect says %s → %s', (platform, req, asked, acr, expected) => {
    const r = proxyOutcome(platform, 'minimum', [LOA_URI[req]], acr);
    expect(r.asked ?? '-').toBe(asked);
    expect(r.outcome).toBe(expected);
  });
});

describe('ATK-63: an acr that is not exactly a known value is refused, never read as a level', () => {
  it.each([undefined, null, '', 'eidas2 ', ' eidas2', 'EIDAS2', 'Eidas2', 'eidas4', 'eidas0', ['eidas2'], 2, { acr: 'eidas2' }])(
    'acr %j → LOA_UNKNOWN',
    (acr) => {
      const request = readLoaRequest('minimum', [LOA_URI.substantial]);
      expect(reasonOf(() => acrToAuthnContext(acr, request, FC_PLATFORMS['franceconnect-plus']))).toBe('LOA_UNKNOWN');
      expect(reasonOf(() => acrToEidasLoa(acr))).toBe('LOA_UNKNOWN');
    },
  );
  it.each([
    ['eidas1', 'low'],
    ['eidas2', 'substantial'],
    ['eidas3', 'high'],
  ])('DESIGN §2: acr %s → %s, exactly', (acr, level) => {
    expect(acrToEidasLoa(acr)).toBe(level);
  });
});

describe('R-MSG-22, DESIGN §2: non-notified `exact`, accepted only where configured, never reported as notified', () => {
  const NN = NON_NOTIFIED_URI;
  // [platform, listed URIs, acr returned, reported URI or refusal]
  const table: [FcPlatformName, string[], FcAcr, string][] = [
    ['franceconnect', [NN.low], 'eidas1', NN.low],
    ['franceconnect-plus', [NN.low], 'eidas2', NN.low],
    ['franceconnect-plus', [NN.low], 'eidas3', NN.low],
    ['franceconnect-plus', [NN.low], 'eidas1', 'LOA_BELOW_REQUEST'],
    ['franceconnect-plus', [NN.substantial, LOA_URI.substantial, LOA_URI.high], 'eidas2', LOA_URI.substantial],
    ['franceconnect-plus', [NN.substantial, LOA_URI.substantial, LOA_URI.high], 'eidas3', LOA_URI.high],
    ['franceconnect-plus', [NN.low, LOA_URI.high], 'eidas2', NN.low],
    ['franceconnect-plus', [NN.low, LOA_URI.high], 'eidas3', LOA_URI.high],
    ['franceconnect-plus', [NN.low, NN.substantial], 'eidas2', NN.substantial],
    ['franceconnect-plus', [NN.low, NN.substantial], 'eidas3', NN.substantial],
    ['franceconnect', [NN.low, LOA_URI.low, LOA_URI.substantial, LOA_URI.high], 'eidas1', LOA_URI.low],
    ['franceconnect', [NN.substantial], 'eidas1', 'LOA_NOT_AVAILABLE'],
    ['franceconnect', [LEGACY_NN_LOW], 'eidas1', LEGACY_NN_LOW],
    ['franceconnect-plus', [NN.high], 'eidas3', 'LOA_NOT_NOTIFIED'],
    ['franceconnect-plus', [MS_URI], 'eidas3', 'LOA_NOT_NOTIFIED'],
    ['franceconnect-plus', [MS_URI, LOA_URI.high], 'eidas3', LOA_URI.high],
    ['franceconnect-plus', [MS_URI, LOA_URI.high], 'eidas2', 'LOA_BELOW_REQUEST'],
  ];
  it.each(table)('%s: exact %j, FranceConnect says %s → %s', (platform, refs, acr, expected) => {
    expect(proxyOutcome(platform, 'exact', refs, acr).outcome).toBe(expected);
  });

  it('a country without configuration accepts no non-notified URI (LOA_NOT_NOTIFIED)', () => {
    expect(reasonOf(() => readLoaRequest('exact', [NN.low]))).toBe('LOA_NOT_NOTIFIED');
    expect(readLoaRequest('exact', [NN.low, LOA_URI.high]).minimumLevel).toBe('high');
  });
});

describe('ATK-45, R-MSG-21/22/23: RequestedAuthnContext games get a precise refusal', () => {
  const table: [string, string | undefined, string[], PivotReason][] = [
    ['maximum', 'maximum', [LOA_URI.low], 'LOA_COMPARISON_INVALID'],
    ['better', 'better', [LOA_URI.low], 'LOA_COMPARISON_INVALID'],
    ['case variant Minimum', 'Minimum', [LOA_URI.low], 'LOA_COMPARISON_INVALID'],
    ['case variant EXACT', 'EXACT', [NON_NOTIFIED_URI.low], 'LOA_COMPARISON_INVALID'],
    ['trailing space', 'minimum ', [LOA_URI.low], 'LOA_COMPARISON_INVALID'],
    ['absent Comparison (= exact) with a notified level only', undefined, [LOA_URI.substantial], 'LOA_REQUEST_INVALID'],
    ['exact with notified levels only', 'exact', [LOA_URI.substantial, LOA_URI.high], 'LOA_REQUEST_INVALID'],
    ['several notified levels with minimum', 'minimum', [LOA_URI.low, LOA_URI.substantial], 'LOA_REQUEST_INVALID'],
    ['no AuthnContextClassRef', 'minimum', [], 'LOA_REQUEST_INVALID'],
    ['non-notified with minimum', 'minimum', [NON_NOTIFIED_URI.low], 'LOA_NOT_NOTIFIED'],
    ['case variant of a notified URI', 'minimum', ['http://eidas.europa.eu/LoA/Substantial'], 'LOA_UNKNOWN'],
    ['trailing slash', 'minimum', ['http://eidas.europa.eu/LoA/substantial/'], 'LOA_UNKNOWN'],
    ['unknown level under the notified prefix', 'minimum', ['http://eidas.europa.eu/LoA/medium'], 'LOA_UNKNOWN'],
    ['not a URI', 'exact', ['substantial', LOA_URI.high], 'LOA_UNKNOWN'],
    ['duplicate URIs', 'exact', [NON_NOTIFIED_URI.low, NON_NOTIFIED_URI.low], 'LOA_REQUEST_INVALID'],
    ['exact lists substantial but not high', 'exact', [NON_NOTIFIED_URI.low, LOA_URI.substantial], 'LOA_REQUEST_INVALID'],
  ];
  it.each(table)('%s → %s', (_label, comparison, refs, reason) => {
    expect(reasonOf(() => readLoaRequest(comparison, refs, POLICY))).toBe(reason);
  });

  it('the legacy non-notified form is never read as a notified level (R-MSG-23)', () => {
    expect(reasonOf(() => readLoaRequest('minimum', [LEGACY_NN_LOW], POLICY))).toBe('LOA_NOT_NOTIFIED');
  });
});

describe('property: the reported level is exactly the one FranceConnect returned, and meets the request', () => {
  const rank = (l: NotifiedLoa) => NOTIFIED_LOAS.indexOf(l);
  const allUris = [...Object.values(LOA_URI), ...Object.values(NON_NOTIFIED_URI), LEGACY_NN_LOW, MS_URI];
  const notifiedOf = (uri: string) => NOTIFIED_LOAS.find((l) => LOA_URI[l] === uri);

  it('for any request shape, platform and acr (R-RSP-14/15, ATK-44/63)', () => {
    const seen = { reported: 0, refused: 0 };
    fc.assert(
      fc.property(
        fc.constantFrom<FcPlatformName>('franceconnect-plus', 'franceconnect'),
        fc.constantFrom<string | undefined>('minimum', 'exact', undefined, 'Minimum', 'maximum'),
        fc.uniqueArray(fc.constantFrom(...allUris), { minLength: 0, maxLength: 4 }),
        fc.constantFrom<unknown>('eidas1', 'eidas2', 'eidas3', 'EIDAS2', undefined),
        (platform, comparison, refs, acr) => {
          const { outcome } = proxyOutcome(platform, comparison, refs, acr);
          if (!outcome.startsWith('http')) {
            expect(outcome).toMatch(/^LOA_/);
            seen.refused++;
            return;
          }
          seen.reported++;
          const returned = acrToEidasLoa(acr);
          const request = readLoaRequest(comparison, refs, POLICY);
          expect(satisfies(returned, request)).toBe(true);
          expect(refs).toContain(comparison === 'minimum' ? refs[0] : outcome);
          const reported = notifiedOf(outcome);
          if (reported) expect(reported).toBe(returned); // never above, never below what FC returned
          else expect(request.nonNotified.map((n) => n.uri)).toContain(outcome); // configured, not notified
          if (comparison === 'minimum') expect(rank(returned)).toBeGreaterThanOrEqual(rank(notifiedOf(refs[0]!)!));
        },
      ),
      { numRuns: 2000 }, // about 4 % of random shapes are acceptable requests: ~80 reported levels checked
    );
    // Both branches ran: the property did check reported levels, not only refusals.
    expect(seen.reported).toBeGreaterThan(20);
    expect(seen.refused).toBeGreaterThan(20);
  });
});
