/**
 * Deletes expired rows: every store entry expires and is swept (DESIGN §5). Reads already treat
 * expired rows as absent, so the sweeper only bounds the size of the tables. It deletes in
 * batches, skipping rows another instance's sweeper holds, so that several instances can
 * sweep at once without waiting on each other.
 */
import { systemClock, type Clock } from './clock.ts';
import type { Database } from './database.ts';
import { StorageError, toStorageError } from './errors.ts';

export interface SweepResult {
  pendingFlows: number;
  seenMessageIds: number;
}

export interface SweeperOptions {
  clock?: Clock;
  /** Time between sweeps (default 60 s). */
  intervalMs?: number;
  /** Rows deleted per statement (default 1000). */
  batchSize?: number;
  /** A scheduled sweep failed (the next one still runs). Default: a process warning. */
  onError?: (err: StorageError) => void;
}

/** At most this many batches per table and sweep, so one sweep stays short. */
const MAX_BATCHES = 100;

const SWEPT: { key: keyof SweepResult; table: string; columns: string }[] = [
  { key: 'pendingFlows', table: 'pending_flows', columns: 'id' },
  { key: 'seenMessageIds', table: 'seen_message_ids', columns: 'issuer, message_id' },
];

const deleteBatchSql = (table: string, columns: string): string => `
DELETE FROM ${table} WHERE (${columns}) IN (
  SELECT ${columns} FROM ${table} WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`;

export class Sweeper {
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private readonly onError: (err: StorageError) => void;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly db: Database,
    options: SweeperOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.intervalMs = options.intervalMs ?? 60_000;
    this.batchSize = options.batchSize ?? 1000;
    this.onError = options.onError ?? ((err) => process.emitWarning(err.message, { code: 'PONT_STORAGE' }));
    if (!Number.isSafeInteger(this.intervalMs) || this.intervalMs <= 0 || !Number.isSafeInteger(this.batchSize) || this.batchSize <= 0) {
      throw new StorageError('INVALID_ARGUMENT', 'the sweep interval and batch size are positive integers');
    }
  }

  /** Deletes every row expired at the clock's now; returns how many per table. */
  async sweepOnce(): Promise<SweepResult> {
    const now = this.clock();
    const result: SweepResult = { pendingFlows: 0, seenMessageIds: 0 };
    for (const { key, table, columns } of SWEPT) {
      const sql = deleteBatchSql(table, columns);
      for (let batch = 0; batch < MAX_BATCHES; batch++) {
        const { rowCount } = await this.db.query(sql, [now, this.batchSize]);
        result[key] += rowCount;
        if (rowCount < this.batchSize) break;
      }
    }
    return result;
  }

  /** Sweeps every interval until `stop()`; the timer does not keep the process alive. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a sweep in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  get started(): boolean {
    return this.timer !== undefined;
  }

  private tick(): void {
    if (this.running) return; // the previous sweep is still at work
    this.running = this.sweepOnce()
      .catch((err: unknown) => this.onError(toStorageError(err, this.db.target)))
      .finally(() => {
        this.running = undefined;
      });
  }
}
