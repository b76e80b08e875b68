/**
 * Mock FranceConnect (development and tests only): an OIDC provider on oidc-provider that
 * behaves like FranceConnect+ v2 (or FranceConnect "low") as franceconnect.md describes, with
 * a page to pick a test citizen. Mount `router` at `mountPath` (the issuer's path) in the
 * node's express app; discovery is then at `<issuer>/.well-known/openid-configuration`.
 */
import { randomBytes } from 'node:crypto';
import express, { type Router } from 'express';
import { MOCK_FRANCECONNECT_PATH } from '../../config/areas/franceconnect.ts';
import type Provider from 'oidc-provider';
import { FC_PLATFORMS, type FcPlatformName, type FranceConnectPlatform } from '../../pivot/index.ts';
import { loadCitizens, type Citizen } from './citizens.ts';
import { MockFranceConnectError } from './errors.ts';
import { interactionRouter } from './interaction.ts';
import { generateMockSigningKeys } from './keys.ts';
import type { Misbehaviour } from './misbehave.ts';
import { buildProvider, forgetCitizenSessions, type MockClient } from './provider.ts';
import { misbehaviourMiddleware } from './rewrite.ts';
import { authorizeRules } from './rules.ts';

export type { Citizen, CitizenClaims } from './citizens.ts';
export { loadCitizens, CITIZENS_FILE } from './citizens.ts';
export { MockFranceConnectError } from './errors.ts';
export type { ForgedSignature, Misbehaviour, TokenRewrite } from './misbehave.ts';
export { MOCK_ENCRYPTION_ALGS, pairwiseSub, type MockClient, type MockEncryptionAlg } from './provider.ts';

/** Where the mock lives under the node's public base URL (DESIGN §1: /mock/...). */
export { MOCK_FRANCECONNECT_PATH };

export function mockFranceConnectIssuer(publicBaseUrl: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${MOCK_FRANCECONNECT_PATH}`;
}

export interface MockFranceConnectOptions {
  /** Absolute issuer URL; its path is where `router` must be mounted. */
  issuer: string;
  /** The node's environment: the mock refuses `production`. */
  environment: string;
  /** Default `franceconnect-plus` (eidas2/eidas3); `franceconnect` offers eidas1 only. */
  platform?: FcPlatformName;
  clients: readonly MockClient[];
  /** Default: src/mock/data/citizens.json. */
  citizens?: readonly Citizen[];
  /** Test knob (attack tests); see misbehave.ts. */
  misbehave?: Misbehaviour;
}

export interface MockFranceConnect {
  issuer: string;
  /** The issuer's path: `app.use(mock.mountPath, mock.router)`. */
  mountPath: string;
  router: Router;
  provider: Provider;
  citizens: readonly Citizen[];
  /** Sets (or clears with `undefined`) the test knob. Never reachable over HTTP. */
  misbehave(m: Misbehaviour | undefined): void;
}

function checkOptions(o: MockFranceConnectOptions): URL {
  if (o.environment === 'production') throw new MockFranceConnectError('the mock FranceConnect is never served in production');
  let url: URL;
  try {
    url = new URL(o.issuer);
  } catch {
    throw new MockFranceConnectError('issuer must be an absolute URL');
  }
  if (url.search || url.hash || url.pathname === '/' || url.pathname.endsWith('/')) {
    throw new MockFranceConnectError('issuer must have a path (where the mock is mounted), no trailing slash, query or fragment');
  }
  if (o.clients.length === 0) throw new MockFranceConnectError('at least one client is needed');
  return url;
}

export async function createMockFranceConnect(options: MockFranceConnectOptions): Promise<MockFranceConnect> {
  const url = checkOptions(options);
  const profile: FranceConnectPlatform = FC_PLATFORMS[options.platform ?? 'franceconnect-plus'];
  const citizens = options.citizens ?? loadCitizens();
  const byId = new Map(citizens.map((c) => [c.id, c]));
  const keys = await generateMockSigningKeys(options.clients.some((c) => c.signingAlg === 'RS256'));
  const pairwiseSalt = randomBytes(32).toString('base64url');
  let knob = options.misbehave;
  const misbehaviour = () => knob;
  const provider = buildProvider({
    issuer: options.issuer,
    mountPath: url.pathname,
    profile,
    clients: options.clients,
    citizens: byId,
    keys: keys.rs256 ? [keys.es256, keys.rs256] : [keys.es256],
    cookieKeys: [randomBytes(32).toString('base64url')],
    pairwiseSalt,
  });
  provider.use(forgetCitizenSessions());
  const clients = new Map(options.clients.map((c) => [c.clientId, c]));
  provider.use(misbehaviourMiddleware({ issuer: options.issuer, clients, citizens: byId, keys, pairwiseSalt, misbehaviour }));

  const router = express.Router();
  router.all('/authorize', authorizeRules());
  router.use(interactionRouter({ provider, profile, citizens, byId, misbehaviour }));
  router.use(provider.callback());
  return {
    issuer: options.issuer,
    mountPath: url.pathname,
    router,
    provider,
    citizens,
    misbehave: (m) => {
      knob = m;
    },
  };
}
