/** `keys`: where the node's private keys and certificates live. */
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
  })
  .describe('Key material.');
