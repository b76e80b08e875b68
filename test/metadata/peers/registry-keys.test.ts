/**
 * Keys for verifying a peer's messages: a key we do not know triggers one refresh of that peer,
 * rate-limited (R-MD-17); an unknown entityID (an Issuer taken from a request) gets no keys and
 * causes no connection (ATK-47, SSRF). The status view and /readyz (issue 3 item 4).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, expect, it, onTestFinished, vi } from 'vitest';
import { createAuditLog } from '../../../src/audit/index.ts';
import { ConfigError } from '../../../src/config/errors.ts';
import { peersReadinessCheck } from '../../../src/metadata/peers/readiness.ts';
import { fetchPolicyFor, openPeerRegistry } from '../../../src/metadata/peers/registry.ts';
import { createApp } from '../../../src/server/app.ts';
import { evaluateReadiness } from '../../../src/server/readiness.ts';
import { describeEngines } from '../../storage/engines.ts';
import { issue } from './chain-certs.ts';
import { harness } from './harness.ts';
import { EU, GK, capturedLogger, dsigKey, euPeers, gkPeer, read, resigned, testConfig, withRoleCertificate } from './helpers.ts';

const real9443 = read(GK.connector.file);
const p384 = dsigKey('p384');
const gkTwoAnchors = testConfig([{ ...gkPeer, trustAnchors: [GK.anchorFile, p384.certFile] }], { peers: { unknownKeyRefreshSeconds: 60 } });

afterEach(() => {
  vi.restoreAllMocks();
});

describeEngines('peer keys and status', (engine) => {
  it('R-MD-17: a message signed by an unknown key refreshes that peer once and returns the new key; then at most once per 60 s', async () => {
    const { db } = await engine.open();
    const h = await harness(db, gkTwoAnchors, { [GK.connector.url]: { body: real9443 } }, GK.now);
    await h.registry.refresh();
    const newSigner = dsigKey('p521').cert;
    h.serve(GK.connector.url, { body: await resigned(withRoleCertificate(real9443, 'signing', newSigner), p384, { validUntil: '2024-12-10T00:00:00Z' }) });
    const fetchesBefore = h.transport.requests.length;

    const [a, b] = await Promise.all([
      h.registry.signingKeys(GK.connector.url, { unknownKey: true }),
      h.registry.signingKeys(GK.connector.url, { unknownKey: true }),
    ]);
    expect(h.transport.requests.length - fetchesBefore).toBe(1); // two callers, one refresh
    expect(a.map((k) => k.equals(newSigner.publicKey))).toEqual([true]);
    expect(b.map((k) => k.equals(newSigner.publicKey))).toEqual([true]);

    await h.registry.signingKeys(GK.connector.url, { unknownKey: true });
    h.time.advance(59_999);
    await h.registry.signingKeys(GK.connector.url, { unknownKey: true });
    expect(h.transport.requests.length - fetchesBefore).toBe(1); // rate-limited
    h.time.advance(1);
    await h.registry.signingKeys(GK.connector.url, { unknownKey: true });
    expect(h.transport.requests.length - fetchesBefore).toBe(2);
    await h.registry.signingKeys(GK.connector.url);
    expect(h.transport.requests.length - fetchesBefore).toBe(2); // a known key never fetches
  });

  it('ATK-47: an entityID that is not a configured peer gets no keys and no connection is made (SSRF)', async () => {
    const { db } = await engine.open();
    const h = await harness(db, testConfig([gkPeer]), { [GK.connector.url]: { body: real9443 } }, GK.now);
    for (const issuer of ['http://127.0.0.1:6379/', 'http://169.254.169.254/latest/meta-data/', `${GK.connector.url}/../x`]) {
      expect(await h.registry.signingKeys(issuer, { unknownKey: true })).toEqual([]);
      expect((await h.registry.refresh(issuer))[0]).toMatchObject({ outcome: 'refused', reason: 'UNKNOWN_PEER' });
      expect(h.registry.get(issuer)).toBeUndefined();
    }
    expect(h.transport.requests).toEqual([]);
  });

  it('status: last fetch, validUntil, key expiry and last error per peer; expired certificates of the EU mock are warned about', async () => {
    const { db } = await engine.open();
    const h = await harness(db, testConfig(euPeers.slice(0, 1)), { [EU.service.url]: { body: read(EU.service.file) } }, EU.now);
    await h.registry.refresh();
    h.time.advance(60_000);
    h.serve(EU.service.url, { body: 'not found', status: 404, contentType: 'text/plain' });
    await h.registry.refresh();
    const [s] = h.registry.status();
    expect(s).toMatchObject({
      entityId: EU.service.url,
      country: 'CA',
      role: 'proxy-service',
      source: 'config',
      state: 'serving-last-good-copy',
      lastFetchAt: new Date('2020-03-01T12:01:00.000Z'),
      lastSuccessAt: new Date(EU.now),
      lastError: { reason: 'FETCH_FAILED', detail: 'HTTP 404 from localhost:8080', at: new Date('2020-03-01T12:01:00.000Z') },
      validUntil: new Date('2020-03-21T13:33:58.823Z'),
      keyExpiry: new Date('2016-01-28T14:55:57.000Z'),
    });
    expect(s!.warnings).toEqual([
      expect.stringMatching(/^signing certificate .*CN=cpeps-ca-demo-certificate expired 2016-01-28/),
      expect.stringMatching(/^encryption certificate .*CN=cpeps-ca-demo-certificate expired 2016-01-28/),
      expect.stringMatching(/^trust anchor .*CN=metadata expired 2016-10-11/),
    ]);
  });

  it('status: a certificate expiring within peers.expiryWarningDays is reported, one outside the window is not', async () => {
    const { db } = await engine.open();
    const soon = await issue({ name: 'CN=DE anchor expiring soon', ca: true, notAfter: new Date('2024-12-20T00:00:00Z') });
    const later = await issue({ name: 'CN=DE anchor expiring later', ca: true, notAfter: new Date('2025-06-01T00:00:00Z') });
    const dir = mkdtempSync(join(tmpdir(), 'pont-peers-anchor-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(`${dir}/soon.pem`, soon.cert.toString());
    writeFileSync(`${dir}/later.pem`, later.cert.toString());
    const config = testConfig([{ ...gkPeer, trustAnchors: [`${dir}/soon.pem`, `${dir}/later.pem`] }], { peers: { expiryWarningDays: 30 } });
    const h = await harness(db, config, { [GK.connector.url]: { body: await resigned(real9443, soon) } }, GK.now);
    await h.registry.refresh();
    expect(h.registry.status()[0]!.warnings).toEqual(['trust anchor CN=DE anchor expiring soon expires 2024-12-20T00:00:00.000Z (within 30 days)']);
  });

  it('/readyz lists each peer with state, last fetch, validUntil, key expiry and last error, and stays ready', async () => {
    const { db } = await engine.open();
    const h = await harness(db, testConfig([gkPeer, euPeers[1]!]), { [GK.connector.url]: { body: real9443 } }, GK.now);
    await h.registry.refresh();
    const app = createApp({ logger: capturedLogger().logger, readiness: () => evaluateReadiness([peersReadinessCheck(h.registry)], []) });
    const res = await request(app).get('/readyz').expect(200);
    expect(res.body.checks.peers.detail).toBe('2 peers, 1 with verified metadata in service');
    expect(res.body.checks.peers.peers).toEqual([
      expect.objectContaining({
        entityId: GK.connector.url, state: 'ok', lastFetchAt: '2024-12-01T12:00:00.000Z', validUntil: '2024-12-04T14:22:46.804Z',
        keyExpiry: '2028-06-19T08:25:31.000Z', lastError: null,
      }),
      expect.objectContaining({
        entityId: EU.connector.url, state: 'unavailable', validUntil: null,
        lastError: { reason: 'FETCH_FAILED', detail: 'localhost:8080: connection refused', at: '2024-12-01T12:00:00.000Z' },
      }),
    ]);
  });

  it('startSchedule refreshes at once and then on an unref\'d timer; close stops it', async () => {
    const { db } = await engine.open();
    const h = await harness(db, testConfig([gkPeer]), { [GK.connector.url]: { body: real9443 } }, GK.now);
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    h.registry.startSchedule();
    const timer = setIntervalSpy.mock.results[0]!.value as NodeJS.Timeout;
    expect(setIntervalSpy.mock.calls[0]![1]).toBe(60 * 60_000);
    expect(timer.hasRef()).toBe(false);
    await vi.waitFor(() => expect(h.registry.get(GK.connector.url)).toBeDefined());
    const clearIntervalSpy = vi.spyOn(globalThis, 'clearInterval');
    await h.registry.close();
    expect(clearIntervalSpy).toHaveBeenCalledWith(timer);
  });

  it('R-MD-15: in production an http metadata URL stops the start with a configuration error, and fetches use https only', async () => {
    const { db } = await engine.open();
    const production = { ...testConfig([{ ...gkPeer, metadataUrl: 'http://localhost:9443/eIDASDemoApplication/Metadata' }]), environment: 'production' } as const;
    const opened = openPeerRegistry({ db, config: production, logger: capturedLogger().logger, audit: createAuditLog(db) });
    await expect(opened).rejects.toThrow(ConfigError);
    await expect(opened).rejects.toThrow('peers.list: http://localhost:9443/eIDASDemoApplication/Metadata must be an https URL in production');
    expect(fetchPolicyFor({ ...testConfig([gkPeer]), environment: 'production' }, []).requireHttps).toBe(true);
  });
});
