/**
 * The PersonIdentifier key (R-ATT-03, DESIGN §2): configured, or in development generated once
 * beside the data directory and reused; in production never invented; never logged.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.ts';
import { loadConfig } from '../../src/config/load.ts';
import { developmentStateDir, resolveIdentifierSecret } from '../../src/flow/index.ts';
import { createLogger } from '../../src/util/logger.ts';

const work = mkdtempSync(join(tmpdir(), 'pont-idsecret-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function captured() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

const FC_PRODUCTION = { issuer: 'https://auth.integ01.dev-franceconnect.fr/api/v2', clientSecret: 'a-client-secret', encryption: { enabled: false } };

describe('proxyService.identifierSecret', () => {
  it('R-ATT-03: development without a configured key: one is generated (0600) beside the data directory, reused after, never logged', () => {
    const config = loadConfig({ env: {}, overrides: { database: { dataDir: join(work, 'pglite') } } });
    const { logger, lines } = captured();
    const first = resolveIdentifierSecret(config, logger);
    const second = resolveIdentifierSecret(config, logger);
    expect(first).toBe(second);
    expect(Buffer.byteLength(first)).toBeGreaterThanOrEqual(32);
    const file = join(developmentStateDir(config), 'proxy-service-identifier-secret');
    expect(developmentStateDir(config)).toBe(join(work, 'dev'));
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(lines.join('')).toContain(file);
    expect(lines.join('')).not.toContain(first);
  });

  it('R-ATT-03: the configured key wins, in any environment', () => {
    const secret = 'k'.repeat(40);
    const config = loadConfig({ env: { PONT_PROXY_SERVICE__IDENTIFIER_SECRET: secret }, overrides: { database: { dataDir: join(work, 'other', 'pglite') } } });
    expect(resolveIdentifierSecret(config, captured().logger)).toBe(secret);
  });

  it('production without the key refuses to start, naming the key; a key under 32 bytes is a configuration error', () => {
    const config = loadConfig({
      env: {},
      overrides: { environment: 'production', server: { publicBaseUrl: 'https://eidas.example.fr' }, franceconnect: FC_PRODUCTION, database: { dataDir: join(work, 'prod', 'pglite') } },
    });
    expect(() => resolveIdentifierSecret(config, captured().logger)).toThrow(ConfigError);
    expect(() => resolveIdentifierSecret(config, captured().logger)).toThrow(/proxyService\.identifierSecret: required in production/);
    expect(() => loadConfig({ env: { PONT_PROXY_SERVICE__IDENTIFIER_SECRET: 'short' } })).toThrow(/proxyService\.identifierSecret: at least 32 bytes/);
  });
});
