/**
 * The peer registry (CONTRACT-3, PEERS part). Opening it reads the peers (configuration and
 * database) and puts each stored copy back in service after verifying it again with today's
 * anchors and clock; it fetches nothing. `startSchedule()` refreshes every peer now and then
 * every peers.refreshIntervalMinutes, and follows the shared database every
 * peers.syncIntervalSeconds (sync.ts; unref'd timers). A message signed by a key we do not know
 * refreshes that one peer at once, at most once per peers.unknownKeyRefreshSeconds; an entityID
 * this instance does not know makes it follow the database once first (at most once a second).
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
import { loadPeers, type LoadOptions } from './load.ts';
import { refreshPeer, type PeerAudit, type RefreshContext } from './refresh.ts';
import { peerStatus, type PeerEntry } from './status.ts';
import { PeerStore } from './store.ts';
import { applySync, planSync, type PeerSyncResult } from './sync.ts';
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
  /**
   * Follows the database now (sync.ts) without fetching. Rejects when the database cannot be
   * read or a stored peer is unusable; the view is then unchanged.
   */
  reload(): Promise<void>;
  /**
   * One sync tick: follows the database, then fetches the peers it found added. Never rejects:
   * a failure changes nothing, logs one line and is returned in `failed`.
   */
  sync(): Promise<PeerSyncResult>;
  /** Refreshes every peer now, then every peers.refreshIntervalMinutes; syncs every peers.syncIntervalSeconds. */
  startSchedule(): void;
  /** Stops the schedule and waits for refreshes and syncs in progress. */
  close(): Promise<void>;
}

/** An entityID this instance does not know makes it follow the database at most this often. */
export const UNKNOWN_ISSUER_SYNC_GAP_MS = 1000;

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
  private syncTimer: NodeJS.Timeout | undefined;
  /** The sync running now, and the one queued after it (callers arriving meanwhile share it). */
  private runningSync: Promise<unknown> | undefined;
  private queuedSync: Promise<SyncedView> | undefined;
  private lastIssuerSync: { at: number; done: Promise<unknown> } | undefined;

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
    let entry = this.entries.get(entityId);
    if (!entry && options.unknownKey) {
      await this.syncForUnknownIssuer();
      entry = this.entries.get(entityId);
      // Just loaded: its stored copy (verified again) serves; its fetch runs in the background.
      return entry ? (this.get(entityId)?.signingKeys ?? []) : [];
    }
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

  async reload(): Promise<void> {
    await this.syncView();
  }

  async sync(): Promise<PeerSyncResult> {
    const synced = await this.syncWithoutFetch();
    await Promise.all(synced.fetching);
    return synced.result;
  }

  startSchedule(): void {
    if (this.timer) return;
    // A failed sync is logged by syncWithoutFetch and does not stop the refresh of the peers already known.
    const run = () => void this.syncWithoutFetch().then(() => this.refresh()).catch((err: unknown) => this.logUnexpected(err));
    this.timer = setInterval(run, this.config.peers.refreshIntervalMinutes * 60_000);
    this.timer.unref();
    setImmediate(run).unref();
    this.syncTimer = setInterval(() => void this.sync(), this.config.peers.syncIntervalSeconds * 1000);
    this.syncTimer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.timer = undefined;
    this.syncTimer = undefined;
    await Promise.allSettled([this.queuedSync, this.runningSync]);
    await Promise.allSettled([...this.entries.values()].map((e) => e.inflight));
  }

  /** The sync of `sync()`, but the peers found added are fetched in the background (tracked by their entry). */
  private async syncWithoutFetch(): Promise<{ result: PeerSyncResult; fetching: Array<Promise<unknown>> }> {
    let synced: SyncedView;
    try {
      synced = await this.syncView();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.ctx.logger.error({ event: 'peer.sync.failed', error: message }, `peer registry sync failed, the previous view stays in service: ${message}`);
      return { result: { added: [], removed: [], adopted: [], refused: [], failed: message }, fetching: [] };
    }
    const fetching = synced.added.map((e) => this.refreshEntry(e).catch((err: unknown) => this.logUnexpected(err)));
    return { result: synced.result, fetching };
  }

  /** Syncs run one at a time; callers arriving while one runs share the next one, which reads the database afresh. */
  private syncView(): Promise<SyncedView> {
    this.queuedSync ??= (async () => {
      await this.runningSync?.catch(() => undefined);
      this.queuedSync = undefined;
      const run = this.planAndApply();
      this.runningSync = run;
      try {
        return await run;
      } finally {
        if (this.runningSync === run) this.runningSync = undefined;
      }
    })();
    return this.queuedSync;
  }

  private async planAndApply(): Promise<SyncedView> {
    const plan = await planSync(this.entries, this.loadOptions);
    const result = applySync(this.entries, plan, this.loadOptions);
    if (result.added.length > 0 || result.removed.length > 0) this.ctx.fetchPolicy = fetchPolicyFor(this.config, plan.definitions);
    return { result, added: plan.added.filter((e) => this.entries.get(e.def.entityId) === e) };
  }

  /** At most one sync per UNKNOWN_ISSUER_SYNC_GAP_MS for unknown entityIDs; callers within the gap wait for that one. */
  private async syncForUnknownIssuer(): Promise<void> {
    const now = this.ctx.clock().getTime();
    const last = this.lastIssuerSync;
    if (last && now - last.at < UNKNOWN_ISSUER_SYNC_GAP_MS) {
      await last.done;
      return;
    }
    const done = this.syncWithoutFetch();
    this.lastIssuerSync = { at: now, done };
    await done;
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

interface SyncedView {
  result: PeerSyncResult;
  /** Entries the sync loaded: fetched at once. */
  added: PeerEntry[];
}
