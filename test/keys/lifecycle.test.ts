/** Key lifecycle operations on the shared database (DESIGN §4): generate, import, promote, retire, dry runs. */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { generateKeyPair } from '../../src/keys/generate.ts';
import {
  KeyLifecycleError,
  generateKey,
  importKey,
  listKeys,
  promoteKey,
  retireKey,
  type LifecycleResult,
} from '../../src/metadata/keys/index.ts';
import { describeEngines } from '../storage/engines.ts';
import { pinnedClock } from '../storage/pinned-clock.ts';
import { countRows, seedActiveKeys, tempKeysDir, testContext } from './support/keys.ts';

const FIXTURES = new URL('../fixtures/keys/dsig', import.meta.url).pathname;

const codeOf = (p: Promise<unknown>): Promise<string> =>
  p.then(() => 'accepted', (e: unknown) => (e instanceof KeyLifecycleError ? e.code : `unexpected ${String(e)}`));

async function importablePair(type: 'ec-p256' | 'rsa-3072' = 'ec-p256', validityDays = 365) {
  const pair = await generateKeyPair({ type, usage: 'signing', subject: 'CN=operator key, C=FR', validityDays, notBefore: new Date('2026-01-01T00:00:00Z') });
  return { privateKey: createPrivateKey(pair.privateKeyPem), certificate: new X509Certificate(pair.certificatePem) };
}

describeEngines('key lifecycle', (engine) => {
  it('the first key of a use is active, the next one is published as next; files are 0600 in a 0700 directory', async () => {
    const { db } = await engine.open();
    const dir = tempKeysDir();
    const clock = pinnedClock('2026-02-01T00:00:00Z');
    const ctx = testContext(db, dir, clock.clock);
    const first = await generateKey(ctx, { use: 'encryption', algorithm: 'ec-p256' });
    clock.advance(1000);
    const second = await generateKey(ctx, { use: 'encryption', algorithm: 'ec-p384' });
    expect(first.changes).toEqual([{ id: expect.stringMatching(/^encryption-[0-9a-f]{12}$/), use: 'encryption', to: 'active', algorithm: 'ec-p256' }]);
    expect(second.changes[0]).toMatchObject({ to: 'next', algorithm: 'ec-p384' });

    const keys = await listKeys(db);
    expect(keys.map((k) => [k.id, k.state, k.algorithm])).toEqual([
      [first.changes[0]!.id, 'active', 'ec-p256'],
      [second.changes[0]!.id, 'next', 'ec-p384'],
    ]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const k of keys) {
      expect(statSync(join(dir, k.keyFile)).mode & 0o777).toBe(0o600);
      expect(k.keyFile).toBe(`${k.id}.key.pem`);
    }
    const cert = new x509.X509Certificate(keys[0]!.certificatePem);
    expect(cert.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.keyAgreement);
    const events = await ctx.audit.list();
    expect(events.map((e) => [e.event, e.details.id, e.details.state, e.actor])).toEqual([
      ['key.generated', first.changes[0]!.id, 'active', 'test'],
      ['key.generated', second.changes[0]!.id, 'next', 'test'],
    ]);
    expect(JSON.stringify(events)).not.toContain('PRIVATE KEY');
    expect(JSON.stringify(await db.query('SELECT * FROM node_keys'))).not.toContain('PRIVATE KEY');
  });

  it('R-CRY-04: generates brainpoolP384r1 keys with an ECDSA-SHA384 self-signed certificate', async () => {
    const { db } = await engine.open();
    const ctx = testContext(db, tempKeysDir(), pinnedClock('2026-02-01T00:00:00Z').clock);
    const { changes } = await generateKey(ctx, { use: 'signing', algorithm: 'ec-brainpoolp384r1' });
    const [key] = await listKeys(db);
    const cert = new X509Certificate(key!.certificatePem);
    expect(key).toMatchObject({ id: changes[0]!.id, algorithm: 'ec-brainpoolp384r1', state: 'active' });
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('brainpoolP384r1');
    expect(new x509.X509Certificate(key!.certificatePem).signatureAlgorithm).toMatchObject({ name: 'ECDSA', hash: { name: 'SHA-384' } });
    expect(cert.verify(cert.publicKey)).toBe(true);
  });

  it('promote: the next key becomes active and the active one retiring, with their audit events in order', async () => {
    const { db } = await engine.open();
    const clock = pinnedClock('2026-02-01T00:00:00Z');
    const ctx = testContext(db, tempKeysDir(), clock.clock);
    const ids = await seedActiveKeys(ctx);
    const next = (await generateKey(ctx, { use: 'signing', algorithm: 'ec-p256' })).changes[0]!.id;
    clock.advance(60_000);
    const result = await promoteKey(ctx, next);
    expect(result.changes).toEqual([
      { id: ids.signing, use: 'signing', from: 'active', to: 'retiring' },
      { id: next, use: 'signing', from: 'next', to: 'active' },
    ]);
    const keys = await listKeys(db);
    expect(keys.find((k) => k.id === next)).toMatchObject({ state: 'active', activatedAt: clock.now() });
    expect(keys.find((k) => k.id === ids.signing)).toMatchObject({ state: 'retiring', retiringAt: clock.now() });
    const events = (await ctx.audit.list()).slice(-2);
    expect(events.map((e) => [e.event, e.details])).toEqual([
      ['key.retiring', { id: ids.signing, use: 'signing', from: 'active', to: 'retiring', replacedBy: next, graceEndsAt: '2026-02-04T00:01:00.000Z' }],
      ['key.promoted', { id: next, use: 'signing', from: 'next', to: 'active', replaces: ids.signing, scheduled: false }],
    ]);
    expect((await ctx.audit.verifyChain()).ok).toBe(true);
  });

  it('refuses what would leave a use without an active key, and what the state machine forbids', async () => {
    const { db } = await engine.open();
    const ctx = testContext(db, tempKeysDir(), pinnedClock('2026-02-01T00:00:00Z').clock);
    const ids = await seedActiveKeys(ctx);
    const err = await retireKey(ctx, ids.metadata).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'LAST_ACTIVE', message: expect.stringContaining('pont keys generate --use metadata') });
    expect(await codeOf(promoteKey(ctx, ids.signing))).toBe('TRANSITION_REFUSED');
    expect(await codeOf(promoteKey(ctx, 'signing-000000000000'))).toBe('NOT_FOUND');
    const next = (await generateKey(ctx, { use: 'metadata', algorithm: 'ec-p256' })).changes[0]!.id;
    expect((await retireKey(ctx, next)).changes).toEqual([{ id: next, use: 'metadata', from: 'next', to: 'retired' }]);
    expect(await codeOf(retireKey(ctx, next))).toBe('TRANSITION_REFUSED');
    expect(await codeOf(promoteKey(ctx, next))).toBe('TRANSITION_REFUSED');
    expect((await listKeys(db)).filter((k) => k.state === 'active').map((k) => k.use).sort()).toEqual(['encryption', 'metadata', 'signing']);
  });

  it('the database itself refuses a second active key for a use (every instance agrees)', async () => {
    const { db } = await engine.open();
    const ctx = testContext(db, tempKeysDir(), pinnedClock('2026-02-01T00:00:00Z').clock);
    await seedActiveKeys(ctx);
    const next = (await generateKey(ctx, { use: 'signing', algorithm: 'ec-p256' })).changes[0]!.id;
    const err = await db.query(`UPDATE node_keys SET state = 'active', activated_at = now() WHERE id = $1`, [next]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'QUERY_FAILED', sqlState: '23505' });
  });

  it('--dry-run changes nothing: no key generated, no file written, no row or audit event', async () => {
    const { db } = await engine.open();
    const dir = tempKeysDir();
    const ctx = testContext(db, dir, pinnedClock('2026-02-01T00:00:00Z').clock);
    const ids = await seedActiveKeys(ctx);
    const next = (await generateKey(ctx, { use: 'encryption', algorithm: 'ec-p256' })).changes[0]!.id;
    const retiring = ids.encryption;
    await promoteKey(ctx, next);
    const newer = (await generateKey(ctx, { use: 'encryption', algorithm: 'ec-p256' })).changes[0]!.id;
    const before = { keys: await listKeys(db), files: readdirSync(dir).sort(), events: await countRows(db, 'audit_events') };
    const pair = await importablePair();

    const runs: LifecycleResult[] = [
      await generateKey(ctx, { use: 'signing', dryRun: true }),
      await importKey(ctx, { use: 'signing', ...pair, dryRun: true }),
      await promoteKey(ctx, newer, { dryRun: true }),
      await retireKey(ctx, retiring, { dryRun: true }),
    ];
    expect(runs.map((r) => [r.dryRun, r.changes.map((c) => `${c.from ?? 'new'}→${c.to}`)])).toEqual([
      [true, ['new→next']],
      [true, ['new→next']],
      [true, ['active→retiring', 'next→active']],
      [true, ['retiring→retired']],
    ]);
    expect({ keys: await listKeys(db), files: readdirSync(dir).sort(), events: await countRows(db, 'audit_events') }).toEqual(before);
    expect(await codeOf(retireKey(ctx, ids.signing, { dryRun: true }))).toBe('LAST_ACTIVE');
  });

  it('import: takes an operator key pair into the keys directory; refuses duplicates, mismatches, weak and expired keys', async () => {
    const { db } = await engine.open();
    const dir = tempKeysDir();
    const ctx = testContext(db, dir, pinnedClock('2026-02-01T00:00:00Z').clock);
    await seedActiveKeys(ctx);
    const pair = await importablePair();
    const { changes } = await importKey(ctx, { use: 'signing', ...pair });
    expect(changes).toEqual([{ id: `signing-${pair.certificate.fingerprint256.replace(/:/g, '').slice(0, 12).toLowerCase()}`, use: 'signing', to: 'next', algorithm: 'ec-p256' }]);
    expect(statSync(join(dir, `${changes[0]!.id}.key.pem`)).mode & 0o777).toBe(0o600);
    expect((await ctx.audit.list()).at(-1)).toMatchObject({ event: 'key.imported', details: { id: changes[0]!.id, source: 'pont keys import' } });

    const other = await importablePair();
    const weak = { privateKey: createPrivateKey(readFileSync(`${FIXTURES}/rsa-2048.key.pem`)), certificate: new X509Certificate(readFileSync(`${FIXTURES}/rsa-2048.cert.pem`)) };
    const expired = await importablePair('ec-p256', 10);
    expect(await codeOf(importKey(ctx, { use: 'encryption', ...pair }))).toBe('DUPLICATE');
    expect(await codeOf(importKey(ctx, { use: 'signing', privateKey: other.privateKey, certificate: pair.certificate }))).toBe('INVALID_KEY');
    expect(await importKey(ctx, { use: 'signing', ...weak }).catch((e: unknown) => e)).toMatchObject({
      code: 'INVALID_KEY', message: expect.stringContaining('RSA key of 2048 bits, at least 3072 required'),
    });
    expect(await codeOf(importKey(ctx, { use: 'signing', ...expired }))).toBe('INVALID_KEY');
    expect(await countRows(db, 'node_keys')).toBe(4);
  });

  it('promote refuses a key whose private key file is missing where the command runs, and changes nothing', async () => {
    const { db } = await engine.open();
    const dir = tempKeysDir();
    const ctx = testContext(db, dir, pinnedClock('2026-02-01T00:00:00Z').clock);
    await seedActiveKeys(ctx);
    const next = (await generateKey(ctx, { use: 'signing', algorithm: 'ec-p256' })).changes[0]!.id;
    rmSync(join(dir, `${next}.key.pem`));
    const err = await promoteKey(ctx, next).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'KEY_FILE', message: expect.stringContaining('is missing on this instance') });
    expect((await listKeys(db)).find((k) => k.id === next)?.state).toBe('next');
  });
});
