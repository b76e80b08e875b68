/** `crypto`: the eIDAS crypto profile's tunable parts (R-CRY-03/04) and the legacy exceptions. */
import { z } from 'zod';

export const LEGACY_ALLOWANCES = ['rsa-sha256', 'rsa-2048'] as const;
export type LegacyAllowance = (typeof LEGACY_ALLOWANCES)[number];

const legacyPeer = z.strictObject({
  entityId: z.url().describe('entityID of the one peer the exception applies to.'),
  allow: z
    .array(z.enum(LEGACY_ALLOWANCES))
    .min(1)
    .describe('`rsa-sha256`: accept RSA PKCS#1 v1.5 SHA-256 signatures; `rsa-2048`: accept 2048-bit RSA keys.'),
});

export const cryptoSchema = z
  .strictObject({
    minRsaBits: z
      .number()
      .int()
      .min(3072, 'R-CRY-04: at least 3072 (a 2048-bit peer goes in legacyPeers)')
      .max(16384)
      .describe('Smallest RSA key accepted from peers and for our own keys (R-CRY-04).'),
    legacyPeers: z
      .array(legacyPeer)
      .describe(
        'Named peers allowed a legacy algorithm or key size; each one is logged as a warning at start and ' +
          'listed in /readyz. Never global, never SHA-1.',
      ),
  })
  .describe('Crypto profile.');
