/**
 * The running node (startNode) opens the registry, records the configured peer (peer.added),
 * refreshes it at start from a metadata server on 127.0.0.1, and /readyz shows it (issue 3
 * item 4); stopping the node stops the schedule.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config/load.ts';
import { startNode } from '../../../src/server/node.ts';
import { openDatabase } from '../../../src/storage/index.ts';
import { pgliteTemplateData } from '../../storage/engines.ts';
import { GK, capturedLogger, dsigKey, read, resigned } from './helpers.ts';

const signer = dsigKey('p384');
const work = mkdtempSync(join(tmpdir(), 'pont-peers-node-'));
let server: http.Server;
let url: string;

beforeAll(async () => {
  let body = '';
  server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metadata`;
  body = await resigned(read(GK.connector.file), signer, { entityID: url, validUntil: '2099-01-01T00:00:00Z' });
  await (await openDatabase({ dataDir: join(work, 'pglite'), initialData: await pgliteTemplateData() })).close();
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(work, { recursive: true, force: true });
});

describe('the node and its peers', () => {
  it('a configured peer is recorded, fetched at start and shown in /readyz', { timeout: 120_000 }, async () => {
    const config = loadConfig({
      env: {},
      overrides: {
        server: { port: 0 },
        keys: { dir: join(work, 'keys') },
        database: { dataDir: join(work, 'pglite') },
        peers: { list: [{ country: 'DE', role: 'connector', metadataUrl: url, trustAnchors: [signer.certFile] }] },
      },
    });
    const { logger, lines } = capturedLogger();
    const node = await startNode(config, logger);
    try {
      await vi.waitFor(() => expect(lines.some((l) => l.event === 'peer.metadata.accepted')).toBe(true), { timeout: 30_000 });
      const report = (await (await fetch(`${node.boundUrl}/readyz`)).json()) as { checks: Record<string, { peers: unknown[]; detail: string }> };
      // A development node also registers its demo EU connector (XE, unreachable here on port 0).
      expect(report.checks.peers!.detail).toBe('2 peers, 1 with verified metadata in service');
      expect(report.checks.peers!.peers).toEqual([
        expect.objectContaining({ entityId: url, country: 'DE', role: 'connector', source: 'config', state: 'ok', validUntil: '2099-01-01T00:00:00.000Z' }),
        expect.objectContaining({ country: 'XE', role: 'connector', source: 'config', state: 'unavailable' }),
      ]);
      expect(lines.find((l) => l.event === 'peer.added')?.msg).toBe(`peer ${url} (DE connector) added from the configuration`);
    } finally {
      await node.stop();
    }
  });
});
