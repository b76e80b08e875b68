/** `keys`: where the node's private keys and certificates live, and how they rotate (docs/keys.md). */
import { z } from 'zod';

export const keysSchema = z
  .strictObject({
    dir: z
      .string()
      .min(1)
      .describe(
        'Directory of the private keys and certificates (mode 0700, files 0600; relative to the working ' +
          'directory). In development, missing keys are generated there at start.',
      ),
    retiringGraceHours: z
      .number()
      .int()
      .min(1)
      .max(8760)
      .describe(
        'How long a key stays `retiring` after a newer key of its use is promoted: a retiring encryption ' +
          'key still decrypts what peers encrypted from their cached copy of our metadata, a retiring signing ' +
          'key is still published. Then it is retired automatically. Keep it above the metadata validity ' +
          'plus the peers\' refresh interval.',
      ),
    autoPromoteAfterDays: z
      .number()
      .int()
      .min(1)
      .max(365)
      .optional()
      .describe(
        'When set, a `next` key is promoted automatically this many days after it was published (one ' +
          'instance acts). Unset: promotion only by `pont keys promote`.',
      ),
    expiryWarningDays: z
      .number()
      .int()
      .min(0)
      .max(365)
      .describe('Certificates of our keys that expire within this many days are flagged by `pont keys list` and /readyz.'),
    refreshIntervalSeconds: z
      .number()
      .int()
      .min(1)
      .max(3600)
      .describe(
        'How often each instance re-reads the key states from the database and runs the schedule ' +
          '(automatic promotion and retirement).',
      ),
  })
  .describe('Key material and key rotation.');
