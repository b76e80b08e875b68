/**
 * The node's keys at start: in development the keys src/keys generated on the first start
 * become the active keys in node_keys (imported once, idempotently); in every environment the
 * ring then refuses to open without an active key per use, naming `pont keys generate`.
 */
import { basename, dirname, resolve } from 'node:path';
import { AUDIT_EVENTS, createAuditLog } from '../../audit/index.ts';
import type { Config } from '../../config/schema.ts';
import type { KeyRole, KeySet } from '../../keys/keyset.ts';
import { systemClock, type Clock } from '../../storage/clock.ts';
import type { Database } from '../../storage/database.ts';
import type { Logger } from '../../util/logger.ts';
import { algorithmOf } from './algorithms.ts';
import { keyIdFor } from './files.ts';
import { createdDetails, newRecord, type LifecycleContext } from './lifecycle.ts';
import { openKeyRing, type ManagedKeyRing } from './ring.ts';
import { keySettingsFrom } from './settings.ts';
import { insertKeyRecord, lockKeyStates, readKeyRecords } from './store.ts';
import { activeOf } from './transitions.ts';
import type { KeyRecord, KeyUse } from './types.ts';

export const USE_OF_ROLE: Readonly<Record<KeyRole, KeyUse>> = {
  'message-signing': 'signing',
  encryption: 'encryption',
  'metadata-signing': 'metadata',
};

export interface DevelopmentImport {
  imported: KeyRecord[];
  /** Why a development key was left out (its use already has an active key…). */
  skipped: string[];
}

/** Makes each development key the active key of its use, unless that use has one or the key is known. */
export async function importDevelopmentKeys(ctx: LifecycleContext, keys: KeySet): Promise<DevelopmentImport> {
  const clock = ctx.clock ?? systemClock;
  return ctx.db.transaction(async (tx) => {
    await lockKeyStates(tx);
    const records = await readKeyRecords(tx);
    const result: DevelopmentImport = { imported: [], skipped: [] };
    for (const key of Object.values(keys)) {
      const use = USE_OF_ROLE[key.role];
      if (records.some((r) => r.fingerprint === key.fingerprint)) continue;
      const active = activeOf(records, use);
      if (active) {
        result.skipped.push(`development ${key.role} key ${key.keyFile} not imported: ${active.id} is the active ${use} key`);
        continue;
      }
      if (dirname(resolve(key.keyFile)) !== ctx.settings.dir) {
        result.skipped.push(`development ${key.role} key ${key.keyFile} is outside ${ctx.settings.dir}`);
        continue;
      }
      const id = keyIdFor(use, key.fingerprint);
      const pair = { use, certificate: key.certificate, certificatePem: key.certificate.toString(), algorithm: algorithmOf(key.privateKey) };
      const record = newRecord(id, pair, 'active', basename(key.keyFile), clock());
      await insertKeyRecord(tx, record);
      await ctx.audit.recordIn(tx, AUDIT_EVENTS.KEY_IMPORTED, createdDetails(record, 'development keys'), ctx.actor ?? 'startup');
      records.push(record);
      result.imported.push(record);
    }
    return result;
  });
}

export interface NodeKeyRingOptions {
  db: Database;
  config: Config;
  logger: Logger;
  /** Development only: the key set src/keys generated or reused at this start. */
  developmentKeys?: KeySet;
  clock?: Clock;
}

/** The ring the running node serves from, with its start-up and change log lines. */
export async function openNodeKeyRing(options: NodeKeyRingOptions): Promise<ManagedKeyRing> {
  const { db, config, logger } = options;
  const clock = options.clock ?? systemClock;
  const settings = keySettingsFrom(config);
  const audit = createAuditLog(db, clock);
  if (options.developmentKeys) {
    const dev = await importDevelopmentKeys({ db, settings, audit, clock, actor: 'startup' }, options.developmentKeys);
    dev.imported.forEach((r) =>
      logger.info({ event: 'keys.imported', id: r.id, use: r.use, fingerprint: r.fingerprint }, `development key ${r.id} is the active ${r.use} key`),
    );
    dev.skipped.forEach((why) => logger.info({ event: 'keys.import_skipped' }, why));
  }
  const ring = await openKeyRing({
    db, config, clock, audit, settings,
    onError: (err) => logger.warn({ event: 'keys.error', err: { name: err.name, message: err.message } }, err.message),
  });
  const summary = () => ring.all().filter((k) => k.state !== 'retired').map((k) => ({ id: k.id, use: k.use, state: k.state, notAfter: k.notAfter.toISOString() }));
  logger.info({ event: 'keys.ring', keys: summary() }, `key ring: ${summary().map((k) => `${k.id} ${k.state}`).join(', ')}`);
  ring.status().warnings.forEach((w) => logger.warn({ event: 'keys.warning' }, w));
  ring.onChange(() => logger.info({ event: 'keys.changed', keys: summary() }, 'key states changed'));
  return ring;
}
