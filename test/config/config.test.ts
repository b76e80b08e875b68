/** Configuration: defaults, file and environment layers, strictness, secrets (DESIGN §8). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { legacyWarnings, verifyPolicyFor } from '../../src/config/crypto-policy.ts';
import { envNameFor } from '../../src/config/env.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { loadConfig } from '../../src/config/load.ts';
import { MASK, maskSecrets } from '../../src/config/mask.ts';

const dir = mkdtempSync(join(tmpdir(), 'pont-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function issuesOf(fn: () => unknown): Array<{ path: string; message: string }> {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return [...e.issues];
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const PEER = 'https://legacy.example/metadata';

describe('configuration defaults', () => {
  it('has the documented defaults and is frozen', () => {
    const c = loadConfig({ env: {} });
    expect(c.environment).toBe('development');
    expect(c.server).toEqual({ host: '127.0.0.1', port: 8080, publicBaseUrl: 'http://localhost:8080' });
    expect(c.database).toEqual({ dataDir: 'var/pglite' });
    expect(c.keys.dir).toBe('var/keys');
    expect(c.crypto).toEqual({ minRsaBits: 3072, legacyPeers: [] });
    expect(c.log.level).toBe('info');
    expect(Object.isFrozen(c.server)).toBe(true);
  });
});

describe('configuration layers', () => {
  it('maps PONT_<AREA>__<KEY> variables, PORT and DATABASE_URL (a PONT_ variable wins)', () => {
    const c = loadConfig({
      env: {
        PONT_SERVER__PORT: '9090',
        PORT: '7070',
        DATABASE_URL: 'postgres://pont:pw@db:5432/pont',
        PONT_SERVER__PUBLIC_BASE_URL: 'https://pont.example.fr/',
        PONT_CRYPTO__LEGACY_PEERS: JSON.stringify([{ entityId: PEER, allow: ['rsa-sha256'] }]),
      },
    });
    expect(c.server.port).toBe(9090);
    expect(c.server.publicBaseUrl).toBe('https://pont.example.fr');
    expect(c.database.url).toBe('postgres://pont:pw@db:5432/pont');
    expect(c.crypto.legacyPeers).toEqual([{ entityId: PEER, allow: ['rsa-sha256'] }]);
    expect(loadConfig({ env: { PORT: '7070' } }).server).toMatchObject({ port: 7070, publicBaseUrl: 'http://localhost:7070' });
    const tls = { PONT_SERVER__TLS__CERT_FILE: 'cert.pem', PONT_SERVER__TLS__KEY_FILE: 'key.pem', PORT: '8443' };
    expect(loadConfig({ env: tls }).server.publicBaseUrl).toBe('https://localhost:8443'); // served over TLS: an https base URL
  });

  it('reads the file of --config or PONT_CONFIG over the defaults, and the environment over the file', () => {
    const f = file('layer.json', { server: { port: 8443 }, log: { level: 'warn' } });
    expect(loadConfig({ file: f, env: {} }).server.port).toBe(8443);
    expect(loadConfig({ env: { PONT_CONFIG: f } }).log.level).toBe('warn');
    expect(loadConfig({ file: f, env: { PONT_LOG__LEVEL: 'debug' } }).log.level).toBe('debug');
  });

  it('names environment variables as documented', () => {
    expect(envNameFor(['server', 'publicBaseUrl'])).toBe('PONT_SERVER__PUBLIC_BASE_URL');
    expect(envNameFor(['crypto', 'minRsaBits'])).toBe('PONT_CRYPTO__MIN_RSA_BITS');
  });
});

describe('configuration errors name the key path', () => {
  it('rejects unknown keys in a file, at any depth', () => {
    const f = file('unknown.json', { server: { prot: 1 }, crypto: { legacyPeers: [{ entityId: PEER, allow: ['rsa-sha256'], why: 'x' }] }, extra: true });
    expect(issuesOf(() => loadConfig({ file: f, env: {} }))).toEqual(
      expect.arrayContaining([
        { path: 'server.prot', message: 'unknown key' },
        { path: 'crypto.legacyPeers[0].why', message: 'unknown key' },
        { path: 'extra', message: 'unknown key' },
      ]),
    );
  });

  it('rejects an unknown PONT_ variable and a value of the wrong type, naming the variable', () => {
    expect(issuesOf(() => loadConfig({ env: { PONT_SERVER__PROT: '1' } }))).toEqual([
      { path: 'server.prot', message: 'unknown key (from PONT_SERVER__PROT)' },
    ]);
    expect(issuesOf(() => loadConfig({ env: { PONT_SERVER__PORT: 'eighty' } }))[0]).toMatchObject({ path: 'server.port' });
  });

  it('refuses a __proto__ key rather than merging it', () => {
    const f = file('proto.json', '{"__proto__": {"polluted": true}}');
    expect(issuesOf(() => loadConfig({ file: f, env: {} }))[0]).toMatchObject({ path: '__proto__', message: 'unknown key' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('R-CRY-04: refuses crypto.minRsaBits below 3072 (2048 only for a named legacy peer)', () => {
    expect(issuesOf(() => loadConfig({ env: { PONT_CRYPTO__MIN_RSA_BITS: '2048' } }))[0]?.path).toBe('crypto.minRsaBits');
  });

  it('refuses an unknown legacy allowance (no SHA-1) and a duplicate peer entityID', () => {
    const sha1 = [{ entityId: PEER, allow: ['rsa-sha1'] }];
    expect(issuesOf(() => loadConfig({ env: { PONT_CRYPTO__LEGACY_PEERS: JSON.stringify(sha1) } }))[0]?.path).toBe('crypto.legacyPeers[0].allow[0]');
    const twice = [{ entityId: PEER, allow: ['rsa-sha256'] }, { entityId: PEER, allow: ['rsa-2048'] }];
    expect(issuesOf(() => loadConfig({ env: { PONT_CRYPTO__LEGACY_PEERS: JSON.stringify(twice) } }))[0]?.path).toBe('crypto.legacyPeers[1].entityId');
  });

  it('R-MD-15: production requires an https public base URL', () => {
    // what production requires of the franceconnect area, so that the base URL is what is checked
    const fc = { PONT_FRANCECONNECT__ISSUER: 'https://fc.example.fr/api/v2', PONT_FRANCECONNECT__CLIENT_SECRET: 'not-a-real-secret', PONT_FRANCECONNECT__ENCRYPTION__ENABLED: 'false' };
    expect(issuesOf(() => loadConfig({ env: { ...fc, PONT_ENVIRONMENT: 'production' } }))).toEqual([
      { path: 'server.publicBaseUrl', message: 'must be an https URL in production' },
    ]);
    const prod = loadConfig({ env: { ...fc, PONT_ENVIRONMENT: 'production', PONT_SERVER__PUBLIC_BASE_URL: 'https://eidas.example.fr' } });
    expect(prod.environment).toBe('production');
  });

  it('reports a missing or malformed file as a configuration error', () => {
    expect(issuesOf(() => loadConfig({ file: join(dir, 'absent.json'), env: {} }))[0]?.message).toMatch(/no such file/);
    expect(issuesOf(() => loadConfig({ file: file('bad.json', '{'), env: {} }))[0]?.message).toMatch(/not valid JSON/);
  });

  it('never echoes the text of a malformed file: it may be a secret (franceconnect.clientSecret without quotes)', () => {
    const bad = file('unquoted-secret.json', '{"franceconnect": {"clientSecret": s3cr3t-client-value}}');
    const err = (() => {
      try {
        loadConfig({ file: bad, env: {} });
      } catch (e) {
        return e;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain(`${bad} is not valid JSON`);
    expect((err as ConfigError).message).not.toMatch(/s3cr3t|client-value|clientSecret/);
  });
});

describe('legacy peers and secrets', () => {
  const config = loadConfig({
    env: {
      DATABASE_URL: 'postgres://pont:s3cret@db:5432/pont?sslpassword=k3y',
      PONT_CRYPTO__LEGACY_PEERS: JSON.stringify([{ entityId: PEER, allow: ['rsa-sha256', 'rsa-2048'] }]),
    },
  });

  it('R-CRY-03/04: relaxes the policy only for the named peer, and says so in a warning', () => {
    expect(verifyPolicyFor(config, PEER)).toEqual({ minRsaBits: 2048, allowLegacyRsaSha256: true });
    expect(verifyPolicyFor(config, 'https://other.example/metadata')).toEqual({ minRsaBits: 3072, allowLegacyRsaSha256: false });
    expect(legacyWarnings(config)).toEqual([expect.stringContaining(PEER)]);
  });

  it('masks the database password (in the URL and its query) and nothing else', () => {
    const masked = maskSecrets(config) as { database: { url: string }; server: unknown };
    expect(masked.database.url).toBe(`postgres://pont:${MASK}@db:5432/pont?sslpassword=${MASK}`);
    expect(JSON.stringify(masked)).not.toMatch(/s3cret|k3y/);
    expect(masked.server).toEqual(config.server);
  });
});
