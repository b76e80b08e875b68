/**
 * `pont peers add|list|refresh|remove` through the real command, against a temporary PGlite
 * data directory and a metadata server on 127.0.0.1: dry runs write nothing, refusals are one
 * line with their reason code, every change is audited.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../src/audit/index.ts';
import { migrate, openDatabase } from '../../../src/storage/index.ts';
import { pont, singleErrorLine } from '../../cli/run-pont.ts';
import { pgliteTemplateData } from '../../storage/engines.ts';
import { GK, dsigKey, read, resigned } from './helpers.ts';

const signer = dsigKey('p384');
let server: http.Server;
let url: string;
let body: string;
let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metadata`;
  body = await resigned(read(GK.connector.file), signer, { entityID: url, validUntil: '2099-01-01T00:00:00Z' });
  dataDir = join(mkdtempSync(join(tmpdir(), 'pont-peers-cli-')), 'pglite');
  const db = await openDatabase({ dataDir, initialData: await pgliteTemplateData() });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  env = { PONT_DATABASE__DATA_DIR: dataDir };
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (dataDir) rmSync(dirname(dataDir), { recursive: true, force: true });
});

async function stored(): Promise<{ peers: number; versions: number; events: string[] }> {
  const db = await openDatabase({ dataDir });
  try {
    const peers = (await db.query('SELECT 1 FROM peers')).rowCount;
    const versions = (await db.query('SELECT 1 FROM peer_metadata_versions')).rowCount;
    const events = (await createAuditLog(db).list()).map((e) => `${e.event} by ${e.actor}`);
    return { peers, versions, events };
  } finally {
    await db.close();
  }
}

describe('pont peers', () => {
  it('--help lists the subcommands; a bad country is a usage error on one line', async () => {
    const help = await pont(['peers', '--help']);
    expect(help.code).toBe(0);
    for (const sub of ['add', 'list', 'refresh', 'remove']) expect(help.stdout).toContain(sub);
    const add = await pont(['peers', 'add', '--help']);
    expect(add.stdout.replace(/\s+/g, ' ')).toContain('--role <ROLE> what the peer is for us (choices: "proxy-service", "connector")');
    const bad = await pont(['peers', 'add', '--country', 'de', '--role', 'connector', '--metadata-url', 'https://x.example/md', '--trust-anchor', signer.certFile]);
    expect(bad.code).toBe(2);
    expect(singleErrorLine(bad)).toContain("option '--country <XX>' argument 'de' is invalid");
  });

  it('add (dry run, refused, real), list, refresh (dry run, real), remove (dry run, real) on a temporary PGlite', { timeout: 240_000 }, async () => {
    const addArgs = ['peers', 'add', '--country', 'DE', '--role', 'connector', '--metadata-url', url];

    const dry = await pont([...addArgs, '--trust-anchor', signer.certFile, '--dry-run'], env);
    expect([dry.code, dry.stdout.split('\n')[0]]).toEqual([0, `would add ${url} (dry run: metadata verified, nothing written)`]);
    expect(await stored()).toEqual({ peers: 0, versions: 0, events: [] });

    const wrongAnchor = await pont([...addArgs, '--trust-anchor', dsigKey('evil-p256').certFile], env);
    expect(wrongAnchor.code).toBe(1);
    expect(singleErrorLine(wrongAnchor)).toMatch(/^pont: refused: KEY_UNTRUSTED: /);
    expect(await stored()).toEqual({ peers: 0, versions: 0, events: [] });

    const added = await pont([...addArgs, '--trust-anchor', signer.certFile], env);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(`added ${url}\n  DE connector, valid until 2099-01-01T00:00:00.000Z`);
    expect(await stored()).toEqual({ peers: 1, versions: 1, events: ['peer.added by cli', 'peer.metadata.changed by cli'] });

    const again = await pont([...addArgs, '--trust-anchor', signer.certFile], env);
    expect([again.code, singleErrorLine(again)]).toEqual([4, `pont: ${url}: a peer with this metadata URL is already registered`]);

    const list = await pont(['peers', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`${url}  DE connector  (from pont peers add)\n  state:        ok\n`);
    expect(list.stdout).toMatch(/validUntil: {3}2099-01-01T00:00:00.000Z/);
    expect(list.stdout).toMatch(/key expiry: {3}2028-06-19T08:25:31.000Z/);
    const json = JSON.parse((await pont(['peers', 'list', '--json'], env)).stdout) as Array<Record<string, unknown>>;
    expect(json[0]).toMatchObject({ entityId: url, state: 'ok', lastError: null });

    body = body.replace('2099-01-01T00:00:00Z', '2098-01-01T00:00:00Z'); // changed after signing: refused
    const dryRefresh = await pont(['peers', 'refresh', '--dry-run'], env);
    expect(dryRefresh.code).toBe(1);
    expect(dryRefresh.stdout).toBe(`refused   ${url}: DIGEST_MISMATCH: the signed content was changed after signing\n`);
    expect(singleErrorLine(dryRefresh)).toBe('pont: 1 of 1 peers refused (see above)');
    const refused = await pont(['peers', 'refresh', url], env);
    expect(refused.code).toBe(1);
    const afterRefusal = await pont(['peers', 'list'], env);
    expect(afterRefusal.stdout).toContain('state:        last refresh refused; serving the last good copy until its validUntil');
    expect(afterRefusal.stdout).toMatch(/last error: {3}\S+ DIGEST_MISMATCH: the signed content was changed after signing/);
    expect((await stored()).versions).toBe(1);

    const dryRemove = await pont(['peers', 'remove', url, '--dry-run'], env);
    expect([dryRemove.code, dryRemove.stdout]).toEqual([0, `would remove ${url} (DE connector)\n`]);
    expect((await stored()).peers).toBe(1);
    const removed = await pont(['peers', 'remove', url], env);
    expect([removed.code, removed.stdout]).toEqual([0, `removed ${url} (DE connector)\n`]);
    const unknown = await pont(['peers', 'remove', url], env);
    expect([unknown.code, singleErrorLine(unknown)]).toEqual([4, `pont: ${url}: no peer added with pont peers add has this entityID`]);
    expect(await stored()).toEqual({
      peers: 0,
      versions: 1, // kept as history
      events: ['peer.added by cli', 'peer.metadata.changed by cli', 'peer.metadata.refused by system', 'peer.removed by cli'],
    });
  });
});
