/**
 * Connector LoA tables (DESIGN §2: FS acr_values → eIDAS request, eIDAS Response LoA → id_token
 * acr; ATK-44): requested ≤ returned ≤ published, exact strings, never promoted (FranceConnect's
 * own bridge reports low as eidas2: we do not), never silently lowered.
 */
import { describe, expect, it } from 'vitest';
import {
  eidasLoaToAcr,
  fsAcrToEidasRequest,
  LOA_URI,
  NON_NOTIFIED_URI,
  PivotError,
  type NotifiedLoa,
  type PivotReason,
} from '../../src/pivot/index.ts';

function outcome(fn: () => string): string {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PivotError) return e.reason;
    throw e;
  }
}

describe('DESIGN §2: FS acr_values → eIDAS request (always `minimum`, R-MSG-21)', () => {
  const table: [string | undefined, NotifiedLoa][] = [
    ['eidas1', 'low'],
    ['eidas2', 'substantial'],
    ['eidas3', 'high'],
    ['eidas2 eidas3', 'substantial'],
    ['eidas3 eidas2', 'substantial'],
    ['eidas1 eidas3', 'low'],
    ['eidas2 unknown', 'substantial'],
    [undefined, 'high'],
    ['', 'high'],
    ['EIDAS1', 'high'],
    ['eidas1 ', 'low'],
    ['urn:other', 'high'],
  ];
  it.each(table)('acr_values %j → minimum %s (unknown values ignored, none known → high, never lower)', (acr, level) => {
    expect(fsAcrToEidasRequest(acr)).toEqual({ comparison: 'minimum', level, classRef: LOA_URI[level] });
  });
});

describe('ATK-44, DESIGN §2: eIDAS Response LoA → id_token acr, every requested × returned pair', () => {
  const table: [NotifiedLoa, NotifiedLoa, string][] = [
    ['low', 'low', 'eidas1'],
    ['low', 'substantial', 'eidas2'],
    ['low', 'high', 'eidas3'],
    ['substantial', 'low', 'LOA_BELOW_REQUEST'],
    ['substantial', 'substantial', 'eidas2'],
    ['substantial', 'high', 'eidas3'],
    ['high', 'low', 'LOA_BELOW_REQUEST'],
    ['high', 'substantial', 'LOA_BELOW_REQUEST'],
    ['high', 'high', 'eidas3'],
  ];
  it.each(table)('requested %s, country returned %s → %s (low is never promoted to eidas2)', (req, ret, expected) => {
    expect(outcome(() => eidasLoaToAcr(LOA_URI[ret], req))).toBe(expected);
  });
});

describe('ATK-44: malformed, non-notified or over-claimed levels are refused', () => {
  const table: [string, unknown, NotifiedLoa, string[] | undefined, PivotReason][] = [
    ['missing LoA', undefined, 'low', undefined, 'LOA_UNKNOWN'],
    ['case variant', 'http://eidas.europa.eu/LoA/Substantial', 'low', undefined, 'LOA_UNKNOWN'],
    ['trailing slash', 'http://eidas.europa.eu/LoA/substantial/', 'low', undefined, 'LOA_UNKNOWN'],
    ['surrounding space', ` ${LOA_URI.high}`, 'low', undefined, 'LOA_UNKNOWN'],
    ['non-notified (spec form)', NON_NOTIFIED_URI.high, 'low', undefined, 'LOA_NOT_NOTIFIED'],
    ['non-notified (legacy form)', 'http://eidas.europa.eu/LoA/NotNotified/high', 'low', undefined, 'LOA_NOT_NOTIFIED'],
    ['member-state URI', 'https://loa.example.de/hoch', 'low', undefined, 'LOA_NOT_NOTIFIED'],
    ['above the metadata', LOA_URI.high, 'low', [LOA_URI.low, LOA_URI.substantial], 'LOA_ABOVE_METADATA'],
    ['metadata publishes only non-notified', LOA_URI.low, 'low', [NON_NOTIFIED_URI.high], 'LOA_ABOVE_METADATA'],
  ];
  it.each(table)('%s → %s', (_label, classRef, requested, published, reason) => {
    expect(outcome(() => eidasLoaToAcr(classRef, requested, published))).toBe(reason);
  });

  it('a level within what the metadata publishes passes (requested ≤ returned ≤ published)', () => {
    expect(eidasLoaToAcr(LOA_URI.substantial, 'low', [LOA_URI.high])).toBe('eidas2');
    expect(eidasLoaToAcr(LOA_URI.substantial, 'substantial', [LOA_URI.substantial])).toBe('eidas2');
  });
});
