/** `database`: PGlite (embedded, the default) or PostgreSQL. */
import { z } from 'zod';

export const databaseSchema = z
  .strictObject({
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
      .optional()
      .meta({
        description:
          'PostgreSQL connection URL; when set, PostgreSQL is used instead of PGlite. Its password is masked ' +
          'by `pont config check`. DATABASE_URL sets it too.',
        secret: true,
      }),
    dataDir: z
      .string()
      .min(1)
      .describe('PGlite data directory (relative to the working directory), used when no url is set. Kept between starts.'),
  })
  .describe('Database.');
