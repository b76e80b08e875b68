/**
 * The configuration schema: one strict zod object per area (areas/*.ts), composed here.
 * Unknown keys are errors, every key carries its description (docs/config.md is generated
 * from them) and its default lives in config/default.json. Cross-field rules are the named
 * checks below.
 */
import { z } from 'zod';
import { cryptoSchema } from './areas/crypto.ts';
import { databaseSchema } from './areas/database.ts';
import { checkFranceConnect, franceconnectSchema } from './areas/franceconnect.ts';
import { keysSchema } from './areas/keys.ts';
import { logSchema } from './areas/log.ts';
import { metadataSchema } from './areas/metadata.ts';
import { peersSchema } from './areas/peers.ts';
import { proxyServiceSchema } from './areas/proxy-service.ts';
import { serverSchema } from './areas/server.ts';

export const ENVIRONMENTS = ['development', 'production'] as const;

const shape = z.strictObject({
  environment: z
    .enum(ENVIRONMENTS)
    .describe(
      '`development` generates missing keys and enables the mocks and demo services; `production` ' +
        'requires existing keys and an https publicBaseUrl, and never serves mocks.',
    ),
  server: serverSchema,
  database: databaseSchema,
  keys: keysSchema,
  crypto: cryptoSchema,
  log: logSchema,
  metadata: metadataSchema,
  peers: peersSchema,
  franceconnect: franceconnectSchema,
  proxyService: proxyServiceSchema,
});

type Shape = ReturnType<typeof withDerivedDefaults>;

/** Defaults that depend on other keys: the public base URL follows the port and, with TLS, the scheme. */
function withDerivedDefaults(c: z.output<typeof shape>) {
  const scheme = c.server.tls ? 'https' : 'http';
  return { ...c, server: { ...c.server, publicBaseUrl: c.server.publicBaseUrl ?? `${scheme}://localhost:${c.server.port}` } };
}

/** Production is reached over HTTPS (R-MD-15, R-CRY-11): the base URL says so. */
function checkProductionUsesHttps(c: Shape, ctx: z.RefinementCtx): void {
  if (c.environment === 'production' && !c.server.publicBaseUrl.startsWith('https://')) {
    ctx.addIssue({ code: 'custom', path: ['server', 'publicBaseUrl'], message: 'must be an https URL in production' });
  }
}

/** One exception per named peer: two entries for one entityID would make the rule ambiguous. */
function checkLegacyPeersUnique(c: Shape, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  c.crypto.legacyPeers.forEach((peer, i) => {
    if (seen.has(peer.entityId)) {
      ctx.addIssue({ code: 'custom', path: ['crypto', 'legacyPeers', i, 'entityId'], message: `duplicate entityID ${peer.entityId}` });
    }
    seen.add(peer.entityId);
  });
}

export const configSchema = shape.transform(withDerivedDefaults).superRefine((c, ctx) => {
  checkProductionUsesHttps(c, ctx);
  checkLegacyPeersUnique(c, ctx);
  checkFranceConnect(c, ctx);
});

/** The input shape (what files and the environment may hold), for docs and env coercion. */
export const configShape = shape;

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** The validated, frozen configuration every part of the node receives. */
export type Config = DeepReadonly<z.output<typeof configSchema>>;
export type ConfigInput = z.input<typeof configSchema>;
