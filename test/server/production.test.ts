/**
 * DESIGN §7: the mocks and demo services are development tools. A node started with
 * environment=production (its keys made by the key commands, a FranceConnect issuer and the
 * PersonIdentifier key configured) serves none of them, and makes nothing of the development
 * set-up (no development keys, no generated secret, no mock keys).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { developmentStateDir } from '../../src/flow/index.ts';
import { KEY_ROLES, keyFiles } from '../../src/keys/keyset.ts';
import { startNode, type NodeHandle } from '../../src/server/node.ts';
import { IN_MEMORY, migrate, openDatabase, systemClock, type Database } from '../../src/storage/index.ts';
import { createLogger } from '../../src/util/logger.ts';
import { seedActiveKeys, tempKeysDir, testContext } from '../keys/support/keys.ts';
import { pgliteTemplateData } from '../storage/engines.ts';

describe('a production node', () => {
  const work = mkdtempSync(join(tmpdir(), 'pont-production-'));
  let db: Database;
  let node: NodeHandle;
  let config: Config;
  let keysDir: string;
  const lines: string[] = [];

  beforeAll(async () => {
    db = await openDatabase({ dataDir: IN_MEMORY, initialData: await pgliteTemplateData() });
    await migrate(db);
    keysDir = tempKeysDir({ inHook: true });
    await seedActiveKeys(testContext(db, keysDir, systemClock));
    config = loadConfig({
      env: {},
      overrides: {
        environment: 'production',
        server: { host: '127.0.0.1', port: 0, publicBaseUrl: 'https://eidas.example.fr' },
        keys: { dir: keysDir },
        database: { dataDir: join(work, 'pglite') },
        franceconnect: { issuer: 'https://fc.example.fr/api/v2', clientSecret: 'not-a-real-secret', encryption: { enabled: false } },
        proxyService: { identifierSecret: randomBytes(32).toString('base64url') },
      },
    });
    const destination = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    node = await startNode(config, createLogger({ level: 'info', destination }), { db });
  }, 120_000);
  afterAll(async () => {
    await node?.stop();
    await db?.close();
    rmSync(work, { recursive: true, force: true });
    if (keysDir) rmSync(dirname(keysDir), { recursive: true, force: true });
  });

  it('DESIGN §7, ATK-62: /mock/* and /demo/* answer 404 (GET and POST); the node itself answers', async () => {
    const get = (path: string) => fetch(`${node.boundUrl}${path}`);
    const post = (path: string) =>
      fetch(`${node.boundUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'country=FR' });
    expect(node.dev).toBeUndefined();
    for (const path of [
      '/mock/franceconnect/api/v2/.well-known/openid-configuration',
      '/mock/franceconnect/api/v2/authorize?client_id=x',
      '/mock/franceconnect/api/v2/jwks',
      '/mock/eu/connector/metadata',
      '/mock/eu/autopost.js',
      '/demo/eu',
    ]) {
      expect([path, (await get(path)).status]).toEqual([path, 404]);
    }
    for (const path of ['/demo/eu/login', '/mock/eu/connector/acs', '/mock/franceconnect/api/v2/token']) {
      expect([path, (await post(path)).status]).toEqual([path, 404]);
    }
    expect((await get('/proxy-service/metadata')).status).toBe(200);
    expect((await get('/healthz')).status).toBe(200);
  });

  it('nothing of the development set-up is made: no key files but those of `pont keys`, no development state', () => {
    expect(readdirSync(keysDir).length).toBeGreaterThan(0); // the keys `pont keys generate` made
    for (const role of KEY_ROLES) expect(Object.values(keyFiles(keysDir, role)).filter(existsSync)).toEqual([]);
    expect(existsSync(developmentStateDir(config))).toBe(false);
    expect(lines.join('')).not.toMatch(/"event":"(keys\.generated|proxy\.identifier_secret\.generated|dev\.url)"/);
  });
});
