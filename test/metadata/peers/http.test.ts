/**
 * The real HTTP transport against local servers on 127.0.0.1 only (ATK-47): bad answers are
 * refused with a clear log line and leave the stored state as it was (the good copy stays in
 * service): an unreachable peer, a 50 MB answer (aborted near the cap while streaming), a slow
 * server (timeout), HTML instead of XML, redirects to hosts that are not allowlisted.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../src/audit/index.ts';
import { MetadataRefusal } from '../../../src/metadata/peers/errors.ts';
import { fetchMetadata } from '../../../src/metadata/peers/fetch.ts';
import { createHttpTransport } from '../../../src/metadata/peers/http-transport.ts';
import { openPeerRegistry } from '../../../src/metadata/peers/registry.ts';
import { describeEngines } from '../../storage/engines.ts';
import { pinnedClock } from '../../storage/pinned-clock.ts';
import { issue } from './chain-certs.ts';
import { storedState } from './harness.ts';
import { GK, capturedLogger, dsigKey, read, resigned, testConfig } from './helpers.ts';

const MiB = 1024 * 1024;
const CAP = 1 * MiB;
const signer = dsigKey('p384');

type Mode = 'good' | 'huge' | 'slow' | 'html' | 'html-as-xml' | 'redirect-ssrf' | 'redirect-other-name' | 'redirect-inside' | 'redirect-loop';
let server: http.Server;
let base: string;
let mode: Mode = 'good';
let good: string;
const seen: string[] = [];
const huge = { written: 0, closed: Promise.resolve() };

function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  seen.push(`${req.headers.host}${req.url}`);
  if (req.url === '/current.xml' || (req.url === '/metadata' && mode === 'good')) {
    res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(good);
    return;
  }
  if (req.url?.startsWith('/hop')) {
    const n = Number(req.url.slice(4));
    res.writeHead(302, { location: `/hop${n + 1}` }).end();
    return;
  }
  switch (mode) {
    case 'huge':
      return streamFiftyMegabytes(res);
    case 'slow':
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.write('<md:EntityDescriptor'); // … and nothing more, ever
      return;
    case 'html':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><html><body>Login</body></html>');
      return;
    case 'html-as-xml':
      res.writeHead(200, { 'content-type': 'application/xml' }).end('<!DOCTYPE html>\n<html><body>Maintenance</body></html>');
      return;
    case 'redirect-ssrf':
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      return;
    case 'redirect-other-name':
      res.writeHead(301, { location: `http://localhost:${(server.address() as AddressInfo).port}/current.xml` }).end();
      return;
    case 'redirect-inside':
      res.writeHead(307, { location: '/current.xml' }).end();
      return;
    case 'redirect-loop':
      res.writeHead(302, { location: '/hop1' }).end();
      return;
    default:
      res.writeHead(500).end();
  }
}

function streamFiftyMegabytes(res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/xml' });
  huge.written = 0;
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  chunk.write('<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">');
  huge.closed = new Promise((resolve) => res.once('close', resolve));
  let closed = false;
  res.once('close', () => (closed = true));
  const pump = () => {
    while (!closed && huge.written < 50 * MiB) {
      huge.written += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!closed) res.end();
  };
  pump();
}

beforeAll(async () => {
  server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  good = await resigned(read(GK.connector.file), signer, { entityID: `${base}/metadata` });
});
afterAll(async () => {
  server.closeAllConnections(); // the 'slow' answer never ends by itself
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describeEngines('metadata over real HTTP on 127.0.0.1', (engine) => {
  it('ATK-47: each bad answer is refused with its reason and a log line, and the stored state is unchanged', async () => {
    const { db } = await engine.open();
    const unreachable = `http://127.0.0.1:${await closedPort()}/metadata`;
    const config = testConfig(
      [
        { country: 'DE', role: 'connector', metadataUrl: `${base}/metadata`, trustAnchors: [signer.certFile] },
        { country: 'DE', role: 'connector', metadataUrl: unreachable, trustAnchors: [signer.certFile] },
      ],
      { peers: { fetch: { connectTimeoutMs: 2_000, timeoutMs: 1_500, maxBytes: CAP, allowedHosts: [] } } },
    );
    const { logger, lines } = capturedLogger();
    const time = pinnedClock(GK.now);
    const registry = await openPeerRegistry({ db, config, logger, audit: createAuditLog(db, time.clock), transport: createHttpTransport(), clock: time.clock });
    mode = 'good';
    expect((await registry.refresh(`${base}/metadata`))[0]).toMatchObject({ outcome: 'updated' });
    const inService = registry.get(`${base}/metadata`)!.fingerprint;
    const before = await storedState(db);

    const cases: Array<[Mode | 'unreachable', string, RegExp]> = [
      ['unreachable', 'FETCH_FAILED', /127\.0\.0\.1:\d+: connection refused/],
      ['huge', 'FETCH_TOO_LARGE', /more than 1048576 bytes: stopped reading/],
      ['slow', 'FETCH_TIMEOUT', /no complete answer within 1500 ms/],
      ['html', 'FETCH_NOT_XML', /an HTML page \(Content-Type text\/html\) instead of XML metadata/],
      ['html-as-xml', 'FETCH_NOT_XML', /an HTML page instead of XML metadata/],
      ['redirect-ssrf', 'FETCH_NOT_ALLOWED', /redirect target host 169\.254\.169\.254 is not allowlisted/],
      ['redirect-other-name', 'FETCH_NOT_ALLOWED', /redirect target host localhost:\d+ is not allowlisted/],
      ['redirect-loop', 'FETCH_NOT_ALLOWED', /more than 3 redirects/],
    ];
    for (const [which, reason, detail] of cases) {
      const url = which === 'unreachable' ? unreachable : `${base}/metadata`;
      if (which !== 'unreachable') mode = which;
      seen.length = 0;
      const [result] = await registry.refresh(url);
      expect([which, result!.outcome, result!.reason]).toEqual([which, 'refused', reason]);
      expect(result!.detail).toMatch(detail);
      const line = lines.at(-1)!;
      expect([line.level, line.event, line.reason, line.stage]).toEqual(['warn', 'peer.metadata.refused', reason, 'fetch']);
      expect(line.msg).toContain(`refused metadata of ${url} (DE connector): ${reason}`);
      expect(await storedState(db), which).toEqual(before);
      expect(registry.get(`${base}/metadata`)?.fingerprint).toBe(inService);
      if (which === 'redirect-other-name') expect(seen).toEqual([`127.0.0.1:${new URL(base).port}/metadata`]); // never followed
      if (which === 'huge') {
        await huge.closed;
        // The client stopped at the cap; the server could only push what the socket buffers held.
        expect(huge.written).toBeGreaterThan(CAP);
        expect(huge.written).toBeLessThan(20 * MiB);
      }
    }
  });

  it('ATK-47: a redirect inside the allowlisted host is followed, and the entityID is checked against the configured URL', async () => {
    const { db } = await engine.open();
    const config = testConfig([{ country: 'DE', role: 'connector', metadataUrl: `${base}/metadata`, trustAnchors: [signer.certFile] }]);
    const time = pinnedClock(GK.now);
    const registry = await openPeerRegistry({ db, config, logger: capturedLogger().logger, audit: createAuditLog(db, time.clock), clock: time.clock });
    mode = 'redirect-inside';
    seen.length = 0;
    expect((await registry.refresh())[0]).toMatchObject({ outcome: 'updated' });
    expect(seen).toEqual([`127.0.0.1:${new URL(base).port}/metadata`, `127.0.0.1:${new URL(base).port}/current.xml`]);
  });
});

describe('https to a peer', () => {
  it('R-CRY-11/ATK-47: the TLS certificate is always checked: an untrusted one is FETCH_FAILED, a trusted one works', async () => {
    const validity = { notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 30 * 86_400_000) }; // TLS checks the real clock
    const ca = await issue({ name: 'CN=test TLS CA', ca: true, ...validity });
    const tls = await issue({ name: 'CN=127.0.0.1', issuer: ca, ca: false, ipAddresses: ['127.0.0.1'], ...validity });
    const secure = https.createServer({ key: tls.key.export({ type: 'pkcs8', format: 'pem' }), cert: tls.cert.toString() }, (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/xml' }).end('<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>'));
    await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
    try {
      const host = `127.0.0.1:${(secure.address() as AddressInfo).port}`;
      const policy = { allowedHosts: new Set([host]), requireHttps: true, connectTimeoutMs: 2000, timeoutMs: 3000, maxBytes: CAP };
      const err = await fetchMetadata(`https://${host}/metadata`, policy, createHttpTransport()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MetadataRefusal);
      expect([(err as MetadataRefusal).reason, (err as MetadataRefusal).detail]).toEqual(['FETCH_FAILED', `${host}: TLS certificate not accepted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`]);
      const ok = await fetchMetadata(`https://${host}/metadata`, policy, createHttpTransport({ ca: ca.cert.toString() }));
      expect(ok.bytes.toString()).toContain('EntityDescriptor');
    } finally {
      secure.closeAllConnections();
      await new Promise<void>((resolve) => secure.close(() => resolve()));
    }
  });

  it('R-CRY-12: a peer that offers only suites outside the eIDAS list (TLS 1.2, SHA-1 MAC) is refused at the handshake', async () => {
    const validity = { notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 30 * 86_400_000) };
    const ca = await issue({ name: 'CN=test TLS CA', ca: true, ...validity });
    const tls = await issue({ name: 'CN=127.0.0.1', issuer: ca, ca: false, ipAddresses: ['127.0.0.1'], ...validity });
    const weak = https.createServer(
      { key: tls.key.export({ type: 'pkcs8', format: 'pem' }), cert: tls.cert.toString(), maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES256-SHA' },
      (_req, res) => res.writeHead(200, { 'content-type': 'application/xml' }).end('<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>'),
    );
    await new Promise<void>((resolve) => weak.listen(0, '127.0.0.1', resolve));
    try {
      const host = `127.0.0.1:${(weak.address() as AddressInfo).port}`;
      const policy = { allowedHosts: new Set([host]), requireHttps: true, connectTimeoutMs: 2000, timeoutMs: 3000, maxBytes: CAP };
      const err = await fetchMetadata(`https://${host}/metadata`, policy, createHttpTransport({ ca: ca.cert.toString() })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MetadataRefusal);
      expect((err as MetadataRefusal).reason).toBe('FETCH_FAILED');
    } finally {
      weak.closeAllConnections();
      await new Promise<void>((resolve) => weak.close(() => resolve()));
    }
  });
});
