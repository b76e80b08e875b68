/** Our metadata served by the node's HTTP application (DESIGN §1 routes, R-MD-02, R-MD-15). */
import { Writable } from 'node:stream';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createMetadataPublisher,
  metadataRouter,
  type MetadataPublisher,
  type PublisherConfig,
} from '../../../src/metadata/publish/index.ts';
import { METADATA_LIMITS } from '../../../src/saml/parser.ts';
import { verifyXml } from '../../../src/saml/verify.ts';
import { createApp } from '../../../src/server/app.ts';
import { evaluateReadiness } from '../../../src/server/readiness.ts';
import { createLogger } from '../../../src/util/logger.ts';
import { pinnedClock, type PinnedClock } from '../../storage/pinned-clock.ts';
import { BASE, T0, ringOf, rootOf, standardKeys, testConfig, type TestKeys } from './support.ts';

const logLines: string[] = [];
const logger = createLogger({ level: 'info', destination: new Writable({ write: (c, _e, done) => (logLines.push(String(c)), done()) }) });

let keys: TestKeys;
beforeAll(async () => {
  keys = await standardKeys();
});

function nodeApp(publisher: MetadataPublisher, config: PublisherConfig, clock: PinnedClock) {
  return createApp({
    logger,
    readiness: () => evaluateReadiness([], []),
    metadataRouter: metadataRouter(publisher, config, { clock: clock.clock }),
  });
}

function running(config = testConfig()) {
  const clock = pinnedClock(T0);
  const publisher = createMetadataPublisher({ keyRing: ringOf(keys), config, clock: clock.clock });
  return { app: nodeApp(publisher, config, clock), clock, config };
}

describe('GET /proxy-service/metadata and /connector/metadata', () => {
  it.each(['proxy-service', 'connector'])('serves /%s/metadata as application/samlmetadata+xml, signed, entityID = its public URL', async (role) => {
    const { app } = running();
    const r = await request(app).get(`/${role}/metadata`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/samlmetadata+xml; charset=utf-8');
    const xml = r.text;
    const verified = await verifyXml(xml, { trusted: [keys.metadata.certificate], limits: METADATA_LIMITS });
    expect(verified.element.getAttribute('entityID')).toBe(`${BASE}/${role}/metadata`);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it('Cache-Control max-age ends when the document is due to be re-signed; ETag; If-None-Match answers 304', async () => {
    const { app, clock } = running();
    const first = await request(app).get('/connector/metadata');
    expect(first.headers['cache-control']).toBe('public, max-age=64800'); // 24 h validity − 6 h margin
    const etag = first.headers['etag'];
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);

    clock.advance(3_600_000);
    const later = await request(app).get('/connector/metadata');
    expect(later.headers['etag']).toBe(etag);
    expect(later.headers['cache-control']).toBe('public, max-age=61200');

    const notModified = await request(app).get('/connector/metadata').set('If-None-Match', etag!);
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe('');

    clock.advance(17 * 3_600_000); // into the re-sign margin: a new document, a new ETag
    const resigned = await request(app).get('/connector/metadata').set('If-None-Match', etag!);
    expect(resigned.status).toBe(200);
    expect(resigned.headers['etag']).not.toBe(etag);
    expect(rootOf(resigned.text).getAttribute('validUntil')).toBe('2026-03-03T02:00:00Z');
  });

  it('HEAD answers the headers without the document', async () => {
    const { app } = running();
    const r = await request(app).head('/proxy-service/metadata');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/samlmetadata\+xml/);
    expect(r.text ?? '').toBe('');
  });

  it('routes and entityIDs follow the configuration', async () => {
    const config = testConfig(
      { proxyService: { ...testConfig().metadata.proxyService, metadataPath: '/eidas/idp.xml', ssoPath: '/eidas/sso', loas: ['http://eidas.europa.eu/LoA/high'], attributes: ['PersonIdentifier', 'FamilyName', 'FirstName', 'DateOfBirth'] } },
      'https://node.example.fr',
    );
    const { app } = running(config);
    const r = await request(app).get('/eidas/idp.xml');
    expect(r.status).toBe(200);
    expect(rootOf(r.text).getAttribute('entityID')).toBe('https://node.example.fr/eidas/idp.xml');
    expect((await request(app).get('/proxy-service/metadata')).status).toBe(404);
  });

  it('a publisher failure answers 500 with no detail, and is logged without key material', async () => {
    const config = testConfig();
    const clock = pinnedClock(T0);
    const failing: MetadataPublisher = {
      document: async () => {
        throw new Error('no active metadata key');
      },
      close: () => undefined,
    };
    const r = await request(nodeApp(failing, config, clock)).get('/proxy-service/metadata');
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ error: 'internal_error' });
    expect(logLines.join('')).toContain('no active metadata key');
    expect(logLines.join('')).not.toContain('PRIVATE KEY');
  });
});
