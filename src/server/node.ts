/**
 * Starts the node from a validated configuration: keys (generated in development), the
 * database (opened and migrated), the HTTP(S) server. Logs what it did: generated or reused
 * key files with their fingerprints, applied migrations, legacy exceptions, the URLs.
 */
import { resolve } from 'node:path';
import type { Config } from '../config/schema.ts';
import { legacyWarnings } from '../config/crypto-policy.ts';
import { ensureDevelopmentKeys } from '../keys/dev-keys.ts';
import { KeyStoreError } from '../keys/errors.ts';
import { loadKeySet, type LoadedKeySet } from '../keys/keyset.ts';
import { migrate, openDatabase, type Database } from '../storage/index.ts';
import type { Logger } from '../util/logger.ts';
import { createApp } from './app.ts';
import { databaseCheck, keysCheck } from './checks.ts';
import { listen, type Listening } from './listen.ts';
import { evaluateReadiness } from './readiness.ts';

export interface NodeHandle {
  listening: Listening;
  /** Where the node listens, e.g. http://127.0.0.1:8080. */
  boundUrl: string;
  stop(): Promise<void>;
}

export async function startNode(config: Config, logger: Logger): Promise<NodeHandle> {
  const started = Date.now();
  const warnings = legacyWarnings(config);
  warnings.forEach((w) => logger.warn({ event: 'crypto.legacy_peer' }, w));
  const keys = await loadOwnKeys(config, logger);
  const db = await openAndMigrate(config, logger);
  try {
    const checks = [databaseCheck(db), keysCheck(keys.keys)];
    const app = createApp({
      logger,
      readiness: () => evaluateReadiness(checks, warnings),
      secureTransport: config.server.publicBaseUrl.startsWith('https://'),
    });
    const listening = await listen(app, config.server);
    const boundUrl = `${listening.protocol}://${urlHost(listening.host)}:${listening.port}`;
    const base = config.server.publicBaseUrl;
    logger.info(
      { boundUrl, publicBaseUrl: base, healthz: `${base}/healthz`, readyz: `${base}/readyz`, environment: config.environment, ms: Date.now() - started },
      `Pont eIDAS listening on ${boundUrl} (public base URL ${base})`,
    );
    return { listening, boundUrl, stop: () => stopAll(listening, db) };
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
}

async function loadOwnKeys(config: Config, logger: Logger): Promise<LoadedKeySet> {
  const dir = resolve(config.keys.dir);
  const policy = { minRsaBits: config.crypto.minRsaBits };
  const { loaded, generated } =
    config.environment === 'development'
      ? await developmentKeys(dir, policy, logger)
      : { loaded: productionKeys(dir, policy), generated: new Set<string>() };
  Object.values(loaded.keys)
    .filter((k) => !generated.has(k.role))
    .forEach((k) =>
      logger.info(
        { event: 'keys.loaded', role: k.role, keyFile: k.keyFile, fingerprint: k.fingerprint, notAfter: k.notAfter.toISOString() },
        `reusing ${k.role} key ${k.keyFile} (certificate SHA-256 ${k.fingerprint})`,
      ),
    );
  loaded.warnings.forEach((w) => logger.warn({ event: 'keys.permissions' }, w));
  return loaded;
}

async function developmentKeys(dir: string, policy: { minRsaBits: number }, logger: Logger) {
  const dev = await ensureDevelopmentKeys(dir, policy);
  if (dev.createdDir) logger.info({ dir }, `created keys directory ${dir} (mode 0700)`);
  dev.generated.forEach((g) =>
    logger.info(
      { event: 'keys.generated', role: g.role, keyFile: g.keyFile, certFile: g.certFile, fingerprint: g.fingerprint },
      `generated development ${g.role} key ${g.keyFile} (certificate SHA-256 ${g.fingerprint})`,
    ),
  );
  return { loaded: dev, generated: new Set<string>(dev.generated.map((g) => g.role)) };
}

function productionKeys(dir: string, policy: { minRsaBits: number }): LoadedKeySet {
  try {
    return loadKeySet(dir, policy);
  } catch (e) {
    if (e instanceof KeyStoreError && e.code === 'MISSING') {
      throw new KeyStoreError('MISSING', `${e.message}; keys are generated only when environment is development`);
    }
    throw e;
  }
}

async function openAndMigrate(config: Config, logger: Logger): Promise<Database> {
  const url = config.database.url;
  const db = await openDatabase(url ? { url } : { dataDir: resolve(config.database.dataDir) });
  try {
    const { applied } = await migrate(db);
    logger.info(
      { event: 'db.migrated', engine: db.engine, target: db.target, applied },
      applied.length > 0 ? `database ${db.target}: applied ${applied.join(', ')}` : `database ${db.target}: schema up to date`,
    );
    return db;
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
}

async function stopAll(listening: Listening, db: Database): Promise<void> {
  await listening.close();
  await db.close();
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
