/**
 * Instances behind a load balancer share one database (DESIGN): a peer added or removed with
 * `pont peers`, and a version another instance fetched and stored, reach every instance at its
 * next sync tick (peers.syncIntervalSeconds) — and a stored version serves only after it
 * verifies again here (R-MD-16, ATK-47). Ticks are driven explicitly, clocks are pinned.
 */
import { expect, it } from 'vitest';
import { verifyXml } from '../../../src/saml/verify.ts';
import { XmlSecurityError } from '../../../src/saml/errors.ts';
import { signXml } from '../../../src/saml/sign.ts';
import type { Database } from '../../../src/storage/index.ts';
import { describeEngines } from '../../storage/engines.ts';
import { storedState } from './harness.ts';
import { FIXTURES, GK, anchor, dsigKey, read, resigned, withRoleCertificate } from './helpers.ts';
import { sha256, twoInstances } from './instances.ts';

const real9443 = read(GK.connector.file);
const url = GK.connector.url;
const p384 = dsigKey('p384');
/** The German peer's keys after its roll-over: messages signed by P-521, metadata by the second anchor. */
const p521 = dsigKey('p521');
const evil = dsigKey('evil-p256');
const anchors = [anchor(GK.anchorFile), anchor(p384.certFile)];
const routes = { [url]: { body: real9443 } };

/** An AuthnRequest of the German connector, signed with `signer` (its certificate in KeyInfo, never trusted). */
async function requestSignedBy(signer: { key: import('node:crypto').KeyObject; cert: import('node:crypto').X509Certificate }): Promise<string> {
  const xml = read(`${FIXTURES}saml/valid/authnrequest-de-post.xml`).toString('utf8');
  return signXml(xml, { key: signer.key, certificate: signer.cert });
}

async function refusalOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof XmlSecurityError) return e.reason;
    throw e;
  }
  return 'verified';
}

/** What an attacker with write access to the tables would store: a version, put in service. */
async function storeBehindTheNode(db: Database, xml: Buffer | string, fingerprint: string, at: string): Promise<void> {
  await db.query(
    `INSERT INTO peer_metadata_versions (entity_id, fingerprint, xml, valid_until, fetched_at) VALUES ($1, $2, $3, '2024-12-10T00:00:00Z', $4)`,
    [url, fingerprint, Buffer.from(xml), at],
  );
  await db.query('UPDATE peer_status SET current_fingerprint = $2, last_success_at = $3, last_fetch_at = $3 WHERE entity_id = $1', [url, fingerprint, at]);
}

describeEngines('peer registry sync between instances', (engine) => {
  it('pont peers add on A: B serves the peer after one sync tick (fetched at once); pont peers remove on A: B drops it', async () => {
    const t = await twoInstances(await engine.open(), routes, GK.now);
    await t.add(url, anchors);
    expect(t.b.registry.get(url)).toBeUndefined();

    expect(await t.b.registry.sync()).toEqual({ added: [url], removed: [], adopted: [], refused: [] });
    expect(t.b.registry.get(url)?.fingerprint).toBe(sha256(real9443));
    expect(t.b.registry.status()[0]).toMatchObject({ entityId: url, source: 'cli', state: 'ok' });
    expect(t.b.transport.requests).toEqual([url]); // fetched at once, from its own metadata URL only
    expect(t.b.logs.find((l) => l.event === 'peer.loaded')?.msg).toBe(`peer ${url} (DE connector) was added: now served`);
    expect(await t.b.registry.sync()).toEqual({ added: [], removed: [], adopted: [], refused: [] });

    await t.remove(url);
    expect(await t.b.registry.sync()).toEqual({ added: [], removed: [url], adopted: [], refused: [] });
    expect(t.b.registry.get(url)).toBeUndefined();
    expect(await t.b.registry.signingKeys(url)).toEqual([]);
    expect(t.b.registry.status()).toEqual([]);
  });

  it('R-MD-16/R-MD-17: a new version fetched and stored by A is verified again and served by B at its next tick; B then verifies messages with the new key', async () => {
    const t = await twoInstances(await engine.open(), routes, GK.now);
    await t.add(url, anchors);
    await Promise.all([t.a.registry.reload(), t.b.registry.reload()]);
    const rotated = await resigned(withRoleCertificate(real9443, 'signing', p521.cert), p384, { validUntil: '2024-12-10T00:00:00Z' });
    const message = await requestSignedBy(p521);
    expect(await refusalOf(verifyXml(message, { trusted: await t.b.registry.signingKeys(url) }))).toBe('KEY_UNTRUSTED');

    t.serve(url, { body: rotated });
    t.advance(60_000);
    expect((await t.a.registry.refresh(url))[0]).toMatchObject({ outcome: 'updated', fingerprint: sha256(rotated) });
    expect(t.b.registry.get(url)?.fingerprint).toBe(sha256(real9443)); // not before its tick

    const fetchesOfB = t.b.transport.requests.length;
    expect(await t.b.registry.sync()).toEqual({ added: [], removed: [], adopted: [url], refused: [] });
    expect(t.b.transport.requests).toHaveLength(fetchesOfB); // read from the database, not fetched
    expect(t.b.registry.get(url)).toMatchObject({ fingerprint: sha256(rotated), validUntil: new Date('2024-12-10T00:00:00Z') });
    const keys = await t.b.registry.signingKeys(url);
    expect(keys.map((k) => k.equals(p521.cert.publicKey))).toEqual([true]);
    expect(await refusalOf(verifyXml(message, { trusted: keys }))).toBe('verified');
    expect(t.b.registry.status()[0]).toMatchObject({ state: 'ok', fingerprint: sha256(rotated), lastSuccessAt: new Date('2024-12-01T12:01:00.000Z') });
    expect(t.b.logs.filter((l) => l.event === 'peer.metadata.adopted').map((l) => l.previousFingerprint)).toEqual([sha256(real9443)]);
    expect(await t.b.registry.sync()).toEqual({ added: [], removed: [], adopted: [], refused: [] });

    // B's own refresh of the same document is "unchanged": the change is audited once, by A.
    expect((await t.b.registry.refresh(url))[0]!.outcome).toBe('unchanged');
  });

  it('R-MD-16/ATK-47: a version stored behind the node (swapped key, foreign signer, bytes not matching their SHA-256) is refused by B, which keeps its copy and logs it once', async () => {
    const testDb = await engine.open();
    const t = await twoInstances(testDb, routes, GK.now);
    await t.add(url, anchors);
    await t.b.registry.reload();
    const good = sha256(real9443);
    const edited = real9443.toString('utf8').replace('</md:EntityDescriptor>', '<!-- edited in the database --></md:EntityDescriptor>');
    const forged: Array<[string, string | Buffer, string, string]> = [
      ['a role certificate swapped without signing again', withRoleCertificate(real9443, 'signing', evil.cert), '', 'DIGEST_MISMATCH'],
      ['a copy signed by a key that is no trust anchor', await resigned(withRoleCertificate(real9443, 'signing', evil.cert), evil), '', 'KEY_UNTRUSTED'],
      ['signed bytes stored under another SHA-256', edited, 'f'.repeat(64), 'STORED_MISMATCH'],
    ];
    for (const [what, xml, fingerprint, reason] of forged) {
      t.advance(60_000);
      await storeBehindTheNode(testDb.db, xml, fingerprint || sha256(xml), t.a.time.now().toISOString());
      const before = await storedState(testDb.db);
      expect(await t.b.registry.sync(), what).toEqual({ added: [], removed: [], adopted: [], refused: [url] });
      expect(t.b.registry.get(url)?.fingerprint, what).toBe(good);
      expect((await t.b.registry.signingKeys(url)).some((k) => k.equals(evil.cert.publicKey)), what).toBe(false);
      expect(await storedState(testDb.db), what).toEqual(before); // a sync only reads
      const line = t.b.logs.at(-1)!;
      expect([what, line.level, line.event, line.reason], what).toEqual([what, 'warn', 'peer.metadata.stored_refused', reason]);
      expect(t.b.registry.status()[0], what).toMatchObject({ state: 'ok', fingerprint: good });
      expect(t.b.registry.status()[0]!.warnings.join(), what).toContain(`stored copy not in service: ${reason}`);

      const lines = t.b.logs.length;
      expect(await t.b.registry.sync(), what).toEqual({ added: [], removed: [], adopted: [], refused: [] }); // not verified (nor logged) again
      expect(t.b.logs, what).toHaveLength(lines);
    }
    const message = await requestSignedBy(evil);
    expect(await refusalOf(verifyXml(message, { trusted: await t.b.registry.signingKeys(url) }))).toBe('KEY_UNTRUSTED');
  });
});
