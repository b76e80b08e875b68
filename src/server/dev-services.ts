/**
 * Development only (DESIGN §7): what `npm start` serves beside the node so a person can click
 * through the proxy service, all on the node's own origin:
 *  - the mock EU country and its demo EU service (/mock/eu/..., /demo/eu), registered as a
 *    connector peer of the registry: its metadata is fetched and verified like any peer's,
 *    against the mock's metadata-signing certificate (its keys live in the development state
 *    directory, generated on the first start);
 *  - the mock FranceConnect (/mock/franceconnect/api/v2) when no real issuer is configured, with
 *    our relying party registered as its client.
 * Production never gets here: createDevServices refuses it, and the mocks refuse it too.
 */
import type { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import express, { type Router } from 'express';
import type { OidcRp, RpRegistration } from '../back/oidc-rp/index.ts';
import { franceConnectIssuer, usesMockFranceConnect } from '../config/areas/franceconnect.ts';
import type { Config } from '../config/schema.ts';
import { developmentStateDir } from '../flow/identifier-secret.ts';
import { entityIdFor } from '../metadata/publish/urls.ts';
import { createMockEuCountry, type MockEuCountry } from '../mock/eu-country/index.ts';
import type { MockClient, MockFranceConnect } from '../mock/franceconnect/index.ts';
import type { PeerRegistry } from '../metadata/peers/index.ts';
import type { Logger } from '../util/logger.ts';
import { StartupError } from './errors.ts';

type PeerEntry = Config['peers']['list'][number];

export interface DevServices {
  /** Mounted at the application root, before the not-found handler. */
  routers: Router[];
  /** The connector peer the development registry adds (the mock EU country). */
  peer: PeerEntry;
  euCountry: MockEuCountry;
  /** Absent when a real FranceConnect issuer is configured. */
  franceConnect?: MockFranceConnect;
  /** What to open, the demo EU service first. */
  urls: { name: string; url: string }[];
}

export interface DevServiceDeps {
  rp: OidcRp;
  /** The certificate our metadata is signed with (the mock EU country's trust anchor for us). */
  nodeMetadataCertificate: X509Certificate;
}

export async function createDevServices(config: Config, deps: DevServiceDeps): Promise<DevServices> {
  if (config.environment !== 'development') throw new StartupError('mocks and demo services exist in development only');
  const keysDir = join(developmentStateDir(config), 'mock-eu');
  const euCountry = await createMockEuCountry({
    baseUrl: config.server.publicBaseUrl,
    nodeMetadataUrl: entityIdFor('proxy-service', config),
    trustAnchor: deps.nodeMetadataCertificate,
    keysDir,
  });
  const peer: PeerEntry = {
    country: euCountry.country,
    role: 'connector',
    metadataUrl: euCountry.metadataUrl,
    trustAnchors: [join(keysDir, 'metadata-signing.cert.pem')],
  };
  const franceConnect = usesMockFranceConnect(config) ? await mockFranceConnect(config, deps.rp) : undefined;
  const routers = [euCountry.router];
  if (franceConnect) routers.push(express.Router().use(franceConnect.mountPath, franceConnect.router));
  const urls = [
    { name: 'demo EU service (start here)', url: euCountry.demoUrl },
    { name: 'proxy-service metadata', url: entityIdFor('proxy-service', config) },
    { name: 'mock EU connector metadata', url: euCountry.metadataUrl },
    ...(franceConnect ? [{ name: 'mock FranceConnect', url: `${franceConnect.issuer}/.well-known/openid-configuration` }] : []),
  ];
  return { routers, peer, euCountry, ...(franceConnect ? { franceConnect } : {}), urls };
}

/** The configuration the development registry opens with: the mock EU country as one more connector. */
export function withDevelopmentPeer(config: Config, peer: PeerEntry): Config {
  if (config.peers.list.some((p) => p.metadataUrl === peer.metadataUrl)) return config;
  return { ...config, peers: { ...config.peers, list: [...config.peers.list, peer] } };
}

/** Loaded only when used (oidc-provider is a development dependency of the demo alone). */
async function mockFranceConnect(config: Config, rp: OidcRp): Promise<MockFranceConnect> {
  const { createMockFranceConnect } = await import('../mock/franceconnect/index.ts');
  return createMockFranceConnect({
    issuer: franceConnectIssuer(config),
    environment: config.environment,
    platform: config.franceconnect.platform,
    clients: [mockClientOf(await rp.registration())],
  });
}

function mockClientOf(r: RpRegistration): MockClient {
  return {
    clientId: r.clientId,
    clientSecret: r.clientSecret,
    redirectUris: r.redirectUris,
    ...(r.postLogoutRedirectUris ? { postLogoutRedirectUris: r.postLogoutRedirectUris } : {}),
    signingAlg: r.signingAlg,
    ...(r.encryption ? { encryption: { publicJwk: r.encryption.publicJwk, alg: r.encryption.alg, enc: r.encryption.enc } } : {}),
  };
}

/**
 * Once the node listens: fetch and verify the mock EU country's metadata now (the demo works as
 * soon as the URLs are printed), then print what to open.
 */
export async function announceDevServices(dev: DevServices, peers: PeerRegistry, logger: Logger): Promise<void> {
  const [result] = await peers.refresh(dev.peer.metadataUrl);
  if (result?.outcome === 'refused') {
    logger.warn({ event: 'dev.peer.unavailable', entityId: dev.peer.metadataUrl, reason: result.reason }, 'the mock EU country is not in service yet');
  }
  for (const { name, url } of dev.urls) logger.info({ event: 'dev.url', name, url }, `${name}: ${url}`);
}
