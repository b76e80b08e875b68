/** `pont metadata show` and `pont metadata verify`, run as the operator runs them (subprocess). */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.ts';
import { ensureDevelopmentKeys } from '../../../src/keys/dev-keys.ts';
import { openKeyRing, openNodeKeyRing } from '../../../src/metadata/keys/index.ts';
import { createMetadataPublisher, metadataRouter } from '../../../src/metadata/publish/index.ts';
import { migrate, openDatabase } from '../../../src/storage/index.ts';
import { loadCertificate } from '../../../src/saml/keys.ts';
import { NS } from '../../../src/saml/namespaces.ts';
import { METADATA_LIMITS, serializeXml } from '../../../src/saml/parser.ts';
import { verifyXml } from '../../../src/saml/verify.ts';
import { createApp } from '../../../src/server/app.ts';
import { evaluateReadiness } from '../../../src/server/readiness.ts';
import { createLogger } from '../../../src/util/logger.ts';
import { KEYS, VECTORS, pont, singleErrorLine } from '../../cli/run-pont.ts';
import { pgliteTemplateData } from '../../storage/engines.ts';
import { only, rootOf } from './support.ts';

const BASE = 'https://eidas.example.fr/pont';
let dir: string;
let env: Record<string, string>;
const cert = (role: string) => join(dir, 'keys', `${role}.cert.pem`);

/** The node's database on its first development start: migrated, development keys active. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pont-md-cli-'));
  const dev = await ensureDevelopmentKeys(join(dir, 'keys'), { minRsaBits: 3072 });
  env = { PONT_KEYS__DIR: join(dir, 'keys'), PONT_DATABASE__DATA_DIR: join(dir, 'pglite'), PONT_SERVER__PUBLIC_BASE_URL: BASE };
  await withNodeDatabase(async (db, config) => {
    await migrate(db);
    const logger = createLogger({ level: 'silent' });
    (await openNodeKeyRing({ db, config, logger, developmentKeys: dev.keys })).close();
  });
});

async function withNodeDatabase<T>(
  fn: (db: Awaited<ReturnType<typeof openDatabase>>, config: ReturnType<typeof loadConfig>) => Promise<T>,
  extraEnv: Record<string, string> = {},
): Promise<T> {
  const config = loadConfig({ env: { ...env, ...extraEnv } });
  const fresh = !existsSync(join(config.database.dataDir, 'PG_VERSION'));
  const db = await openDatabase({ dataDir: config.database.dataDir, ...(fresh && { initialData: await pgliteTemplateData() }) });
  try {
    return await fn(db, config);
  } finally {
    await db.close();
  }
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The document without what differs between two signings: ID, validUntil and the signature. */
function unsignedContent(xml: string): string {
  const root = rootOf(xml);
  root.removeAttribute('ID');
  root.removeAttribute('validUntil');
  root.removeChild(only(root, 'Signature', NS.ds));
  return serializeXml(root);
}

async function servedByTheNode(role: string): Promise<string> {
  return withNodeDatabase(async (db, config) => {
    const ring = await openKeyRing({ db, config, refreshIntervalMs: 0 });
    try {
      const publisher = createMetadataPublisher({ keyRing: ring, config });
      const app = createApp({ logger: createLogger({ level: 'silent' }), readiness: () => evaluateReadiness([], []), metadataRouter: metadataRouter(publisher, config) });
      return (await request(app).get(`/${role}/metadata`)).text;
    } finally {
      ring.close();
    }
  });
}

describe('pont metadata show', () => {
  it.each(['proxy-service', 'connector'])('--role %s prints the document the node serves, signed by the metadata key', async (role) => {
    const r = await pont(['metadata', 'show', '--role', role], env);
    expect(r.code, r.stderr).toBe(0);
    const verified = await verifyXml(r.stdout, { trusted: [loadCertificate(readFileSync(cert('metadata-signing')))], limits: METADATA_LIMITS });
    expect(verified.element.getAttribute('entityID')).toBe(`${BASE}/${role}/metadata`);
    expect(unsignedContent(r.stdout)).toBe(unsignedContent(await servedByTheNode(role)));
  });

  it('without keys in the database: one line that says how to make them, exit 6', async () => {
    const noKeys = { PONT_DATABASE__DATA_DIR: join(dir, 'pglite-without-keys') };
    await withNodeDatabase((db) => migrate(db), noKeys);
    const r = await pont(['metadata', 'show', '--role', 'connector'], { ...env, ...noKeys });
    expect(r.code).toBe(6);
    expect(singleErrorLine(r)).toMatch(/^pont: metadata: .*pont serve.*pont keys generate/);
  });
});

describe('pont metadata verify', () => {
  beforeAll(async () => {
    writeFileSync(join(dir, 'connector.xml'), await servedByTheNode('connector'));
  });

  it('accepts our document with the metadata certificate and names the entity and its validUntil', async () => {
    const r = await pont(['metadata', 'verify', join(dir, 'connector.xml'), '--cert', cert('metadata-signing')], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^OK ${BASE}/connector/metadata: signature http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1 verified, valid until \\S+Z\\n$`));
  });

  it('refuses it with a message signing certificate (KEY_UNTRUSTED, exit 1) and once validUntil has passed (exit 1)', async () => {
    const wrongKey = await pont(['metadata', 'verify', join(dir, 'connector.xml'), '--cert', cert('message-signing')], env);
    expect(wrongKey.code).toBe(1);
    expect(singleErrorLine(wrongKey)).toMatch(/^pont: refused: KEY_UNTRUSTED/);
    const expired = await pont(['metadata', 'verify', join(dir, 'connector.xml'), '--cert', cert('metadata-signing'), '--at', '2100-01-01T00:00:00Z'], env);
    expect(expired.code).toBe(1);
    expect(singleErrorLine(expired)).toMatch(/expired: validUntil .* is not after 2100-01-01T00:00:00.000Z/);
  });

  it("verifies the EU reference node's metadata with its signer certificate at a time it was valid", async () => {
    const r = await pont([
      'metadata', 'verify', `${VECTORS}/eidas-eu-mock/ServiceMetadata.xml`,
      '--cert', `${KEYS}/eu-mock-metadata/metadata-signer.cert.pem`, '--at', '2020-03-21T00:00:00Z',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('OK http://localhost:8080/EidasNode/ServiceMetadata: signature http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1');
  });
});
