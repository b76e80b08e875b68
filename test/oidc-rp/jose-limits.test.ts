/**
 * The JOSE layer on its own, with tokens forged by jose (ATK-64, ATK-67): the configured JWE
 * algorithms only, no compression, no PBES2, size caps, the pinned JWS algorithm and key
 * source only; and unsigned userinfo refused (ATK-65).
 */
import { generateKeyPairSync } from 'node:crypto';
import { CompactEncrypt, CompactSign, FlattenedSign, exportJWK, generateKeyPair, createLocalJWKSet } from 'jose';
import { describe, expect, it } from 'vitest';
import { decryptToken, verifySignedToken, MAX_TOKEN_CHARS, type Decryption } from '../../src/back/oidc-rp/jose-verify.ts';
import { verifyingFetch, type InterceptOptions } from '../../src/back/oidc-rp/intercept.ts';
import { reasonOf } from './support/harness.ts';

const rsa = generateKeyPairSync('rsa', { modulusLength: 3072 });
const decryption: Decryption = { key: rsa.privateKey, alg: 'RSA-OAEP', enc: 'A256GCM' };
const te = new TextEncoder();

const op = await generateKeyPair('ES256', { extractable: true });
const opJwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(op.publicKey)), kid: 'op-1', alg: 'ES256' }] });
const payload = te.encode(JSON.stringify({ sub: 'abc', iss: 'https://op.example' }));
const goodJws = await new CompactSign(payload).setProtectedHeader({ alg: 'ES256', kid: 'op-1' }).sign(op.privateKey);

function encrypt(header: Record<string, unknown>, plaintext = goodJws, key: unknown = rsa.publicKey): Promise<string> {
  return new CompactEncrypt(te.encode(plaintext))
    .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A256GCM', ...header })
    .encrypt(key as Parameters<CompactEncrypt['encrypt']>[0]);
}

describe('JWE as configured, nothing else (ATK-64, ATK-67)', () => {
  it('opens a JWE made with the configured algorithms', async () => {
    expect(await decryptToken(await encrypt({}), decryption)).toBe(goodJws);
  });

  it('ATK-67: a compressed JWE (zip: DEF) is refused (JOSE_LIMIT)', async () => {
    expect(await reasonOf(decryptToken(await encrypt({ zip: 'DEF' }), decryption))).toBe('JOSE_LIMIT');
  });

  it('ATK-67: a password-based JWE (PBES2) is refused before any key derivation (JOSE_LIMIT)', async () => {
    const jwe = await new CompactEncrypt(te.encode(goodJws))
      .setProtectedHeader({ alg: 'PBES2-HS256+A128KW', enc: 'A256GCM' })
      .setKeyManagementParameters({ p2c: 1000, p2s: new Uint8Array(16) })
      .encrypt(te.encode('password'));
    expect(await reasonOf(decryptToken(jwe, decryption))).toBe('JOSE_LIMIT');
  });

  it('ATK-67: an oversized token is refused unread (JOSE_LIMIT)', async () => {
    expect(await reasonOf(decryptToken(`${'a'.repeat(MAX_TOKEN_CHARS)}.b.c.d.e`, decryption))).toBe('JOSE_LIMIT');
  });

  it.each([
    ['RSA-OAEP-256 where RSA-OAEP is configured', { alg: 'RSA-OAEP-256' }],
    ['A128GCM where A256GCM is configured', { enc: 'A128GCM' }],
    ['an unknown crit header', { crit: ['exp'], exp: 1 }],
  ])('ATK-64: a JWE with %s is refused (OIDC_ALG)', async (_name, header) => {
    const jwe = await new CompactEncrypt(te.encode(goodJws))
      .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A256GCM', ...header })
      .encrypt(rsa.publicKey)
      .catch(() => undefined);
    const token = jwe ?? (await encrypt({})).replace(/^[^.]+/, Buffer.from(JSON.stringify({ alg: 'RSA-OAEP', enc: 'A256GCM', ...header })).toString('base64url'));
    expect(await reasonOf(decryptToken(token, decryption))).toBe('OIDC_ALG');
  });

  it('a plain JWS where encryption is configured is refused (OIDC_DECRYPT)', async () => {
    expect(await reasonOf(decryptToken(goodJws, decryption))).toBe('OIDC_DECRYPT');
  });

  it('a JWE to another key is refused (OIDC_DECRYPT)', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    expect(await reasonOf(decryptToken(await encrypt({}, goodJws, other), decryption))).toBe('OIDC_DECRYPT');
  });

  it('a JWE holding something else than a JWS is refused (OIDC_ALG)', async () => {
    expect(await reasonOf(decryptToken(await encrypt({}, '{"sub":"abc"}'), decryption))).toBe('OIDC_ALG');
  });
});

describe('JWS with the pinned algorithm and key source only (ATK-64)', () => {
  const check = { alg: 'ES256' as const, key: opJwks };

  it("verifies the OP's ES256 token", async () => {
    expect(await verifySignedToken(goodJws, check)).toEqual({ sub: 'abc', iss: 'https://op.example' });
  });

  it('ATK-64: an embedded jwk header carrying the attacker key is ignored: refused (OIDC_ALG)', async () => {
    const evil = await generateKeyPair('ES256', { extractable: true });
    const jws = await new CompactSign(payload)
      .setProtectedHeader({ alg: 'ES256', kid: 'op-1', jwk: await exportJWK(evil.publicKey) })
      .sign(evil.privateKey);
    expect(await reasonOf(verifySignedToken(jws, check))).toBe('OIDC_ALG');
  });

  it('ATK-64: an RS256 token where ES256 is pinned is refused (OIDC_ALG)', async () => {
    const jws = await new CompactSign(payload).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey);
    expect(await reasonOf(verifySignedToken(jws, check))).toBe('OIDC_ALG');
  });

  it('ATK-64: a JWS JSON serialisation is refused (OIDC_ALG)', async () => {
    const flat = await new FlattenedSign(payload).setProtectedHeader({ alg: 'ES256', kid: 'op-1' }).sign(op.privateKey);
    expect(await reasonOf(verifySignedToken(JSON.stringify({ ...flat, signatures: [flat, flat] }), check))).toBe('OIDC_ALG');
  });

  it('ATK-64: an unknown crit header is refused (OIDC_ALG)', async () => {
    const jws = await new CompactSign(payload).setProtectedHeader({ alg: 'ES256', kid: 'op-1', crit: ['x'], x: 1 }).sign(op.privateKey).catch(() => undefined);
    const token = jws ?? goodJws.replace(/^[^.]+/, Buffer.from(JSON.stringify({ alg: 'ES256', kid: 'op-1', crit: ['x'], x: 1 })).toString('base64url'));
    expect(await reasonOf(verifySignedToken(token, check))).toBe('OIDC_ALG');
  });
});

describe('userinfo must be a signed JWT (ATK-65)', () => {
  it('ATK-65: a plain JSON userinfo is refused (OIDC_CLAIMS)', async () => {
    const options: InterceptOptions = {
      tokenEndpoint: 'https://op.example/token',
      userinfoEndpoint: 'https://op.example/userinfo',
      signature: { alg: 'ES256', key: opJwks },
      idToken: {
        issuer: 'https://op.example',
        clientId: 'c',
        nonce: 'n'.repeat(43),
        platformAcrs: ['eidas2', 'eidas3'],
        requestedAcrs: ['eidas2'],
        clockToleranceSeconds: 10,
        maxAgeSeconds: 300,
      },
      now: () => Math.floor(Date.now() / 1000),
    };
    const base = async () => Response.json({ sub: 'abc', given_name: 'Angela' });
    const fetchUserinfo = verifyingFetch(base, options, { idToken: { sub: 'abc', acr: 'eidas2' } });
    expect(await reasonOf(fetchUserinfo('https://op.example/userinfo'))).toBe('OIDC_CLAIMS');
  });
});
