/**
 * The test knob: ways the mock can misbehave for the attack tests of attacks.md §E. It is
 * only an option of createMockFranceConnect (or its `misbehave()` method): nothing over HTTP
 * turns it on, and the mock refuses to be built for production.
 *
 * When a rule asks to rewrite a token, the mock rebuilds it from what it issued (the
 * authorization code or access token it just accepted), applies the change, signs it as
 * asked and encrypts it to the client when the client's registration asks for encryption.
 */
import { CompactEncrypt, CompactSign, UnsecuredJWT, generateKeyPair, importJWK, type JWK } from 'jose';

export type ForgedSignature =
  /** The registered algorithm with the mock's real key (claim changes only). */
  | 'registered'
  /** `alg: none`, no signature (ATK-64). */
  | 'none'
  /** HS256 keyed with the PEM of the mock's public ES256 key (ATK-64 key confusion). */
  | 'hs256-public-key'
  /** HS256 keyed with the client secret, where ES256/RS256 is registered (ATK-64). */
  | 'hs256-client-secret'
  /** ES256 with a key the mock does not publish, under the published key's kid. */
  | 'foreign-key';

export interface TokenRewrite {
  /** Claims set or replaced (e.g. `{ iss: 'https://evil.example' }`); `null` removes the claim. */
  claims?: Record<string, unknown>;
  sign?: ForgedSignature;
}

export interface Misbehaviour {
  /** Log the citizen in with this acr whatever was asked (e.g. 'eidas1' on FranceConnect+). */
  acr?: string;
  /** Rewrite the id_token of the token endpoint response. */
  idToken?: TokenRewrite;
  /** Rewrite the userinfo JWT (e.g. `{ claims: { sub: 'someone-else' } }`). */
  userinfo?: TokenRewrite;
}

export interface ForgeKeys {
  signing: { kid: string; alg: string; privateJwk: JWK };
  publicPem: string;
  clientSecret: string;
  /** The client's encryption registration, when it has one. */
  encryption?: { jwk: JWK; alg: string; enc: string } | undefined;
}

export function applyClaims(base: Record<string, unknown>, changes: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** Signs (as the rewrite asks) and, when the client registered it, encrypts. */
export async function forgeToken(payload: Record<string, unknown>, rewrite: TokenRewrite, keys: ForgeKeys): Promise<string> {
  const jws = await sign(payload, rewrite.sign ?? 'registered', keys);
  if (!keys.encryption) return jws;
  const { jwk, alg, enc } = keys.encryption;
  const key = await importJWK(jwk, alg);
  return new CompactEncrypt(new TextEncoder().encode(jws))
    .setProtectedHeader({ alg, enc, cty: 'JWT', ...(jwk.kid ? { kid: jwk.kid } : {}) })
    .encrypt(key);
}

async function sign(payload: Record<string, unknown>, how: ForgedSignature, keys: ForgeKeys): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  switch (how) {
    case 'none':
      return new UnsecuredJWT(payload).encode();
    case 'hs256-public-key':
      return hmac(bytes, keys.publicPem, keys.signing.kid);
    case 'hs256-client-secret':
      return hmac(bytes, keys.clientSecret, undefined);
    case 'foreign-key': {
      const other = await generateKeyPair('ES256');
      return new CompactSign(bytes).setProtectedHeader({ alg: 'ES256', kid: keys.signing.kid, typ: 'JWT' }).sign(other.privateKey);
    }
    case 'registered': {
      if (keys.signing.alg === 'HS256') return hmac(bytes, keys.clientSecret, undefined);
      const key = await importJWK(keys.signing.privateJwk, keys.signing.alg);
      return new CompactSign(bytes).setProtectedHeader({ alg: keys.signing.alg, kid: keys.signing.kid, typ: 'JWT' }).sign(key);
    }
  }
}

function hmac(bytes: Uint8Array, secret: string, kid: string | undefined): Promise<string> {
  return new CompactSign(bytes)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...(kid ? { kid } : {}) })
    .sign(new TextEncoder().encode(secret));
}
