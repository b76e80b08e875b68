/**
 * The peer registry (CONTRACT-3, PEERS part). Opening it reads the peers (configuration and
 * database) and puts each stored copy back in service after verifying it again with today's
 * anchors and clock; it fetches nothing. `startSchedule()` refreshes every peer now and then
 * every peers.refreshIntervalMinutes (unref'd timer). A message signed by a key we do not know
 * refreshes that one peer at once, at most once per peers.unknownKeyRefreshSeconds.
 *
 * Only configured peers are ever fetched, from their own metadata URL: an unknown entityID
 * (an Issuer from a request, ATK-47) gets no keys and causes no connection.
 */
import type { KeyObject } from 'node:crypto';
import type { Config } from '../../config/schema.ts';
import { systemClock, type Clock } from '../../storage/clock.ts';
import type { Database } from '../../storage/database.ts';
import type { Logger } from '../../util/logger.ts';
import { allowedHosts, checkPeerUrls, type PeerDefinition } from './definitions.ts';
import { MetadataRefusal } from './errors.ts';
import type { FetchPolicy, MetadataTransport } from './fetch.ts';
import { createHttpTransport } from './http-transport.ts';
import { loadPeers, syncAddedPeers, type LoadOptions } from './load.ts';
import { refreshPeer, type PeerAudit, type RefreshContext } from './refresh.ts';
import { peerStatus, type PeerEntry } from './status.ts';
import { PeerStore } from './store.ts';
import type { PeerDescriptor, PeerRefreshResult, PeerRegistry, PeerRole, PeerStatus } from './types.ts';

export interface PeerRegistryOptions {
  db: Database;
  config: Config;
  logger: Logger;
  audit: PeerAudit;
  transport?: MetadataTransport;
  clock?: Clock;
  /**
   * Record the configuration's peers in the database (with a `peer.added` audit event for a new
   * one): the running node does; read-only commands (`pont peers list`) do not.
   */
  recordConfigPeers?: boolean;
  /** Refreshes fetch and verify only: nothing is stored, audited or put in service (`--dry-run`). */
  dryRun?: boolean;
}

export interface OpenedPeerRegistry extends PeerRegistry {
  /** Re-reads the peers added or removed with `pont peers` (done before each scheduled refresh). */
  reload(): Promise<void>;
  /** Refreshes every peer now, then every peers.refreshIntervalMinutes. */
  startSchedule(): void;
  /** Stops the schedule and waits for refreshes in progress. */
  close(): Promise<void>;
}

export function fetchPolicyFor(config: Config, peers: readonly PeerDefinition[]): FetchPolicy {
  const { fetch } = config.peers;
  return {
    allowedHosts: allowedHosts(config, peers),
    requireHttps: config.environment === 'production',
    connectTimeoutMs: fetch.connectTimeoutMs,
    timeoutMs: fetch.timeoutMs,
    maxBytes: fetch.maxBytes,
  };
}

export async function openPeerRegistry(options: PeerRegistryOptions): Promise<OpenedPeerRegistry> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const store = new PeerStore(options.db);
  const loadOptions: LoadOptions = { store, config, logger, clock, audit: options.audit, recordConfigPeers: options.recordConfigPeers === true };
  const entries = await loadPeers(loadOptions);
  const definitions = [...entries.values()].map((e) => e.def);
  checkPeerUrls(config, definitions);
  const ctx: RefreshContext = {
    store,
    audit: options.audit,
    logger,
    transport: options.transport ?? createHttpTransport(),
    clock,
    fetchPolicy: fetchPolicyFor(config, definitions),
    dryRun: options.dryRun === true,
  };
  return new Registry(entries, ctx, loadOptions);
}

class Registry implements OpenedPeerRegistry {
  private timer: NodeJS.Timeout | undefined;

  private readonly config: Config;

  constructor(
    private readonly entries: Map<string, PeerEntry>,
    private readonly ctx: RefreshContext,
    private readonly loadOptions: LoadOptions,
  ) {
    this.config = loadOptions.config;
  }

  get(entityId: string): PeerDescriptor | undefined {
    const current = this.entries.get(entityId)?.current;
    return current && current.descriptor.validUntil > this.ctx.clock() ? current.descriptor : undefined;
  }

  list(filter: { country?: string; role?: PeerRole } = {}): PeerDescriptor[] {
    return [...this.entries.keys()]
      .map((id) => this.get(id))
      .filter((d): d is PeerDescriptor => !!d)
      .filter((d) => (filter.country === undefined || d.country === filter.country) && (filter.role === undefined || d.role === filter.role));
  }

  async signingKeys(entityId: string, options: { unknownKey?: boolean } = {}): Promise<KeyObject[]> {
    const entry = this.entries.get(entityId);
    if (!entry) return [];
    if (options.unknownKey) await this.refreshForUnknownKey(entry);
    return this.get(entityId)?.signingKeys ?? [];
  }

  async refresh(entityId?: string): Promise<PeerRefreshResult[]> {
    if (entityId === undefined) return Promise.all([...this.entries.values()].map((e) => this.refreshEntry(e)));
    const entry = this.entries.get(entityId);
    if (!entry) return [{ entityId, outcome: 'refused', reason: 'UNKNOWN_PEER', detail: `${entityId} is not a registered peer` }];
    return [await this.refreshEntry(entry)];
  }

  status(): PeerStatus[] {
    const now = this.ctx.clock();
    return [...this.entries.values()].map((e) => peerStatus(e, now, this.config.peers.expiryWarningDays));
  }

  /** Picks up peers added or removed with `pont peers` since the registry was opened. */
  async reload(): Promise<void> {
    if (!(await syncAddedPeers(this.entries, this.loadOptions))) return;
    const definitions = [...this.entries.values()].map((e) => e.def);
    checkPeerUrls(this.config, definitions);
    this.ctx.fetchPolicy = fetchPolicyFor(this.config, definitions);
  }

  startSchedule(): void {
    if (this.timer) return;
    const run = () => void this.reload().then(() => this.refresh()).catch((err: unknown) => this.logUnexpected(err));
    this.timer = setInterval(run, this.config.peers.refreshIntervalMinutes * 60_000);
    this.timer.unref();
    setImmediate(run).unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.entries.values()].map((e) => e.inflight));
  }

  /** One refresh per peer at a time: concurrent callers share it. */
  private refreshEntry(entry: PeerEntry): Promise<PeerRefreshResult> {
    entry.inflight ??= refreshPeer(entry, this.ctx).finally(() => {
      entry.inflight = undefined;
    });
    return entry.inflight;
  }

  private async refreshForUnknownKey(entry: PeerEntry): Promise<void> {
    if (entry.inflight) {
      await entry.inflight;
      return;
    }
    const now = this.ctx.clock().getTime();
    const minGap = this.config.peers.unknownKeyRefreshSeconds * 1000;
    if (entry.lastUnknownKeyRefresh !== undefined && now - entry.lastUnknownKeyRefresh < minGap) return;
    entry.lastUnknownKeyRefresh = now;
    await this.refreshEntry(entry);
  }

  private logUnexpected(err: unknown): void {
    const message = err instanceof MetadataRefusal || err instanceof Error ? err.message : String(err);
    this.ctx.logger.error({ event: 'peer.refresh.failed', error: message }, `scheduled peer refresh failed: ${message}`);
  }
}
