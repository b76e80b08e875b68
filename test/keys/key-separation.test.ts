/**
 * One key per use for the node's own keys (R-CRY-10, R-MD-05: signing ≠ encryption key, the
 * metadata signing key is its own), and encryption keys that can decrypt (R-CRY-06/07).
 */
import { X509Certificate, createPrivateKey, generateKeyPair as nodeGenerateKeyPair, type KeyObject } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ensureDevelopmentKeys } from '../../src/keys/dev-keys.ts';
import { KeyStoreError } from '../../src/keys/errors.ts';
import { generateKeyPair } from '../../src/keys/generate.ts';
import { keyFiles, loadKeySet } from '../../src/keys/keyset.ts';
import { KeyLifecycleError, importKey, listKeys } from '../../src/metadata/keys/index.ts';
import { describeEngines } from '../storage/engines.ts';
import { pinnedClock } from '../storage/pinned-clock.ts';
import { certificateFor } from './support/certificates.ts';
import { seedActiveKeys, tempKeysDir, testContext } from './support/keys.ts';

const codeOf = (p: Promise<unknown>): Promise<string> =>
  p.then(() => 'accepted', (e: unknown) => (e instanceof KeyLifecycleError ? `${e.code}: ${e.message}` : `unexpected ${String(e)}`));

async function operatorPair(): Promise<{ privateKey: KeyObject; certificate: X509Certificate }> {
  const pair = await generateKeyPair({ type: 'ec-p256', usage: 'signing', subject: 'CN=operator key, C=FR', validityDays: 365, notBefore: new Date('2026-01-01T00:00:00Z') });
  return { privateKey: createPrivateKey(pair.privateKeyPem), certificate: new X509Certificate(pair.certificatePem) };
}

describeEngines('key import, one key per use', (engine) => {
  it('R-CRY-10: import refuses a key that already serves another use, even under a new certificate', async () => {
    const { db } = await engine.open();
    const ctx = testContext(db, tempKeysDir(), pinnedClock('2026-02-01T00:00:00Z').clock);
    await seedActiveKeys(ctx);
    const pair = await operatorPair();
    await importKey(ctx, { use: 'signing', ...pair });
    const { certificate } = await certificateFor(pair.certificate.publicKey, 'CN=same key for encryption, C=FR');
    for (const use of ['encryption', 'metadata'] as const) {
      expect(await codeOf(importKey(ctx, { use, privateKey: pair.privateKey, certificate }))).toMatch(/^DUPLICATE: this key is already the signing key signing-/);
      expect(await codeOf(importKey(ctx, { use, privateKey: pair.privateKey, certificate, dryRun: true }))).toMatch(/^DUPLICATE: /);
    }
    expect((await listKeys(db)).map((k) => k.use).sort()).toEqual(['encryption', 'metadata', 'signing', 'signing']);
    // The same key re-certified for its own use (a renewal) stays possible.
    expect(await codeOf(importKey(ctx, { use: 'signing', privateKey: pair.privateKey, certificate }))).toBe('accepted');
  });

  it('R-CRY-07: an id-RSASSA-PSS key (sign only) is refused as an encryption key, accepted as a signing key', async () => {
    const { db } = await engine.open();
    const ctx = testContext(db, tempKeysDir(), pinnedClock('2026-02-01T00:00:00Z').clock);
    await seedActiveKeys(ctx);
    const pss = await promisify(nodeGenerateKeyPair)('rsa-pss', { modulusLength: 3072 });
    const { certificate } = await certificateFor(pss.publicKey, 'CN=rsa-pss key, C=FR');
    expect(await codeOf(importKey(ctx, { use: 'encryption', privateKey: pss.privateKey, certificate }))).toMatch(/^INVALID_KEY: a rsa-pss key cannot be an encryption key/);
    expect(await codeOf(importKey(ctx, { use: 'signing', privateKey: pss.privateKey, certificate }))).toBe('accepted');
  });
});

describe('development key set, one key per role', () => {
  it('R-CRY-10: refuses a keys directory where two roles hold the same key (SHARED)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pont-keys-')), 'keys');
    onTestFinished(() => rmSync(dirname(dir), { recursive: true, force: true }));
    await ensureDevelopmentKeys(dir, { minRsaBits: 3072 });
    expect(() => loadKeySet(dir, { minRsaBits: 3072 })).not.toThrow();
    for (const file of ['keyFile', 'certFile'] as const) {
      rmSync(keyFiles(dir, 'encryption')[file]);
      copyFileSync(keyFiles(dir, 'message-signing')[file], keyFiles(dir, 'encryption')[file]);
    }
    const err = (() => {
      try {
        loadKeySet(dir, { minRsaBits: 3072 });
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(KeyStoreError);
    expect(err).toMatchObject({ code: 'SHARED', message: expect.stringContaining('holds the same key as the message-signing key') });
  });
});
