/**
 * Applies the misbehaviour knob (misbehave.ts) to what oidc-provider just answered at the
 * token and userinfo endpoints. The rebuilt tokens carry the claims the real ones carry, from
 * the authorization code or access token oidc-provider accepted, before the changes asked.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';
import { SCOPE_CLAIMS, isFcScope } from '../../pivot/index.ts';
import type { Citizen } from './citizens.ts';
import type { MockSigningKeys } from './keys.ts';
import { applyClaims, forgeToken, type ForgeKeys, type Misbehaviour } from './misbehave.ts';
import { pairwiseSub, sectorOf, type MockClient } from './provider.ts';

export interface RewriteDeps {
  issuer: string;
  clients: ReadonlyMap<string, MockClient>;
  citizens: ReadonlyMap<string, Citizen>;
  keys: MockSigningKeys;
  pairwiseSalt: string;
  misbehaviour: () => Misbehaviour | undefined;
}

interface Issued {
  accountId: string;
  clientId: string;
  sectorIdentifier: string;
}

function forgeKeys(deps: RewriteDeps, client: MockClient): ForgeKeys {
  const alg = client.signingAlg ?? 'ES256';
  const key = (alg === 'RS256' ? deps.keys.rs256 : undefined) ?? deps.keys.es256;
  const enc = client.encryption;
  return {
    signing: { kid: key.kid, alg, privateJwk: key.privateJwk },
    publicPem: deps.keys.es256.publicPem,
    clientSecret: client.clientSecret,
    encryption: enc ? { jwk: enc.publicJwk, alg: enc.alg, enc: enc.enc ?? 'A256GCM' } : undefined,
  };
}

function baseClaims(deps: RewriteDeps, issued: Issued): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: deps.issuer,
    sub: pairwiseSub(issued.sectorIdentifier, issued.accountId, deps.pairwiseSalt),
    aud: issued.clientId,
    iat: now,
    exp: now + 60,
  };
}

async function rewriteIdToken(ctx: KoaContextWithOIDC, deps: RewriteDeps, m: Misbehaviour): Promise<void> {
  const body = ctx.body as Record<string, unknown> | undefined;
  const code = ctx.oidc.entities.AuthorizationCode;
  const client = ctx.oidc.client;
  const registered = client ? deps.clients.get(client.clientId) : undefined;
  if (!m.idToken || !body || typeof body.id_token !== 'string' || !code || !client || !registered) return;
  const base = {
    ...baseClaims(deps, { accountId: String(code.accountId), clientId: client.clientId, sectorIdentifier: sectorOf(client) }),
    auth_time: code.authTime,
    nonce: code.nonce,
    acr: code.acr,
    amr: code.amr,
  };
  body.id_token = await forgeToken(applyClaims(base, m.idToken.claims), m.idToken, forgeKeys(deps, registered));
}

function releasedClaims(citizen: Citizen, scopes: Iterable<string>): Record<string, unknown> {
  const names = new Set<string>([...scopes].filter(isFcScope).flatMap((s) => SCOPE_CLAIMS[s]));
  return Object.fromEntries(Object.entries(citizen.claims).filter(([name]) => names.has(name)));
}

async function rewriteUserinfo(ctx: KoaContextWithOIDC, deps: RewriteDeps, m: Misbehaviour): Promise<void> {
  const token = ctx.oidc.entities.AccessToken;
  const client = ctx.oidc.client;
  const registered = client ? deps.clients.get(client.clientId) : undefined;
  const citizen = token ? deps.citizens.get(String(token.accountId)) : undefined;
  if (!m.userinfo || !token || !client || !registered || !citizen) return;
  const base = {
    ...baseClaims(deps, { accountId: citizen.id, clientId: client.clientId, sectorIdentifier: sectorOf(client) }),
    ...releasedClaims(citizen, token.scopes),
  };
  ctx.body = await forgeToken(applyClaims(base, m.userinfo.claims), m.userinfo, forgeKeys(deps, registered));
  ctx.type = 'application/jwt; charset=utf-8';
}

/** Koa middleware for `provider.use()`. */
export function misbehaviourMiddleware(deps: RewriteDeps) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<unknown>): Promise<void> => {
    await next();
    const m = deps.misbehaviour();
    if (!m || ctx.status !== 200 || !ctx.oidc) return;
    if (ctx.oidc.route === 'token') await rewriteIdToken(ctx, deps, m);
    if (ctx.oidc.route === 'userinfo') await rewriteUserinfo(ctx, deps, m);
  };
}
