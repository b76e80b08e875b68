/** `server`: where the node listens and under which public URL it is reached. */
import { z } from 'zod';

const tls = z
  .strictObject({
    certFile: z.string().min(1).describe('PEM file with the server certificate (and its chain).'),
    keyFile: z.string().min(1).describe('PEM file with the private key of the server certificate (read once at start).'),
  })
  .describe(
    'When set, the node serves HTTPS itself, TLS 1.2 and 1.3 only with forward-secret suites (R-CRY-11..14). ' +
      'When absent, it serves plain HTTP for a TLS-terminating reverse proxy (see docs/tls.md).',
  );

export const serverSchema = z
  .strictObject({
    host: z.string().min(1).describe('Address to listen on; 0.0.0.0 or :: to accept connections from other hosts.'),
    port: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .describe('TCP port to listen on (0 picks a free port). PORT sets it too.'),
    publicBaseUrl: z
      .url({ protocol: /^https?$/ })
      .refine((u) => !/[?#]/.test(u), 'no query or fragment allowed')
      .transform((u) => u.replace(/\/+$/, ''))
      .optional()
      .meta({
        description:
          'URL under which clients reach the node (before any reverse proxy); every route, entityID and ' +
          'OIDC issuer is built from it. Must be https in production.',
        defaultText: 'http://localhost:<port>, or https://localhost:<port> when server.tls is set',
      }),
    tls: tls.optional(),
  })
  .describe('HTTP server.');
