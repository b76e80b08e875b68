/** The KeyRing (DESIGN §4): shared states + private key files loaded once, permissions, grace period, refresh. */
import { chmodSync, copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import {
  KeyLifecycleError,
  generateKey,
  keyRingCheck,
  openKeyRing,
  promoteKey,
  retireKey,
} from '../../src/metadata/keys/index.ts';
import { decryptElement, encryptElement, parseXml, serializeXml } from '../../src/saml/index.ts';
import { describeEngines } from '../storage/engines.ts';
import { pinnedClock } from '../storage/pinned-clock.ts';
import { DAY, HOUR, seedActiveKeys, tempKeysDir, testConfig, testContext } from './support/keys.ts';

const ASSERTION = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0" IssueInstant="2026-02-01T00:00:00Z"><saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a" Version="2.0" IssueInstant="2026-02-01T00:00:00Z"><saml:Issuer>https://peer.example/metadata</saml:Issuer></saml:Assertion></samlp:Response>`;

/** A Response whose Assertion a peer encrypted to `recipient` (as it would from our metadata). */
async function encryptedTo(recipient: import('node:crypto').X509Certificate): Promise<Element> {
  const doc = parseXml(ASSERTION);
  const wrapper = await encryptElement(doc.documentElement.firstChild as Element, { recipient });
  return parseXml(serializeXml(wrapper.ownerDocument!)).documentElement.firstChild as Element;
}

const codeOf = (p: Promise<unknown>): Promise<string> =>
  p.then(() => 'accepted', (e: unknown) => (e as { code?: string; reason?: string }).code ?? (e as { reason?: string }).reason ?? String(e));

describeEngines('key ring', (engine) => {
  it('refuses to open without an active key per use, naming `pont keys generate`', async () => {
    const { db } = await engine.open();
    const dir = tempKeysDir();
    await generateKey(testContext(db, dir, pinnedClock('2026-02-01T00:00:00Z').clock), { use: 'signing', algorithm: 'ec-p256' });
    const err = await openKeyRing({ db, config: testConfig(dir) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyLifecycleError);
    expect((err as Error).message).toBe(
      'no active encryption, metadata key in the database: run `pont keys generate --use encryption`, ' +
        '`pont keys generate --use metadata` (see docs/keys.md)',
    );
  });

  it('refuses a private key file readable by others, and a keys directory others may write to', async () => {
    const { db } = await engine.open();
    const dir = tempKeysDir();
    const ids = await seedActiveKeys(testContext(db, dir, pinnedClock('2026-02-01T00:00:00Z').clock));
    const keyFile = join(dir, `${ids.encryption}.key.pem`);
    chmodSync(keyFile, 0o644);
    await expect(openKeyRing({ db, config: testConfig(dir) })).rejects.toMatchObject({
      code: 'PERMISSIONS',
      message: `private key file ${keyFile} is readable or writable by group or others (mode 0644): run chmod 600 ${keyFile}`,
    });
    chmodSync(keyFile, 0o600);
    chmodSync(dir, 0o777);
    await expect(openKeyRing({ db, config: testConfig(dir) })).rejects.toMatchObject({ code: 'PERMISSIONS', message: expect.stringContaining(`run chmod 700 ${dir}`) });
    chmodSync(dir, 0o700);
    copyFileSync(join(dir, `${ids.signing}.key.pem`), keyFile); // another key under this key's name
    await expect(openKeyRing({ db, config: testConfig(dir) })).rejects.toMatchObject({ code: 'KEY_FILE', message: expect.stringContaining('does not match') });
  });

  it('publishes next + active (+ retiring for signing); each private key is read once; onChange fires on changes only', async () => {
    const { db } = await engine.open();
    const dir = tempKeysDir();
    const clock = pinnedClock('2026-02-01T00:00:00Z');
    const ctx = testContext(db, dir, clock.clock);
    const ids = await seedActiveKeys(ctx);
    const ring = await openKeyRing({ db, config: testConfig(dir), clock: clock.clock, refreshIntervalMs: 0 });
    const firstSigning = ring.active('signing').privateKey;
    let changes = 0;
    ring.onChange(() => (changes += 1));
    await ring.refresh();
    expect(changes).toBe(0);

    const nextSig = (await generateKey(ctx, { use: 'signing', algorithm: 'ec-p256' })).changes[0]!.id;
    const nextEnc = (await generateKey(ctx, { use: 'encryption', algorithm: 'ec-p256' })).changes[0]!.id;
    await ring.refresh();
    expect(changes).toBe(1);
    expect(ring.published('signing').map((k) => [k.id, k.state])).toEqual([[ids.signing, 'active'], [nextSig, 'next']]);

    await promoteKey(ctx, nextSig);
    await promoteKey(ctx, nextEnc);
    rmSync(join(dir, `${ids.signing}.key.pem`)); // the ring never reads a key file twice
    await ring.refresh();
    expect(changes).toBe(2);
    expect(ring.active('signing').id).toBe(nextSig);
    expect(ring.published('signing').map((k) => [k.id, k.state])).toEqual([[nextSig, 'active'], [ids.signing, 'retiring']]);
    expect(ring.published('encryption').map((k) => [k.id, k.state])).toEqual([[nextEnc, 'active']]);
    expect(ring.all().find((k) => k.id === ids.signing)?.privateKey).toBe(firstSigning);
    ring.close();
  });

  it('grace period (pinned clock): the retiring decryption key still decrypts, then stops and is retired by the schedule', async () => {
    const { db } = await engine.open();
    const dir = tempKeysDir();
    const clock = pinnedClock('2026-02-01T00:00:00Z');
    const ctx = testContext(db, dir, clock.clock);
    const ids = await seedActiveKeys(ctx);
    const config = testConfig(dir, { retiringGraceHours: 48 });
    const ring = await openKeyRing({ db, config, clock: clock.clock, refreshIntervalMs: 0 });
    const oldCert = ring.active('encryption').certificate;
    const next = (await generateKey(ctx, { use: 'encryption', algorithm: 'ec-p256' })).changes[0]!.id;
    await ring.refresh();
    const toNext = await encryptedTo(ring.published('encryption')[1]!.certificate);
    expect((await decryptElement(toNext, { keys: ring.decryptionKeys() })).getAttribute('ID')).toBe('_a');

    await promoteKey(ctx, next);
    await ring.refresh();
    expect(ring.published('encryption').map((k) => k.id)).toEqual([next]);
    clock.advance(47 * HOUR);
    expect(await ring.tick()).toEqual([]);
    const toOld = await encryptedTo(oldCert); // a peer still holding our previous metadata
    expect((await decryptElement(toOld, { keys: ring.decryptionKeys() })).getAttribute('ID')).toBe('_a');
    expect(ring.decryptionKeys()).toHaveLength(2);

    clock.advance(1 * HOUR);
    expect(ring.decryptionKeys()).toHaveLength(1);
    expect(await codeOf(decryptElement(await encryptedTo(oldCert), { keys: ring.decryptionKeys() }))).toBe('DECRYPT_FAILED');
    expect((await ring.tick()).map((c) => [c.id, c.to, c.scheduled])).toEqual([[ids.encryption, 'retired', true]]);
    const retired = ring.all().find((k) => k.id === ids.encryption);
    expect([retired?.state, retired?.privateKey]).toEqual(['retired', undefined]);
    expect((await ctx.audit.list()).at(-1)).toMatchObject({ event: 'key.retired', actor: 'schedule', details: { id: ids.encryption, scheduled: true } });
    ring.close();
  });

  it('a refresh that cannot load an active key keeps the last good view and makes /readyz fail', async () => {
    const { db } = await engine.open();
    const dir = tempKeysDir();
    const clock = pinnedClock('2026-02-01T00:00:00Z');
    const ctx = testContext(db, dir, clock.clock);
    const ids = await seedActiveKeys(ctx);
    const ring = await openKeyRing({ db, config: testConfig(dir), clock: clock.clock, refreshIntervalMs: 0 });
    const check = keyRingCheck(ring, { expiryWarningMs: 30 * DAY }, clock.clock);
    const next = (await generateKey(ctx, { use: 'metadata', algorithm: 'ec-p256' })).changes[0]!.id;
    await promoteKey(ctx, next); // promoted from a host that has the file …
    rmSync(join(dir, `${next}.key.pem`)); // … this instance has not
    await expect(ring.refresh()).rejects.toMatchObject({ code: 'KEY_FILE' });
    expect(ring.active('metadata').id).toBe(ids.metadata);
    expect(await check.run()).toMatchObject({ ok: false, detail: expect.stringContaining('is missing on this instance') });
    ring.close();
  });

  it('/readyz flags certificates expiring within the warning window, and fails on an expired active one', async () => {
    const { db } = await engine.open();
    const dir = tempKeysDir();
    const clock = pinnedClock('2026-02-01T00:00:00Z');
    const ctx = testContext(db, dir, clock.clock);
    for (const use of ['signing', 'encryption', 'metadata'] as const) await generateKey(ctx, { use, algorithm: 'ec-p256', validityDays: use === 'signing' ? 20 : 400 });
    const ring = await openKeyRing({ db, config: testConfig(dir), clock: clock.clock, refreshIntervalMs: 0 });
    const signing = ring.active('signing').id;
    const check = keyRingCheck(ring, { expiryWarningMs: 30 * DAY }, clock.clock);
    expect(await check.run()).toMatchObject({
      ok: true,
      detail: `${signing} expires in 20 days`,
      expiringSoon: [{ id: signing, use: 'signing', state: 'active', days: 20 }],
    });
    clock.advance(21 * DAY);
    expect(await check.run()).toMatchObject({ ok: false, detail: `expired active certificate: ${signing}` });
    ring.close();
  });

  it('a next key whose file this instance lacks is a warning, not a failure', async () => {
    const { db } = await engine.open();
    const dir = tempKeysDir();
    const ctx = testContext(db, dir, pinnedClock('2026-02-01T00:00:00Z').clock);
    await seedActiveKeys(ctx);
    const next = (await generateKey(ctx, { use: 'signing', algorithm: 'ec-p256' })).changes[0]!.id;
    rmSync(join(dir, `${next}.key.pem`));
    const ring = await openKeyRing({ db, config: testConfig(dir), refreshIntervalMs: 0 });
    expect(ring.published('signing').map((k) => k.id)).toContain(next);
    expect(ring.status().warnings).toEqual([expect.stringContaining(`next key ${next}: private key file`)]);
    await retireKey(ctx, next);
    await ring.refresh();
    expect(ring.status().warnings).toEqual([]);
    ring.close();
  });
});
