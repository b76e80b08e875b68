/**
 * Starts the node from a validated configuration: keys (generated in development), the
 * database (opened and migrated), the key ring (key states shared in the database; the
 * development keys become the active keys on the first start), the HTTP(S) server. Logs what
 * it did: generated or reused key files with their fingerprints, applied migrations, legacy
 * exceptions, the URLs.
 */
import { resolve } from 'node:path';
import type { Config } from '../config/schema.ts';
import { legacyWarnings } from '../config/crypto-policy.ts';
import { ensureDevelopmentKeys } from '../keys/dev-keys.ts';
import type { LoadedKeySet } from '../keys/keyset.ts';
import { keySettingsFrom, openNodeKeyRing, type ManagedKeyRing } from '../metadata/keys/index.ts';
import { createMetadataPublisher, metadataRouter } from '../metadata/publish/index.ts';
import { openPeerRegistry, type OpenedPeerRegistry } from '../metadata/peers/index.ts';
import { createAuditLog } from '../audit/index.ts';
import { migrate, openDatabase, type Database } from '../storage/index.ts';
import type { Logger } from '../util/logger.ts';
import { createApp } from './app.ts';
import { databaseCheck, keyRingCheck, peersCheck } from './checks.ts';
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
  // Production keys are only what node_keys names (`pont keys generate|import`); no file is generated.
  const devKeys = config.environment === 'development' ? await loadDevelopmentKeys(config, logger) : undefined;
  const db = await openAndMigrate(config, logger);
  let keyRing: ManagedKeyRing | undefined;
  let peers: OpenedPeerRegistry | undefined;
  try {
    keyRing = await openNodeKeyRing({ db, config, logger, ...(devKeys && { developmentKeys: devKeys.keys }) });
    peers = await openPeerRegistry({ db, config, logger, audit: createAuditLog(db), recordConfigPeers: true });
    peers.startSchedule();
    const checks = [databaseCheck(db), keyRingCheck(keyRing, keySettingsFrom(config)), peersCheck(peers)];
    const publisher = createMetadataPublisher({ keyRing, config });
    const app = createApp({
      logger,
      readiness: () => evaluateReadiness(checks, warnings),
      secureTransport: config.server.publicBaseUrl.startsWith('https://'),
      metadataRouter: metadataRouter(publisher, config),
    });
    const listening = await listen(app, config.server);
    const boundUrl = `${listening.protocol}://${urlHost(listening.host)}:${listening.port}`;
    const base = config.server.publicBaseUrl;
    logger.info(
      { boundUrl, publicBaseUrl: base, healthz: `${base}/healthz`, readyz: `${base}/readyz`, environment: config.environment, ms: Date.now() - started },
      `Pont eIDAS listening on ${boundUrl} (public base URL ${base})`,
    );
    const ring = keyRing;
    const registry = peers;
    return { listening, boundUrl, stop: () => registry.close().then(() => stopAll(listening, db, ring)) };
  } catch (e) {
    await peers?.close();
    keyRing?.close();
    await db.close().catch(() => undefined);
    throw e;
  }
}

async function loadDevelopmentKeys(config: Config, logger: Logger): Promise<LoadedKeySet> {
  const dir = resolve(config.keys.dir);
  const policy = { minRsaBits: config.crypto.minRsaBits };
  const { loaded, generated } = await developmentKeys(dir, policy, logger);
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

async function stopAll(listening: Listening, db: Database, keyRing: ManagedKeyRing): Promise<void> {
  keyRing.close();
  await listening.close();
  await db.close();
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
