/**
 * Starts the node from a validated configuration: keys (generated in development), the
 * database (opened and migrated), the key ring (key states shared in the database; the
 * development keys become the active keys on the first start), the proxy-service flow (src/flow),
 * in development the mocks and demo services (dev-services.ts), the HTTP(S) server. Logs what
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
import { createFranceConnectRp, createProxyService } from '../flow/index.ts';
import { Sweeper, migrate, openDatabase, type Database } from '../storage/index.ts';
import type { Logger } from '../util/logger.ts';
import { assetsRouter } from '../web/index.ts';
import { createApp } from './app.ts';
import { databaseCheck, keyRingCheck, peersCheck } from './checks.ts';
import type { DevServices } from './dev-services.ts';
import { listen, type Listening } from './listen.ts';
import { evaluateReadiness } from './readiness.ts';

export interface NodeHandle {
  listening: Listening;
  /** Where the node listens, e.g. http://127.0.0.1:8080. */
  boundUrl: string;
  /** Development only: the mocks and demo services it serves. */
  dev?: DevServices;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** An open database to use instead of the configured one (tests): migrated, never closed by the node. */
  db?: Database;
}

export async function startNode(config: Config, logger: Logger, options: StartOptions = {}): Promise<NodeHandle> {
  const started = Date.now();
  const warnings = legacyWarnings(config);
  warnings.forEach((w) => logger.warn({ event: 'crypto.legacy_peer' }, w));
  // Production keys are only what node_keys names (`pont keys generate|import`); no file is generated.
  const devKeys = config.environment === 'development' ? await loadDevelopmentKeys(config, logger) : undefined;
  const db = options.db ? await migrated(options.db, logger) : await openAndMigrate(config, logger);
  const closeDb = options.db ? () => Promise.resolve() : () => db.close();
  let keyRing: ManagedKeyRing | undefined;
  let peers: OpenedPeerRegistry | undefined;
  try {
    keyRing = await openNodeKeyRing({ db, config, logger, ...(devKeys && { developmentKeys: devKeys.keys }) });
    const rp = await createFranceConnectRp(config, db);
    // Development: the mock EU country must be a peer before the registry opens. Production never loads the mocks.
    const devModule = config.environment === 'development' ? await import('./dev-services.ts') : undefined;
    const dev = await devModule?.createDevServices(config, { rp, nodeMetadataCertificate: keyRing.active('metadata').certificate });
    const peerConfig = devModule && dev ? devModule.withDevelopmentPeer(config, dev.peer) : config;
    peers = await openPeerRegistry({ db, config: peerConfig, logger, audit: createAuditLog(db), recordConfigPeers: true });
    const checks = [databaseCheck(db), keyRingCheck(keyRing, keySettingsFrom(config)), peersCheck(peers)];
    const proxyService = createProxyService(config, { db, rp, peers, keys: keyRing, logger });
    const app = createApp({
      logger,
      readiness: () => evaluateReadiness(checks, warnings),
      secureTransport: config.server.publicBaseUrl.startsWith('https://'),
      metadataRouter: metadataRouter(createMetadataPublisher({ keyRing, config }), config),
      routers: [assetsRouter(), proxyService, ...(dev?.routers ?? [])],
    });
    const listening = await listen(app, config.server);
    peers.startSchedule(); // after listen: a peer served by this process (the mock EU country) answers
    const sweeper = startSweeper(db, logger); // expired flows (with what the citizen consented to) leave the database
    const boundUrl = `${listening.protocol}://${urlHost(listening.host)}:${listening.port}`;
    const base = config.server.publicBaseUrl;
    logger.info(
      { boundUrl, publicBaseUrl: base, healthz: `${base}/healthz`, readyz: `${base}/readyz`, environment: config.environment, ms: Date.now() - started },
      `Pont eIDAS listening on ${boundUrl} (public base URL ${base})`,
    );
    if (devModule && dev) await devModule.announceDevServices(dev, peers, logger);
    const ring = keyRing;
    const registry = peers;
    const stop = () => registry.close().then(() => stopAll({ listening, closeDb, keyRing: ring, sweeper }));
    return { listening, boundUrl, ...(dev && { dev }), stop };
  } catch (e) {
    await peers?.close();
    keyRing?.close();
    await closeDb().catch(() => undefined);
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
    return await migrated(db, logger);
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
}

async function migrated(db: Database, logger: Logger): Promise<Database> {
  const { applied } = await migrate(db);
  logger.info(
    { event: 'db.migrated', engine: db.engine, target: db.target, applied },
    applied.length > 0 ? `database ${db.target}: applied ${applied.join(', ')}` : `database ${db.target}: schema up to date`,
  );
  return db;
}

function startSweeper(db: Database, logger: Logger): Sweeper {
  const sweeper = new Sweeper(db, { onError: (e) => logger.warn({ event: 'storage.sweep.failed', code: e.code }, 'sweeping expired rows failed') });
  sweeper.start();
  return sweeper;
}

async function stopAll(n: { listening: Listening; closeDb: () => Promise<void>; keyRing: ManagedKeyRing; sweeper: Sweeper }): Promise<void> {
  n.keyRing.close();
  await n.listening.close();
  await n.sweeper.stop();
  await n.closeDb();
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
