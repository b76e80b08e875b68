/** `proxyService`: the proxy service flow (a French citizen, an EU service). */
import { z } from 'zod';

export const MIN_IDENTIFIER_SECRET_BYTES = 32;

export const proxyServiceSchema = z
  .strictObject({
    identifierSecret: z
      .string()
      .refine((s) => Buffer.byteLength(s, 'utf8') >= MIN_IDENTIFIER_SECRET_BYTES, `at least ${MIN_IDENTIFIER_SECRET_BYTES} bytes`)
      .optional()
      .meta({
        description:
          'Key of the pairwise PersonIdentifier `FR/<country>/<HMAC-SHA-256(key, country + FranceConnect sub)>` ' +
          `(at least ${MIN_IDENTIFIER_SECRET_BYTES} bytes). Every instance must use the same one, and it must never ` +
          'change: a new key gives every citizen new identifiers. Required in production; in development a random ' +
          'one is generated once and kept beside the PGlite data directory (`<parent of database.dataDir>/dev/`).',
        secret: true,
      }),
  })
  .describe('Proxy service: French citizens logging in to EU services through FranceConnect.');
