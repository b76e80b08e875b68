/**
 * PersonIdentifier of the proxy service (DESIGN §2, R-ATT-03): `FR/<requesting country>/<opaque>`,
 * opaque = HMAC-SHA-256(secret, country + sub): stable per country, unlinkable across countries.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { personIdentifierFor, PivotError } from '../../src/pivot/index.ts';
import { FC_CLAIMS, IDENTIFIER_SECRET } from './fixtures.ts';

const country = fc.stringMatching(/^[A-Z]{2}$/);
const sub = fc.stringMatching(/^[\x21-\x7e]{1,80}$/);

function reason(fn: () => unknown): string {
  try {
    fn();
    return 'no error';
  } catch (e) {
    if (e instanceof PivotError) return `${e.reason}:${e.field}`;
    throw e;
  }
}

describe('R-ATT-03, DESIGN §2: PersonIdentifier FR/<country>/HMAC-SHA-256(secret, country + sub)', () => {
  it('is the documented keyed hash, in the XX/YY/opaque shape, under 256 characters', () => {
    const pid = personIdentifierFor(FC_CLAIMS.sub, 'IT', IDENTIFIER_SECRET);
    const hmac = createHmac('sha256', IDENTIFIER_SECRET).update(`IT${FC_CLAIMS.sub}`).digest('hex');
    expect(pid).toBe(`FR/IT/${hmac}`);
    expect(pid).toMatch(/^FR\/IT\/[0-9a-f]{64}$/);
  });

  it('a Uint8Array secret gives the same value as its UTF-8 string', () => {
    const bytes = new TextEncoder().encode(IDENTIFIER_SECRET);
    expect(personIdentifierFor('s', 'EL', bytes)).toBe(personIdentifierFor('s', 'EL', IDENTIFIER_SECRET));
  });

  it('property: stable for one citizen and one country, different for another country or citizen', () => {
    fc.assert(
      fc.property(sub, sub, country, country, (subA, subB, c1, c2) => {
        const a1 = personIdentifierFor(subA, c1, IDENTIFIER_SECRET);
        expect(personIdentifierFor(subA, c1, IDENTIFIER_SECRET)).toBe(a1);
        expect(a1.startsWith(`FR/${c1}/`)).toBe(true);
        if (c1 !== c2) expect(personIdentifierFor(subA, c2, IDENTIFIER_SECRET).slice(6)).not.toBe(a1.slice(6));
        if (subA !== subB) expect(personIdentifierFor(subB, c1, IDENTIFIER_SECRET)).not.toBe(a1);
      }),
      { numRuns: 200 },
    );
  });

  it('property: the opaque part reveals neither the sub nor the country (keyed, fixed length)', () => {
    fc.assert(
      fc.property(sub, country, (s, c) => {
        const opaque = personIdentifierFor(s, c, IDENTIFIER_SECRET).slice(6);
        expect(opaque).toMatch(/^[0-9a-f]{64}$/);
        if (s.length >= 8) expect(opaque).not.toContain(s);
        expect(personIdentifierFor(s, c, `${IDENTIFIER_SECRET}-other`).slice(6)).not.toBe(opaque);
      }),
      { numRuns: 100 },
    );
  });

  it.each([
    ['de', 'COUNTRY_INVALID:requesterCountry'],
    ['DEU', 'COUNTRY_INVALID:requesterCountry'],
    ['', 'COUNTRY_INVALID:requesterCountry'],
  ])('requesting country %j is refused', (c, expected) => {
    expect(reason(() => personIdentifierFor(FC_CLAIMS.sub, c, IDENTIFIER_SECRET))).toBe(expected);
  });

  it('a secret shorter than 32 bytes is refused, not used', () => {
    expect(reason(() => personIdentifierFor(FC_CLAIMS.sub, 'DE', 'too-short'))).toBe('SECRET_INVALID:identifierSecret');
    expect(reason(() => personIdentifierFor(FC_CLAIMS.sub, 'DE', new Uint8Array(31)))).toBe('SECRET_INVALID:identifierSecret');
  });
});
