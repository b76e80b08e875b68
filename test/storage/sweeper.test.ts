/**
 * The sweeper (DESIGN §5: "every store entry expires and is swept"): it deletes expired rows
 * of every store and nothing else.
 */
import { expect, it, vi } from 'vitest';
import { FlowStore, ReplayStore, StorageError, Sweeper, type Database } from '../../src/storage/index.ts';
import { describeEngines } from './engines.ts';
import { pinnedClock } from './pinned-clock.ts';

const T0 = '2025-06-01T10:00:00.000Z';
const MINUTE = 60_000;

async function count(db: Database, table: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]!.n;
}

describeEngines('sweeper', (engine) => {
  it('deletes expired flows and seen IDs, keeps the live ones, in batches', async () => {
    const { db } = await engine.open();
    const time = pinnedClock(T0);
    const flows = new FlowStore(db, { clock: time.clock });
    const seen = new ReplayStore(db, { clock: time.clock });
    const shortLived = await Promise.all([1, 2, 3, 4, 5].map(() => flows.create('connector', {}, MINUTE)));
    const live = await flows.create('connector', { keep: true }, 10 * MINUTE);
    for (const id of ['_a', '_b', '_c']) await seen.markSeen('https://a.example.eu', id, new Date(Date.parse(T0) + MINUTE));
    await seen.markSeen('https://a.example.eu', '_live', new Date(Date.parse(T0) + 10 * MINUTE));

    const sweeper = new Sweeper(db, { clock: time.clock, batchSize: 2 });
    time.advance(MINUTE - 1);
    expect(await sweeper.sweepOnce()).toEqual({ pendingFlows: 0, seenMessageIds: 0 });
    time.advance(1);
    expect(await sweeper.sweepOnce()).toEqual({ pendingFlows: 5, seenMessageIds: 3 });
    expect(await count(db, 'pending_flows')).toBe(1);
    expect(await flows.get(live.id, 'connector')).toBeDefined();
    expect(await flows.get(shortLived[0]!.id, 'connector')).toBeUndefined();
    const { rows } = await db.query('SELECT message_id FROM seen_message_ids');
    expect(rows).toEqual([{ message_id: '_live' }]);
    expect(await sweeper.sweepOnce()).toEqual({ pendingFlows: 0, seenMessageIds: 0 });
  });

  it('keeps refusing a replay whose record is live even after a sweep', async () => {
    const { db } = await engine.open();
    const time = pinnedClock(T0);
    const seen = new ReplayStore(db, { clock: time.clock });
    await seen.markSeen('https://a.example.eu', '_id', new Date(Date.parse(T0) + MINUTE));
    await new Sweeper(db, { clock: time.clock }).sweepOnce();
    expect(await seen.markSeen('https://a.example.eu', '_id', new Date(Date.parse(T0) + MINUTE))).toBe(false);
  });

  it('sweeps on its interval once started, and not after stop', async () => {
    const { db } = await engine.open();
    const time = pinnedClock(T0);
    const flows = new FlowStore(db, { clock: time.clock });
    await flows.create('connector', {}, MINUTE);
    // The sweeper's timer is driven by hand: no sleep, nothing depends on how busy the machine is.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const sweeper = new Sweeper(db, { clock: time.clock, intervalMs: 5 });
      sweeper.start();
      sweeper.start(); // a second start keeps the one timer
      expect(sweeper.started).toBe(true);
      expect(vi.getTimerCount()).toBe(1);
      time.advance(MINUTE);
      vi.advanceTimersByTime(4);
      await sweeper.stop(); // waits for a sweep in progress: none yet, the interval has not elapsed
      expect(await count(db, 'pending_flows')).toBe(1);
      sweeper.start();
      vi.advanceTimersByTime(5);
      await sweeper.stop(); // waits for the sweep the interval started
      expect(await count(db, 'pending_flows')).toBe(0);
      expect(sweeper.started).toBe(false);
      expect(vi.getTimerCount()).toBe(0);
      await flows.create('connector', {}, MINUTE);
      time.advance(MINUTE);
      vi.advanceTimersByTime(60_000); // twelve thousand intervals: a live timer would have swept
      await sweeper.stop();
      expect(await count(db, 'pending_flows')).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports a failed scheduled sweep as a StorageError and keeps its schedule', async () => {
    const { db } = await engine.open({ migrated: false }); // no tables: every sweep fails
    const errors: StorageError[] = [];
    const sweeper = new Sweeper(db, { intervalMs: 5, onError: (e) => errors.push(e) });
    sweeper.start();
    await vi.waitFor(() => expect(errors.length).toBeGreaterThanOrEqual(2), { timeout: 10_000, interval: 20 });
    await sweeper.stop();
    expect(errors[0]).toBeInstanceOf(StorageError);
    expect(errors[0]).toMatchObject({ code: 'QUERY_FAILED', sqlState: '42P01' });
  });
});
