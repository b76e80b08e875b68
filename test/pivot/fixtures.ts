/** Shared inputs of the mapping tables (fictitious people, test secrets). */
import { NATURAL_PERSON_PREFIX } from '../../src/pivot/tables.ts';

/** A FranceConnect pivot identity as FranceConnect+ sends it. */
export const FC_CLAIMS = {
  sub: 'b6048e95bb134ec5b1d1e1fa69f287172e91722b9354d637a1bcf2ebb0fd2ef5v1',
  given_name: 'Angela Claire Louise',
  family_name: 'DUBOIS',
  birthdate: '1962-08-24',
  gender: 'female',
  birthplace: '75107',
  birthcountry: '99100',
  email: 'angela.dubois@example.fr',
} as const;

/** Test secrets (32 bytes and more); never configuration values. */
export const IDENTIFIER_SECRET = 'test-identifier-secret-0123456789abcdef';
export const SUB_SECRET = 'test-sub-secret-0123456789abcdef-0123';

/** The Name URI of a natural-person attribute. */
export const np = (key: string): string => NATURAL_PERSON_PREFIX + key;
export const LEGAL = 'http://eidas.europa.eu/attributes/legalperson/';
