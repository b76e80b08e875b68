/** Shared set-up of the key tests: a private keys directory, settings, a lifecycle context, seeded keys. */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';
import { createAuditLog, type AuditLog } from '../../../src/audit/index.ts';
import { loadConfig } from '../../../src/config/load.ts';
import type { Config } from '../../../src/config/schema.ts';
import { generateKey, type KeyAlgorithm, type KeySettings, type LifecycleContext } from '../../../src/metadata/keys/index.ts';
import type { Clock, Database } from '../../../src/storage/index.ts';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/**
 * A new, empty keys directory (mode 0700) under the system temp directory. Made in a test, it is
 * removed when the test ends; a hook that makes one (`{ inHook: true }`) removes it itself with
 * removeTempKeysDir.
 */
export function tempKeysDir(options: { inHook?: boolean } = {}): string {
  const parent = mkdtempSync(join(tmpdir(), 'pont-keyring-'));
  if (!options.inHook) onTestFinished(() => rmSync(parent, { recursive: true, force: true }));
  const dir = join(parent, 'keys');
  mkdirSync(dir, { mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

/** Removes a directory of tempKeysDir and its parent. */
export function removeTempKeysDir(dir: string | undefined): void {
  if (dir) rmSync(dirname(dir), { recursive: true, force: true });
}

export function testSettings(dir: string, overrides: Partial<KeySettings> = {}): KeySettings {
  return {
    dir,
    minRsaBits: 3072,
    retiringGraceMs: 72 * HOUR,
    autoPromoteAfterMs: undefined,
    expiryWarningMs: 30 * DAY,
    refreshIntervalMs: 0,
    ...overrides,
  };
}

/** The configuration of a test node whose keys live in `dir`. */
export function testConfig(dir: string, keys: Record<string, unknown> = {}, more: Record<string, unknown> = {}): Config {
  return loadConfig({ env: {}, overrides: { keys: { dir, ...keys }, ...more } });
}

export interface TestContext extends LifecycleContext {
  audit: AuditLog;
  settings: KeySettings;
}

export function testContext(db: Database, dir: string, clock: Clock, overrides: Partial<KeySettings> = {}): TestContext {
  return { db, settings: testSettings(dir, overrides), audit: createAuditLog(db, clock), clock, actor: 'test' };
}

/** One active key per use (EC P-256: fast to generate); returns their ids by use. */
export async function seedActiveKeys(
  ctx: LifecycleContext,
  algorithm: KeyAlgorithm = 'ec-p256',
  validityDays?: number,
): Promise<Record<'signing' | 'encryption' | 'metadata', string>> {
  const ids: Record<string, string> = {};
  for (const use of ['signing', 'encryption', 'metadata'] as const) {
    const { changes } = await generateKey(ctx, { use, algorithm, ...(validityDays !== undefined && { validityDays }) });
    ids[use] = changes[0]!.id;
  }
  return ids as Record<'signing' | 'encryption' | 'metadata', string>;
}

export async function countRows(db: Database, table: 'node_keys' | 'audit_events'): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`);
  return Number(rows[0]!.n);
}
