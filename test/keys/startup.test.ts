/**
 * First start: in development the generated keys become the active keys (imported once); in
 * production a node without an active key per use refuses to start, naming `pont keys generate`.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ensureDevelopmentKeys } from '../../src/keys/dev-keys.ts';
import { generateKey, importDevelopmentKeys, listKeys, openNodeKeyRing, promoteKey } from '../../src/metadata/keys/index.ts';
import { openDatabase } from '../../src/storage/index.ts';
import { createLogger } from '../../src/util/logger.ts';
import { pont, singleErrorLine } from '../cli/run-pont.ts';
import { describeEngines, pgliteTemplateData } from '../storage/engines.ts';
import { pinnedClock } from '../storage/pinned-clock.ts';
import { tempKeysDir, testConfig, testContext } from './support/keys.ts';

const silent = createLogger({ level: 'silent' });

describeEngines('keys at start', (engine) => {
  it('development: the generated keys become the active keys once; later starts import nothing', async () => {
    const { db } = await engine.open();
    const dir = tempKeysDir();
    const clock = pinnedClock('2026-04-01T00:00:00Z');
    const ctx = testContext(db, dir, clock.clock);
    const dev = await ensureDevelopmentKeys(dir, { minRsaBits: 3072 });
    const first = await importDevelopmentKeys({ ...ctx, actor: 'startup' }, dev.keys);
    expect(first.imported.map((r) => [r.use, r.state, r.keyFile]).sort()).toEqual([
      ['encryption', 'active', 'encryption.key.pem'],
      ['metadata', 'active', 'metadata-signing.key.pem'],
      ['signing', 'active', 'message-signing.key.pem'],
    ]);
    expect(first.imported.find((r) => r.use === 'signing')?.fingerprint).toBe(dev.keys['message-signing'].fingerprint);

    // The operator rotates the signing key; the next start must not bring the development key back.
    const next = (await generateKey(ctx, { use: 'signing', algorithm: 'ec-p256' })).changes[0]!.id;
    await promoteKey(ctx, next);
    const again = await importDevelopmentKeys({ ...ctx, actor: 'startup' }, (await ensureDevelopmentKeys(dir, { minRsaBits: 3072 })).keys);
    expect(again).toEqual({ imported: [], skipped: [] });
    expect((await listKeys(db)).filter((k) => k.state === 'active').map((k) => k.id)).toContain(next);
    const imported = await ctx.audit.list({ event: 'key.imported' });
    expect(imported.map((e) => [e.actor, e.details.source, e.details.state])).toEqual(Array(3).fill(['startup', 'development keys', 'active']));

    const ring = await openNodeKeyRing({ db, config: testConfig(dir), logger: silent, developmentKeys: dev.keys });
    expect(ring.active('signing').id).toBe(next);
    expect(ring.active('metadata').fingerprint).toBe(dev.keys['metadata-signing'].fingerprint);
    ring.close();
  });

  it('without a development key set (production): no active keys → refused, naming `pont keys generate` for each missing use', async () => {
    const { db } = await engine.open();
    const dir = tempKeysDir();
    await generateKey(testContext(db, dir, () => new Date()), { use: 'metadata', algorithm: 'ec-p256' });
    await expect(openNodeKeyRing({ db, config: testConfig(dir), logger: silent })).rejects.toMatchObject({
      code: 'NO_ACTIVE_KEY',
      message: 'no active signing, encryption key in the database: run `pont keys generate --use signing`, `pont keys generate --use encryption` (see docs/keys.md)',
    });
  });
});

describe('pont serve in production without keys', () => {
  it('exits 6 with one line naming `pont keys generate`, and generates nothing', { timeout: 120_000 }, async () => {
    const work = mkdtempSync(join(tmpdir(), 'pont-keys-start-'));
    onTestFinished(() => rmSync(work, { recursive: true, force: true }));
    const dataDir = join(work, 'pglite');
    await (await openDatabase({ dataDir, initialData: await pgliteTemplateData() })).close(); // no initdb in the child
    const keysDir = tempKeysDir();
    const r = await pont(['serve'], {
      PONT_ENVIRONMENT: 'production', PONT_SERVER__PUBLIC_BASE_URL: 'https://eidas.example.fr', PONT_SERVER__PORT: '0',
      PONT_DATABASE__DATA_DIR: dataDir, PONT_KEYS__DIR: keysDir, PONT_LOG__LEVEL: 'warn',
      // what production requires of the other areas, so that the keys are what is missing
      PONT_FRANCECONNECT__ISSUER: 'https://fc.example.fr/api/v2', PONT_FRANCECONNECT__CLIENT_SECRET: 'not-a-real-secret',
      PONT_FRANCECONNECT__ENCRYPTION__ENABLED: 'false',
    });
    expect(r.code).toBe(6);
    expect(singleErrorLine(r)).toBe(
      'pont: keys: no active signing, encryption, metadata key in the database: run `pont keys generate --use signing`, ' +
        '`pont keys generate --use encryption`, `pont keys generate --use metadata` (see docs/keys.md)',
    );
    expect(readdirSync(keysDir)).toEqual([]);
  });
});
