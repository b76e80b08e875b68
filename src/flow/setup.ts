/**
 * The proxy service built from the node's configuration: the OIDC RP toward FranceConnect
 * (made first: development mocks register it as their client) and then the flow router, which
 * pairs it with the SAML IdP front on the node's key ring, peer registry and database.
 */
import type { Router } from 'express';
import { createOidcRp, oidcRpOptionsFromConfig, type OidcRp } from '../back/oidc-rp/index.ts';
import type { Config } from '../config/schema.ts';
import { createSamlIdp, samlIdpSettingsFromConfig, type PeerSource, type SigningKeySource } from '../front/saml-idp/index.ts';
import { loadCogTables } from '../pivot/index.ts';
import { FlowStore, ReplayStore, systemClock, type Clock, type Database } from '../storage/index.ts';
import type { Logger } from '../util/logger.ts';
import { resolveIdentifierSecret } from './identifier-secret.ts';
import { proxyServiceRouter } from './proxy-service.ts';

export async function createFranceConnectRp(config: Config, db: Database): Promise<OidcRp> {
  return createOidcRp(await oidcRpOptionsFromConfig(config, { replay: new ReplayStore(db) }));
}

export interface ProxyServiceSetup {
  db: Database;
  rp: OidcRp;
  /** The peer registry (only verified, valid connectors answer). */
  peers: PeerSource;
  /** The key ring: our active message-signing key. */
  keys: SigningKeySource;
  logger: Logger;
  clock?: Clock;
}

export function createProxyService(config: Config, setup: ProxyServiceSetup): Router {
  const clock = setup.clock ?? systemClock;
  const identifierSecret = resolveIdentifierSecret(config, setup.logger);
  loadCogTables(); // once, at start, not during the first login
  const idp = createSamlIdp(samlIdpSettingsFromConfig(config), {
    peers: setup.peers,
    keys: setup.keys,
    replay: new ReplayStore(setup.db, { clock }),
    clock,
    logger: setup.logger,
  });
  return proxyServiceRouter({
    idp,
    rp: setup.rp,
    flows: new FlowStore(setup.db, { clock }),
    mapping: { platform: config.franceconnect.platform, identifierSecret },
    secureCookies: config.server.publicBaseUrl.startsWith('https://'),
    logger: setup.logger,
    clock,
  });
}
