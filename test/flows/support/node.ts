/**
 * A real node for the flow tests: startNode in development on 127.0.0.1 (the mocks and the demo
 * EU service included), on a database the test opens (a PGlite clone of the template, or a
 * PostgreSQL schema of its own), with a port chosen before start so that the public base URL,
 * the entityIDs and the FranceConnect redirect_uri are the real ones. Keys (development keys,
 * mock EU country keys, FranceConnect encryption key) are made once per work directory and
 * shared by every node started on it, as instances of one deployment share theirs.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../../src/config/load.ts';
import { mergeLayers } from '../../../src/config/merge.ts';
import type { Config } from '../../../src/config/schema.ts';
import { ensurePrivateDir, writePrivateFile } from '../../../src/keys/files.ts';
import { generateKeyPair } from '../../../src/keys/generate.ts';
import { startNode, type NodeHandle } from '../../../src/server/node.ts';
import { IN_MEMORY, openDatabase, type Database, type Engine } from '../../../src/storage/index.ts';
import { createLogger } from '../../../src/util/logger.ts';
import { pgliteTemplateData } from '../../storage/engines.ts';

export interface Workspace {
  dir: string;
  keysDir: string;
  fcEncryptionKeyFile: string;
  fcClientSecret: string;
  cleanup(): void;
}

/** A work directory with the FranceConnect encryption key every node of the test shares. */
export async function workspace(name: string): Promise<Workspace> {
  const dir = mkdtempSync(join(tmpdir(), `pont-${name}-`));
  const keysDir = join(dir, 'keys');
  ensurePrivateDir(keysDir);
  const fcEncryptionKeyFile = join(dir, 'fc-encryption.key.pem');
  if (!existsSync(fcEncryptionKeyFile)) {
    const pair = await generateKeyPair({ type: 'rsa-3072', usage: 'encryption', subject: 'CN=fc encryption (test)', validityDays: 30 });
    writePrivateFile(fcEncryptionKeyFile, pair.privateKeyPem);
  }
  return {
    dir,
    keysDir,
    fcEncryptionKeyFile,
    fcClientSecret: randomBytes(32).toString('base64url'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface TestDb {
  db: Database;
  /** A second handle on the same data, as another instance holds (PostgreSQL: its own pool). */
  another(): Promise<Database>;
  close(): Promise<void>;
}

/** PGlite: an in-memory clone of the initialised template. PostgreSQL: a schema of its own, dropped at close. */
export async function openTestDb(engine: Engine): Promise<TestDb> {
  if (engine === 'pglite') {
    const db = await openDatabase({ dataDir: IN_MEMORY, initialData: await pgliteTemplateData() });
    return { db, another: async () => db, close: () => db.close() };
  }
  const url = process.env.DATABASE_URL!;
  const schema = `pont_flow_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await openDatabase({ url, maxConnections: 1 });
  await admin.exec(`CREATE SCHEMA ${schema}`);
  const handles: Database[] = [];
  const connect = async () => {
    const handle = await openDatabase({ url, schema, maxConnections: 5 });
    handles.push(handle);
    return handle;
  };
  const db = await connect();
  return {
    db,
    another: connect,
    close: async () => {
      await Promise.all(handles.map((h) => h.close()));
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}

export interface TestNode {
  node: NodeHandle;
  /** The public base URL (= where this node listens, unless it sits behind another's URL). */
  base: string;
  config: Config;
  /** Every log line, parsed. */
  lines: Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

export interface NodeOptions {
  /** Public base URL of another instance (two instances behind one name). */
  publicBaseUrl?: string;
  overrides?: Record<string, unknown>;
}

export function nodeConfig(ws: Workspace, port: number, o: NodeOptions = {}): Config {
  const base = {
    environment: 'development',
    server: { host: '127.0.0.1', port, publicBaseUrl: o.publicBaseUrl ?? `http://127.0.0.1:${port}` },
    keys: { dir: ws.keysDir },
    // Not opened (the test hands the node its database); the development state lives beside it.
    database: { dataDir: join(ws.dir, 'pglite') },
    franceconnect: { clientSecret: ws.fcClientSecret, encryption: { keyFile: ws.fcEncryptionKeyFile } },
  };
  return loadConfig({ env: {}, overrides: mergeLayers([base, o.overrides ?? {}]) });
}

export async function startTestNode(ws: Workspace, db: Database, o: NodeOptions & { port?: number } = {}): Promise<TestNode> {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const port = o.port ?? (await freePort());
  const config = nodeConfig(ws, port, o);
  const node = await startNode(config, createLogger({ level: 'info', destination }), { db });
  return { node, base: config.server.publicBaseUrl, config, lines, stop: () => node.stop() };
}
