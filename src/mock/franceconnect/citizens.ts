/**
 * The mock's test citizens (src/mock/data/citizens.json), validated once when loaded. Each
 * has a stable id (used by `login_hint` and tests) and FranceConnect pivot claims.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { MockFranceConnectError } from './errors.ts';

const COG_COMMUNE = /^(?:2[AB]|[0-9]{2})[0-9]{3}$/;

const claimsSchema = z.strictObject({
  given_name: z.string().min(1).max(256),
  family_name: z.string().min(1).max(256),
  preferred_username: z.string().min(1).max(256).optional(),
  birthdate: z.string().regex(/^[0-9]{4}-(?:0[0-9]|1[0-2])-(?:[0-2][0-9]|3[01])$/),
  gender: z.enum(['male', 'female']),
  birthplace: z.union([z.literal(''), z.string().regex(COG_COMMUNE)]),
  birthcountry: z.string().regex(/^99[0-9]{3}$/),
  email: z.email(),
});

const citizenSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/),
  summary: z.string().min(1),
  claims: claimsSchema,
});

const fileSchema = z.strictObject({
  description: z.string(),
  citizens: z.array(citizenSchema).min(1),
});

export type CitizenClaims = z.output<typeof claimsSchema>;
export type Citizen = z.output<typeof citizenSchema>;

export const CITIZENS_FILE = new URL('../data/citizens.json', import.meta.url);

/** Reads and validates a citizens file; ids must be unique. */
export function loadCitizens(file: URL | string = CITIZENS_FILE): readonly Citizen[] {
  const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new MockFranceConnectError(`invalid citizens file: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  }
  return checkUnique(parsed.data.citizens);
}

export function checkUnique(citizens: readonly Citizen[]): readonly Citizen[] {
  const seen = new Set<string>();
  for (const c of citizens) {
    if (seen.has(c.id)) throw new MockFranceConnectError(`duplicate citizen id ${c.id}`);
    seen.add(c.id);
  }
  return Object.freeze([...citizens]);
}

export function fullName(c: Citizen): string {
  const usage = c.claims.preferred_username ? ` (usage name ${c.claims.preferred_username})` : '';
  return `${c.claims.given_name} ${c.claims.family_name}${usage}`;
}
