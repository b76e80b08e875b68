/**
 * The rotation rehearsal of issue 3 (DESIGN §4, R-MD): two node instances (two apps of
 * src/server, each with its own key ring and metadata publisher) on one database — separate
 * connection pools on PostgreSQL when DATABASE_URL is set, the one PGlite handle otherwise.
 * Requests hit both instances during the whole sequence and every one must answer 200:
 *   generate a next signing (and encryption) key → both metadata show it beside the active one
 *   → promote → one instance sees it at once, the other only at its next refresh, yet every
 *   message of either instance verifies against the metadata of either → a message encrypted
 *   to the old encryption key still decrypts during the grace period → the schedule retires
 *   the old keys → they leave the metadata.
 */
import type { X509Certificate } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { expect, it } from 'vitest';
import { createAuditLog } from '../../src/audit/index.ts';
import {
  generateKey,
  keySettingsFrom,
  openKeyRing,
  promoteKey,
  type ManagedKeyRing,
} from '../../src/metadata/keys/index.ts';
import { createMetadataPublisher, metadataRouter, type MetadataPublisher } from '../../src/metadata/publish/index.ts';
import {
  METADATA_LIMITS,
  NS,
  childElements,
  decryptElement,
  encryptElement,
  loadCertificate,
  parseXml,
  serializeXml,
  signXml,
  verifyXml,
} from '../../src/saml/index.ts';
import { createApp } from '../../src/server/app.ts';
import { databaseCheck, keyRingCheck } from '../../src/server/checks.ts';
import { evaluateReadiness } from '../../src/server/readiness.ts';
import type { Database } from '../../src/storage/index.ts';
import { createLogger } from '../../src/util/logger.ts';
import { describeEngines } from '../storage/engines.ts';
import { pinnedClock, type PinnedClock } from '../storage/pinned-clock.ts';
import { HOUR, seedActiveKeys, tempKeysDir, testConfig } from './support/keys.ts';

const PATHS = ['/proxy-service/metadata', '/connector/metadata', '/readyz'];

const fingerprints = (certs: X509Certificate[]) => certs.map((c) => c.fingerprint256);

interface Instance {
  name: string;
  ring: ManagedKeyRing;
  publisher: MetadataPublisher;
  app: Express;
}

function startInstance(name: string, db: Database, ring: ManagedKeyRing, config: ReturnType<typeof testConfig>, clock: PinnedClock): Instance {
  const publisher = createMetadataPublisher({ keyRing: ring, config, clock: clock.clock });
  const checks = [databaseCheck(db), keyRingCheck(ring, keySettingsFrom(config), clock.clock)];
  const app = createApp({
    logger: createLogger({ level: 'silent' }),
    readiness: () => evaluateReadiness(checks, []),
    metadataRouter: metadataRouter(publisher, config, { clock: clock.clock }),
  });
  return { name, ring, publisher, app };
}

/** GETs of both metadata documents and /readyz on every instance, back to back, until stopped. */
function fireThroughout(instances: Instance[]): { stop(): Promise<string[]> } {
  let running = true;
  const answers: string[] = [];
  const loops = instances.map(async (inst) => {
    while (running) {
      for (const path of PATHS) answers.push(`${inst.name} ${path} ${(await request(inst.app).get(path)).status}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return answers;
    },
  };
}

/** The certificates a KeyDescriptor list publishes for `use`. */
function certificatesOf(descriptor: Element, use: 'signing' | 'encryption'): X509Certificate[] {
  return childElements(descriptor, NS.md, 'KeyDescriptor')
    .filter((kd) => kd.getAttribute('use') === use)
    .flatMap((kd) => childElements(kd, NS.ds, 'KeyInfo'))
    .flatMap((ki) => childElements(ki, NS.ds, 'X509Data'))
    .flatMap((xd) => childElements(xd, NS.ds, 'X509Certificate'))
    .map((c) => loadCertificate(Buffer.from(c.textContent ?? '', 'base64')));
}

/**
 * Our metadata as a peer reads it: both documents, each signature checked with our metadata
 * certificate; the signing keys of the proxy service (IdP) and the encryption keys of the
 * connector (SP, to which peers encrypt assertions).
 */
async function fetchMetadata(inst: Instance, metadataCert: X509Certificate) {
  const read = async (path: string, descriptor: string) => {
    const res = await request(inst.app).get(path);
    expect(res.status).toBe(200);
    const verified = await verifyXml(res.text, { trusted: [metadataCert], limits: METADATA_LIMITS });
    const [element] = childElements(verified.element, NS.md, descriptor);
    return element!;
  };
  const idp = await read('/proxy-service/metadata', 'IDPSSODescriptor');
  const sp = await read('/connector/metadata', 'SPSSODescriptor');
  expect(fingerprints(certificatesOf(sp, 'signing'))).toEqual(fingerprints(certificatesOf(idp, 'signing')));
  return { signing: certificatesOf(idp, 'signing'), encryption: certificatesOf(sp, 'encryption') };
}

let serial = 0;
/** A SAML message signed as the instance's flows would: with its ring's active signing key. */
async function signedMessage(inst: Instance): Promise<{ xml: string; by: string }> {
  const key = inst.ring.active('signing');
  const xml = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_m${++serial}" Version="2.0" IssueInstant="2026-05-01T00:00:00Z"/>`;
  return { xml: await signXml(xml, { key: key.privateKey!, certificate: key.certificate }), by: key.fingerprint };
}

async function encryptedTo(recipient: X509Certificate): Promise<string> {
  const doc = parseXml(
    '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0" IssueInstant="2026-05-01T00:00:00Z">' +
      '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a" Version="2.0" IssueInstant="2026-05-01T00:00:00Z"/></samlp:Response>',
  );
  await encryptElement(doc.documentElement.firstChild as Element, { recipient });
  return serializeXml(doc);
}

const decryptWith = async (inst: Instance, xml: string): Promise<string> =>
  decryptElement(parseXml(xml).documentElement.firstChild as Element, { keys: inst.ring.decryptionKeys() }).then(
    (el) => el.getAttribute('ID') ?? '',
    (e: unknown) => (e as { reason?: string }).reason ?? String(e),
  );

/** Every message of every instance verifies against the metadata every instance serves right now. */
async function expectCrossVerification(instances: Instance[], metadataCert: X509Certificate): Promise<void> {
  const served = await Promise.all(instances.map((i) => fetchMetadata(i, metadataCert)));
  for (const signer of instances) {
    const message = await signedMessage(signer);
    for (const metadata of served) {
      const verified = await verifyXml(message.xml, { trusted: metadata.signing });
      expect(verified.key.equals(signer.ring.active('signing').certificate.publicKey)).toBe(true);
    }
  }
}

describeEngines('rotation rehearsal', (engine) => {
  it('R-MD: rotates the signing and encryption keys of two instances with no failed request', { timeout: 240_000 }, async () => {
    const { db, another } = await engine.open();
    const dir = tempKeysDir(); // one secret mount shared by both instances
    const clock = pinnedClock('2026-05-01T08:00:00Z');
    const config = testConfig(dir, { retiringGraceHours: 48 });
    const ctx = { db, settings: keySettingsFrom(config), audit: createAuditLog(db, clock.clock), clock: clock.clock, actor: 'cli' };
    const seeded = await seedActiveKeys(ctx);
    const dbB = await another();
    const a = startInstance('A', db, await openKeyRing({ db, config, clock: clock.clock, refreshIntervalMs: 0 }), config, clock);
    const b = startInstance('B', dbB, await openKeyRing({ db: dbB, config, clock: clock.clock, refreshIntervalMs: 0 }), config, clock);
    const both = [a, b];
    const metadataCert = a.ring.active('metadata').certificate;
    const [s0, e0] = [a.ring.active('signing').certificate, a.ring.active('encryption').certificate];
    const load = fireThroughout(both);

    // 1. A next signing key and a next encryption key appear in both instances' metadata.
    const s1 = (await generateKey(ctx, { use: 'signing', algorithm: 'ec-p384' })).changes[0]!.id;
    const e1 = (await generateKey(ctx, { use: 'encryption', algorithm: 'rsa-3072' })).changes[0]!.id;
    await Promise.all(both.map((i) => i.ring.refresh()));
    const s1Cert = a.ring.all().find((k) => k.id === s1)!.certificate;
    for (const inst of both) {
      const md = await fetchMetadata(inst, metadataCert);
      expect(fingerprints(md.signing)).toEqual(fingerprints([s0, s1Cert]));
      expect(md.encryption).toHaveLength(2);
    }
    await expectCrossVerification(both, metadataCert);
    const toOldKey = await encryptedTo(e0); // a peer holding our metadata from before the switch

    // 2. Promotion: A refreshes at once, B has not yet; messages of both verify against both metadata.
    await promoteKey(ctx, s1);
    await promoteKey(ctx, e1);
    await a.ring.refresh();
    expect([a.ring.active('signing').id, b.ring.active('signing').id]).toEqual([s1, seeded.signing]);
    await expectCrossVerification(both, metadataCert);
    expect(fingerprints((await fetchMetadata(a, metadataCert)).signing)).toEqual(fingerprints([s1Cert, s0]));

    // 3. B catches up: both sign with the new key; the old decryption key still decrypts (grace period).
    await b.ring.refresh();
    expect([a.ring.active('signing').id, b.ring.active('signing').id]).toEqual([s1, s1]);
    expect((await signedMessage(b)).by).toBe(s1Cert.fingerprint256);
    await expectCrossVerification(both, metadataCert);
    clock.advance(47 * HOUR);
    await Promise.all(both.map((i) => i.ring.tick()));
    for (const inst of both) expect(await decryptWith(inst, toOldKey)).toBe('_a');
    const toNewKey = await encryptedTo((await fetchMetadata(b, metadataCert)).encryption[0]!);
    for (const inst of both) expect(await decryptWith(inst, toNewKey)).toBe('_a');

    // 4. The grace period ends: the schedule retires the old keys (once) and they leave the metadata.
    clock.advance(1 * HOUR);
    const retired = (await Promise.all(both.map((i) => i.ring.tick()))).flat();
    expect(retired.map((c) => c.id).sort()).toEqual([seeded.encryption, seeded.signing].sort());
    for (const inst of both) {
      const md = await fetchMetadata(inst, metadataCert);
      expect(fingerprints(md.signing)).toEqual([s1Cert.fingerprint256]);
      expect(md.encryption).toHaveLength(1);
      expect(await decryptWith(inst, toOldKey)).toBe('ENC_FORMAT'); // no P-256 decryption key of ours any more
    }
    await expectCrossVerification(both, metadataCert);

    const answers = await load.stop();
    expect(answers.length).toBeGreaterThanOrEqual(PATHS.length * 2);
    expect(answers.filter((line) => !line.endsWith(' 200'))).toEqual([]);
    expect((await ctx.audit.list()).map((e) => e.event).slice(3)).toEqual([
      'key.generated', 'key.generated', 'key.retiring', 'key.promoted', 'key.retiring', 'key.promoted', 'key.retired', 'key.retired',
    ]);
    expect((await ctx.audit.verifyChain()).ok).toBe(true);
    both.forEach((i) => (i.ring.close(), i.publisher.close()));
  });
});
