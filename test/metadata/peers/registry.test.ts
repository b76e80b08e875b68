/**
 * The registry on a database (PGlite; PostgreSQL when DATABASE_URL is set): the real EU files
 * served under their real entityID URLs, every verified version stored with its SHA-256, and
 * each refusal leaving the previous good copy in service and the stored state unchanged
 * (R-MD-01, R-MD-16, R-MD-17, ATK-47).
 */
import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEngines } from '../../storage/engines.ts';
import { auditEvents, harness, storedState } from './harness.ts';
import { addPeer, removePeer } from '../../../src/metadata/peers/admin.ts';
import { EU, GK, anchor, capturedLogger, dsigKey, euPeers, gkPeer, read, resigned, testConfig, unsigned, withRoleCertificate } from './helpers.ts';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const real9443 = read(GK.connector.file);
/** A second anchor of the German peer, to sign copies the tests need (a newer or an expired one). */
const p384 = dsigKey('p384');
const gkTwoAnchors = testConfig([{ ...gkPeer, trustAnchors: [GK.anchorFile, p384.certFile] }]);

describeEngines('peer registry', (engine) => {
  it('R-MD-16: the EU mock proxy service and connector are accepted from their real URLs; versions stored by SHA-256', async () => {
    const { db } = await engine.open();
    const h = await harness(db, testConfig(euPeers), {
      [EU.service.url]: { body: read(EU.service.file) },
      [EU.connector.url]: { body: read(EU.connector.file), contentType: 'text/xml; charset=utf-8' },
    }, EU.now);
    const results = await h.registry.refresh();
    expect(results.map((r) => [r.entityId, r.outcome])).toEqual([[EU.service.url, 'updated'], [EU.connector.url, 'updated']]);
    expect(h.registry.get(EU.service.url)?.fingerprint).toBe(sha256(read(EU.service.file)));
    expect(h.registry.list({ role: 'connector' }).map((d) => d.entityId)).toEqual([EU.connector.url]);
    const versions = await db.query<{ entity_id: string; fingerprint: string; xml_sha256: string; valid_until: Date }>(
      "SELECT entity_id, fingerprint, encode(sha256(xml), 'hex') AS xml_sha256, valid_until FROM peer_metadata_versions ORDER BY entity_id",
    );
    expect(versions.rows.map((r) => [r.entity_id, r.fingerprint === r.xml_sha256, new Date(r.valid_until).toISOString()])).toEqual([
      [EU.connector.url, true, '2020-03-21T13:42:47.509Z'],
      [EU.service.url, true, '2020-03-21T13:33:58.823Z'],
    ]);
    const changed = await auditEvents(h.audit, 'peer.metadata.changed');
    expect(changed.map((e) => e.entityId).sort()).toEqual([EU.connector.url, EU.service.url]);
    expect(h.logs.filter((l) => l.event === 'peer.metadata.accepted')).toHaveLength(2);
  });

  it('R-MD-16/ATK-47: tampered (9445-invalid), unsigned, other-key and expired copies are refused; the good copy stays in service and nothing is stored', async () => {
    const { db } = await engine.open();
    const h = await harness(db, gkTwoAnchors, { [GK.connector.url]: { body: real9443 } }, GK.now);
    expect((await h.registry.refresh())[0]!.outcome).toBe('updated');
    const good = h.registry.get(GK.connector.url)!.fingerprint;
    const before = await storedState(db);

    const copies: Array<[string, string | Buffer, string]> = [
      ['metadata-9445-invalid.xml', read(GK.tampered), 'DIGEST_MISMATCH'],
      ['an unsigned copy', unsigned(real9443), 'SIG_MISSING'],
      ['a copy signed by another key', await resigned(real9443, dsigKey('evil-p256')), 'KEY_UNTRUSTED'],
      ['an expired copy (validUntil before the clock)', await resigned(real9443, p384, { validUntil: '2024-11-30T00:00:00Z' }), 'METADATA_EXPIRED'],
    ];
    for (const [what, body, reason] of copies) {
      h.serve(GK.connector.url, { body });
      const [result] = await h.registry.refresh(GK.connector.url);
      expect([what, result!.outcome, result!.reason]).toEqual([what, 'refused', reason]);
      expect(h.registry.get(GK.connector.url)?.fingerprint, what).toBe(good);
      expect(await storedState(db), what).toEqual(before);
      const line = h.logs.at(-1)!;
      expect([line.level, line.event, line.reason, line.servingUntil]).toEqual(['warn', 'peer.metadata.refused', reason, '2024-12-04T14:22:46.804Z']);
      expect(line.msg).toContain(`refused metadata of ${GK.connector.url} (DE connector): ${reason}`);
    }
    expect((await auditEvents(h.audit, 'peer.metadata.refused')).map((e) => e.reason)).toEqual(copies.map((c) => c[2]));
    const status = h.registry.status()[0]!;
    expect([status.state, status.lastError?.reason]).toEqual(['serving-last-good-copy', 'METADATA_EXPIRED']);
  });

  it('R-MD-01: the last good copy serves until its own validUntil, then nothing is served for the peer (fail closed)', async () => {
    const { db } = await engine.open();
    const h = await harness(db, testConfig([gkPeer]), { [GK.connector.url]: { body: real9443 } }, GK.now);
    await h.registry.refresh();
    h.serve(GK.connector.url, { body: '<html><body>maintenance</body></html>', contentType: 'text/html' });
    h.time.at('2024-12-04T14:22:46.803Z');
    expect((await h.registry.refresh())[0]!.reason).toBe('FETCH_NOT_XML');
    expect(h.registry.get(GK.connector.url)).toBeDefined();
    expect(await h.registry.signingKeys(GK.connector.url)).toHaveLength(1);
    h.time.advance(1);
    expect(h.registry.get(GK.connector.url)).toBeUndefined();
    expect(h.registry.list()).toEqual([]);
    expect(await h.registry.signingKeys(GK.connector.url)).toEqual([]);
    expect(h.registry.status()[0]!.state).toBe('expired');
  });

  it('R-MD-17: a change of keys writes peer.metadata.changed with the changed fingerprints; the same document again is "unchanged"', async () => {
    const { db } = await engine.open();
    const h = await harness(db, gkTwoAnchors, { [GK.connector.url]: { body: real9443 } }, GK.now);
    await h.registry.refresh();
    const rotated = await resigned(withRoleCertificate(real9443, 'encryption', dsigKey('rsa-3072').cert), p384, { validUntil: '2024-12-10T00:00:00Z' });
    h.serve(GK.connector.url, { body: rotated });
    expect((await h.registry.refresh())[0]!.outcome).toBe('updated');
    expect((await h.registry.refresh())[0]!.outcome).toBe('unchanged');
    const changed = await auditEvents(h.audit, 'peer.metadata.changed');
    expect(changed).toHaveLength(2);
    const old = h.registry.get(GK.connector.url)!;
    expect(changed[1]).toMatchObject({
      entityId: GK.connector.url,
      country: 'DE',
      role: 'connector',
      fingerprint: sha256(rotated),
      previousFingerprint: sha256(real9443),
      changes: { encryptionKeys: { added: [dsigKey('rsa-3072').cert.fingerprint256], removed: [expect.stringMatching(/^[0-9A-F:]+$/)] } },
    });
    expect(old.encryptionCertificates[0]!.fingerprint256).toBe(dsigKey('rsa-3072').cert.fingerprint256);
    expect(await db.query('SELECT 1 FROM peer_metadata_versions')).toMatchObject({ rowCount: 2 });
    expect((await h.audit.verifyChain()).ok).toBe(true);
  });

  it('R-MD-16: at the next start the stored copy is verified again before it serves; with another anchor it does not', async () => {
    const { db } = await engine.open();
    const h = await harness(db, testConfig([gkPeer]), { [GK.connector.url]: { body: real9443 } }, GK.now);
    await h.registry.refresh();
    const requests = h.transport.requests.length;
    const next = await h.reopen();
    expect(next.get(GK.connector.url)?.fingerprint).toBe(sha256(real9443));
    expect(h.transport.requests).toHaveLength(requests); // opening fetches nothing
    const otherAnchor = await h.reopen(testConfig([{ ...gkPeer, trustAnchors: [p384.certFile] }]));
    expect(otherAnchor.get(GK.connector.url)).toBeUndefined();
    const status = otherAnchor.status()[0]!;
    expect(status.state).toBe('unavailable');
    expect(status.warnings.join()).toContain('stored copy not in service: KEY_UNTRUSTED');
  });

  it('peer.added / peer.removed: configured peers are recorded in the database when the node starts', async () => {
    const { db } = await engine.open();
    const h = await harness(db, testConfig([gkPeer]), {}, GK.now, true);
    expect((await db.query('SELECT entity_id, source FROM peers')).rows).toEqual([{ entity_id: GK.connector.url, source: 'config' }]);
    await h.reopen(testConfig([]));
    expect((await db.query('SELECT entity_id FROM peers')).rowCount).toBe(0);
    const events = await auditEvents(h.audit);
    expect(events.map((e) => [e.event, e.actor, e.metadataUrl])).toEqual([
      ['peer.added', 'config', GK.connector.url],
      ['peer.removed', 'config', GK.connector.url],
    ]);
  });

  it('pont peers add / remove while the node runs: the next scheduled pass loads and drops the peer', async () => {
    const { db } = await engine.open();
    const h = await harness(db, testConfig([]), { [GK.connector.url]: { body: real9443 } }, GK.now);
    const deps = { db, config: testConfig([]), audit: h.audit, logger: capturedLogger().logger, transport: h.transport, clock: h.time.clock };
    await addPeer({ country: 'DE', role: 'connector', metadataUrl: GK.connector.url, trustAnchors: [anchor(GK.anchorFile)] }, deps);
    expect(h.registry.get(GK.connector.url)).toBeUndefined();
    await h.registry.reload();
    expect(h.registry.get(GK.connector.url)?.fingerprint).toBe(sha256(real9443));
    expect(h.registry.status()[0]).toMatchObject({ source: 'cli', state: 'ok' });
    await removePeer(GK.connector.url, deps);
    await h.registry.reload();
    expect(h.registry.get(GK.connector.url)).toBeUndefined();
    expect(h.registry.status()).toEqual([]);
  });
});
