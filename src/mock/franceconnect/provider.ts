/**
 * The oidc-provider configuration that makes the mock behave like FranceConnect v2
 * (franceconnect.md §3): code flow only, PKCE S256, pairwise `sub` (64 hex + "v1"), ES256
 * (or RS256, HS256 on the low platform) id_token and JWT userinfo, optional JWE to the client,
 * FranceConnect's scopes and claims, its acr values and lifetimes (code 30 s, tokens 60 s),
 * and no consent screen.
 */
import { createHash } from 'node:crypto';
import Provider, { type ClientMetadata, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { FC_SIGNING_ALGS, SCOPE_CLAIMS, type FcSigningAlg, type FranceConnectPlatform } from '../../pivot/index.ts';
import type { Citizen } from './citizens.ts';
import type { MockSigningKey } from './keys.ts';
import { errorPage } from './pages.ts';

export const MOCK_ENCRYPTION_ALGS = ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES'] as const;
export type MockEncryptionAlg = (typeof MOCK_ENCRYPTION_ALGS)[number];

export interface MockClient {
  clientId: string;
  clientSecret: string;
  redirectUris: readonly string[];
  postLogoutRedirectUris?: readonly string[];
  /** id_token and userinfo signature (default ES256). */
  signingAlg?: FcSigningAlg;
  /** When set, id_token and userinfo are JWE encrypted to this public key (as FranceConnect+ does). */
  encryption?: { publicJwk: import('jose').JWK; alg: MockEncryptionAlg; enc?: 'A256GCM' };
}

export interface ProviderSetup {
  issuer: string;
  mountPath: string;
  profile: FranceConnectPlatform;
  clients: readonly MockClient[];
  citizens: ReadonlyMap<string, Citizen>;
  keys: readonly MockSigningKey[];
  cookieKeys: readonly string[];
  pairwiseSalt: string;
}

/** FranceConnect's pairwise subject: sha256hex(sector + account + secret) + "v1". */
export function pairwiseSub(sectorIdentifier: string, accountId: string, salt: string): string {
  return `${createHash('sha256').update(sectorIdentifier + accountId + salt).digest('hex')}v1`;
}

/** oidc-provider's `client.sectorIdentifier` (the redirect URIs' host), absent from its types. */
export function sectorOf(client: object): string {
  const sector = (client as { sectorIdentifier?: unknown }).sectorIdentifier;
  return typeof sector === 'string' ? sector : '';
}

export function clientMetadata(c: MockClient, defaultAcr: string): ClientMetadata {
  const alg = c.signingAlg ?? 'ES256';
  const enc = c.encryption;
  return {
    client_id: c.clientId,
    client_secret: c.clientSecret,
    redirect_uris: [...c.redirectUris],
    post_logout_redirect_uris: [...(c.postLogoutRedirectUris ?? [])],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
    subject_type: 'pairwise',
    require_auth_time: true,
    // acr is always in FranceConnect's id_token, asked for or not.
    default_acr_values: [defaultAcr],
    id_token_signed_response_alg: alg,
    userinfo_signed_response_alg: alg,
    ...(enc
      ? {
          jwks: { keys: [{ ...enc.publicJwk, use: 'enc', alg: enc.alg }] },
          id_token_encrypted_response_alg: enc.alg,
          id_token_encrypted_response_enc: enc.enc ?? 'A256GCM',
          userinfo_encrypted_response_alg: enc.alg,
          userinfo_encrypted_response_enc: enc.enc ?? 'A256GCM',
        }
      : {}),
  };
}

/** FranceConnect's scopes, plus `amr` in the id_token (acr, auth_time and sid come with openid). */
function claimsConfig(): Record<string, string[]> {
  const out = Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([scope, claims]) => [scope, [...claims]]));
  return { ...out, openid: ['sub', 'amr'] };
}

/**
 * FranceConnect keeps no citizen session and forces `prompt=login consent` (franceconnect.md
 * §3.1, §3.2): once an authorization has answered the client, the mock forgets the login, so
 * the next request of the same browser goes through the picking page (or login_hint) again
 * and never silently reuses the previous citizen and acr. Koa middleware for `provider.use()`.
 */
export function forgetCitizenSessions() {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<unknown>): Promise<void> => {
    await next();
    const route = ctx.oidc?.route;
    if (route !== 'authorization' && route !== 'resume') return;
    const session = ctx.oidc.entities.Session;
    if (session?.accountId) await session.destroy();
  };
}

export function buildProvider(setup: ProviderSetup): Provider {
  const signingAlgs = FC_SIGNING_ALGS;
  const encAlgs = [...MOCK_ENCRYPTION_ALGS];
  const configuration: Configuration = {
    clients: setup.clients.map((c) => clientMetadata(c, setup.profile.defaultAcr)),
    jwks: { keys: setup.keys.map((k) => k.privateJwk) },
    claims: claimsConfig(),
    acrValues: [...setup.profile.acrValues],
    subjectTypes: ['pairwise'],
    responseTypes: ['code'],
    extraParams: ['idp_hint'],
    pairwiseIdentifier: (_ctx, accountId, client) => pairwiseSub(sectorOf(client), accountId, setup.pairwiseSalt),
    findAccount: (_ctx, id) => {
      const citizen = setup.citizens.get(id);
      if (!citizen) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...citizen.claims }) };
    },
    pkce: { required: () => true },
    // Codes and tokens outlive the citizen session the mock forgets (forgetCitizenSessions).
    expiresWithSession: () => false,
    cookies: { keys: [...setup.cookieKeys] },
    ttl: { AccessToken: 60, AuthorizationCode: 30, IdToken: 60, Interaction: 600, Session: 600, Grant: 600 },
    interactions: { url: (_ctx, interaction) => `${setup.mountPath}/interaction/${interaction.uid}` },
    routes: {
      authorization: '/authorize',
      token: '/token',
      userinfo: '/userinfo',
      jwks: '/jwks',
      end_session: '/session/end',
      revocation: '/token/revoke',
    },
    features: {
      devInteractions: { enabled: false },
      encryption: { enabled: true },
      jwtUserinfo: { enabled: true },
      userinfo: { enabled: true },
      claimsParameter: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      pushedAuthorizationRequests: { enabled: false },
    },
    enabledJWA: {
      idTokenSigningAlgValues: [...signingAlgs],
      userinfoSigningAlgValues: [...signingAlgs],
      idTokenEncryptionAlgValues: encAlgs,
      idTokenEncryptionEncValues: ['A256GCM'],
      userinfoEncryptionAlgValues: encAlgs,
      userinfoEncryptionEncValues: ['A256GCM'],
    },
    renderError: (ctx: KoaContextWithOIDC, out) => {
      ctx.type = 'html';
      ctx.body = errorPage(String(out.error ?? 'server_error'), String(out.error_description ?? ''));
    },
  };
  return new Provider(setup.issuer, configuration);
}
