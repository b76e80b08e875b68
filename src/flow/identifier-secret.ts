/**
 * The PersonIdentifier key of the proxy service (proxyService.identifierSecret): the configured
 * one; in production nothing else (a start without it fails); in development one generated once
 * (256 random bits) into the development state directory beside the PGlite data directory, so it
 * survives restarts and every instance started on the same data shares it. Its value is never
 * logged: only the file it lives in.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MIN_IDENTIFIER_SECRET_BYTES } from '../config/areas/proxy-service.ts';
import { ConfigError } from '../config/errors.ts';
import type { Config } from '../config/schema.ts';
import { ensurePrivateDir, isExposed, writePrivateFile } from '../keys/files.ts';
import type { Logger } from '../util/logger.ts';

const SECRET_FILE = 'proxy-service-identifier-secret';

/** Where development-only state lives (mock keys, generated secrets): `<parent of database.dataDir>/dev`. */
export function developmentStateDir(config: Config): string {
  return join(dirname(resolve(config.database.dataDir)), 'dev');
}

export function resolveIdentifierSecret(config: Config, logger: Logger): string {
  const configured = config.proxyService.identifierSecret;
  if (configured !== undefined) return configured;
  if (config.environment !== 'development') {
    throw new ConfigError([{ path: 'proxyService.identifierSecret', message: 'required in production' }]);
  }
  return developmentSecret(developmentStateDir(config), logger);
}

function developmentSecret(dir: string, logger: Logger): string {
  const file = join(dir, SECRET_FILE);
  if (!existsSync(file)) {
    ensurePrivateDir(dir);
    writePrivateFile(file, `${randomBytes(32).toString('base64url')}\n`);
    logger.info({ event: 'proxy.identifier_secret.generated', file }, `generated the development PersonIdentifier secret ${file}`);
  } else if (isExposed(file)) {
    logger.warn({ event: 'proxy.identifier_secret.permissions', file }, `${file} is readable by group or others (expected mode 0600)`);
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (Buffer.byteLength(secret, 'utf8') < MIN_IDENTIFIER_SECRET_BYTES) {
    throw new ConfigError([{ path: 'proxyService.identifierSecret', message: `${file} holds fewer than ${MIN_IDENTIFIER_SECRET_BYTES} bytes` }]);
  }
  return secret;
}
