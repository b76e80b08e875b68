/** A registry on a test database, with a fake transport, a pinned clock, the real audit log and captured logs. */
import { createAuditLog, type AuditLog } from '../../../src/audit/index.ts';
import type { Config } from '../../../src/config/schema.ts';
import { openPeerRegistry, type OpenedPeerRegistry } from '../../../src/metadata/peers/registry.ts';
import type { Database } from '../../../src/storage/index.ts';
import { pinnedClock, type PinnedClock } from '../../storage/pinned-clock.ts';
import { capturedLogger, fakeTransport, type Served } from './helpers.ts';

export interface Harness {
  registry: OpenedPeerRegistry;
  transport: ReturnType<typeof fakeTransport>;
  time: PinnedClock;
  logs: Array<Record<string, unknown>>;
  audit: AuditLog;
  /** Serve another body at `url` from now on. */
  serve(url: string, served: Served): void;
  /** A second registry on the same database (another instance, or the next start). */
  reopen(config?: Config): Promise<OpenedPeerRegistry>;
}

export async function harness(db: Database, config: Config, routes: Record<string, Served>, now: string, recordConfigPeers = false): Promise<Harness> {
  const time = pinnedClock(now);
  const table: Record<string, Served> = { ...routes };
  const transport = fakeTransport(Object.fromEntries(Object.keys(table).map((url) => [url, () => table[url]!])));
  const { logger, lines } = capturedLogger();
  const audit = createAuditLog(db, time.clock);
  const open = (c: Config) => openPeerRegistry({ db, config: c, logger, audit, transport, clock: time.clock, recordConfigPeers });
  return {
    registry: await open(config),
    transport,
    time,
    logs: lines,
    audit,
    serve: (url, served) => {
      table[url] = served;
    },
    reopen: (c = config) => open(c),
  };
}

/** What the registry stores and serves, to assert that a refusal left it as it was. */
export async function storedState(db: Database): Promise<{ peers: unknown[]; versions: unknown[]; inService: unknown[] }> {
  const peers = (await db.query('SELECT entity_id, country, role, source, trust_anchors FROM peers ORDER BY entity_id')).rows;
  const versions = (await db.query(
    "SELECT entity_id, fingerprint, encode(sha256(xml), 'hex') AS xml_sha256, valid_until, fetched_at FROM peer_metadata_versions ORDER BY entity_id, fingerprint",
  )).rows;
  // The status's last fetch / last error do change on a refusal: that is the status report.
  const inService = (await db.query(
    'SELECT entity_id, current_fingerprint, last_success_at FROM peer_status WHERE current_fingerprint IS NOT NULL ORDER BY entity_id',
  )).rows;
  return { peers, versions, inService };
}

export async function auditEvents(audit: AuditLog, event?: string): Promise<Array<Record<string, unknown>>> {
  return (await audit.list(event ? { event } : {})).map((e) => ({ event: e.event, actor: e.actor, ...e.details }));
}
