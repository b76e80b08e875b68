/**
 * FranceConnect's discovery document, fetched once (with a time limit and a size cap) and
 * checked so that the login cannot silently run weaker than configured: the issuer is exactly
 * the configured one, PKCE S256 is offered, the pinned signature algorithm is offered, and the
 * endpoints we call exist. The OP's JWKS is then read through jose's cache.
 */
import { createRemoteJWKSet, customFetch as joseCustomFetch, type JWTVerifyGetKey } from 'jose';
import * as client from 'openid-client';
import { fromClientError } from './client-errors.ts';
import { rpError } from './errors.ts';
import type { FetchLike } from './http.ts';
import type { SigningAlg } from './platform.ts';

export interface Discovered {
  server: client.ServerMetadata;
  tokenEndpoint: string;
  userinfoEndpoint: string;
  /** Undefined when the pinned algorithm is HS256 (the key is the client secret). */
  jwks?: JWTVerifyGetKey;
  /** The OP puts `iss` in its authorization responses (RFC 9207): then it must be there. */
  issParameter: boolean;
  /** RP-initiated logout; absent when the OP announces none (logoutUrl then refuses). */
  endSessionEndpoint?: string;
}

export interface DiscoveryOptions {
  issuer: string;
  clientId: string;
  signingAlg: SigningAlg;
  allowHttp: boolean;
  timeoutMs: number;
  jwksCacheMaxAgeMs: number;
  fetch: FetchLike;
}

type EndpointName = 'token_endpoint' | 'userinfo_endpoint' | 'jwks_uri' | 'end_session_endpoint';

function endpoint(server: client.ServerMetadata, name: EndpointName, allowHttp: boolean): string {
  const value = server[name];
  if (typeof value !== 'string') throw rpError('OIDC_DISCOVERY', `discovery has no ${name}`);
  const url = new URL(value);
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) throw rpError('OIDC_DISCOVERY', `${name} is not https`);
  return url.href;
}

function checkOffers(server: client.ServerMetadata, alg: SigningAlg): void {
  if (!server.code_challenge_methods_supported?.includes('S256')) throw rpError('OIDC_DISCOVERY', 'the OP does not offer PKCE S256');
  if (!server.id_token_signing_alg_values_supported?.includes(alg)) throw rpError('OIDC_DISCOVERY', `the OP does not offer ${alg} id_tokens`);
  if (!server.response_types_supported?.includes('code')) throw rpError('OIDC_DISCOVERY', 'the OP does not offer the code flow');
}

export async function discover(o: DiscoveryOptions): Promise<Discovered> {
  let config: client.Configuration;
  try {
    config = await client.discovery(new URL(o.issuer), o.clientId, undefined, undefined, {
      execute: o.allowHttp ? [client.allowInsecureRequests] : [],
      timeout: Math.ceil(o.timeoutMs / 1000),
      [client.customFetch]: o.fetch,
    });
  } catch (e) {
    throw fromClientError(e, 'discovery');
  }
  const server = config.serverMetadata();
  if (server.issuer !== o.issuer) throw rpError('OIDC_DISCOVERY', 'discovery issuer is not the configured OP');
  checkOffers(server, o.signingAlg);
  const jwks =
    o.signingAlg === 'HS256'
      ? undefined
      : createRemoteJWKSet(new URL(endpoint(server, 'jwks_uri', o.allowHttp)), {
          timeoutDuration: o.timeoutMs,
          cacheMaxAge: o.jwksCacheMaxAgeMs,
          cooldownDuration: 30_000,
          [joseCustomFetch]: o.fetch,
        });
  return {
    server,
    tokenEndpoint: endpoint(server, 'token_endpoint', o.allowHttp),
    userinfoEndpoint: endpoint(server, 'userinfo_endpoint', o.allowHttp),
    ...(jwks ? { jwks } : {}),
    issParameter: server.authorization_response_iss_parameter_supported === true,
    ...(server.end_session_endpoint === undefined ? {} : { endSessionEndpoint: endpoint(server, 'end_session_endpoint', o.allowHttp) }),
  };
}
