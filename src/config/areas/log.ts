/** `log`: structured JSON logs on stdout. */
import { z } from 'zod';
import { LOG_LEVELS } from '../../util/logger.ts';

export const logSchema = z
  .strictObject({
    level: z.enum(LOG_LEVELS).describe('Lowest level written (pino levels).'),
  })
  .describe('Logging.');
