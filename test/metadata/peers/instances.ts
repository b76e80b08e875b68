/**
 * Two instances of the node on one database (PGlite, or PostgreSQL with a pool each): A runs
 * `pont peers add|remove` and refreshes, B follows the database. Each has its own pinned clock,
 * fake transport (serving the same peer documents) and captured logs.
 */
import { createHash } from 'node:crypto';
import { addPeer, removePeer } from '../../../src/metadata/peers/admin.ts';
import type { CheckedCertificate } from '../../../src/metadata/peers/certificates.ts';
import type { TestDatabase } from '../../storage/engines.ts';
import { harness, type Harness } from './harness.ts';
import { capturedLogger, testConfig, type Served } from './helpers.ts';

export const sha256 = (b: Buffer | string | Uint8Array): string => createHash('sha256').update(b).digest('hex');

export interface TwoInstances {
  a: Harness;
  b: Harness;
  /** `pont peers add` (a connector for DE) as run next to instance A. */
  add(url: string, anchors: CheckedCertificate[]): Promise<void>;
  /** `pont peers remove` as run next to instance A. */
  remove(url: string): Promise<void>;
  /** Both clocks move on together. */
  advance(ms: number): void;
  /** What every peer serves from now on (both transports). */
  serve(url: string, served: Served): void;
}

export async function twoInstances(testDb: TestDatabase, routes: Record<string, Served>, now: string): Promise<TwoInstances> {
  const config = testConfig([]);
  const a = await harness(testDb.db, config, routes, now);
  const b = await harness(await testDb.another(), config, routes, now);
  const deps = { db: testDb.db, config, audit: a.audit, logger: capturedLogger().logger, transport: a.transport, clock: a.time.clock };
  return {
    a,
    b,
    add: async (url, trustAnchors) => {
      await addPeer({ country: 'DE', role: 'connector', metadataUrl: url, trustAnchors }, deps);
    },
    remove: async (url) => {
      await removePeer(url, deps);
    },
    advance: (ms) => {
      a.time.advance(ms);
      b.time.advance(ms);
    },
    serve: (url, served) => {
      a.serve(url, served);
      b.serve(url, served);
    },
  };
}
