/**
 * Replay protection (R-MSG "ID never seen", DESIGN §5): one atomic statement decides whether a
 * message ID is new, under concurrency and across instances sharing the database.
 */
import { expect, it } from 'vitest';
import { ReplayStore, MAX_REPLAY_KEY_LENGTH } from '../../src/storage/index.ts';
import { describeEngines } from './engines.ts';
import { pinnedClock } from './pinned-clock.ts';

const T0 = '2025-06-01T10:00:00.000Z';
const ISSUER = 'https://connector.example.eu/metadata';
const in5min = (time: { now(): Date }) => new Date(time.now().getTime() + 5 * 60_000);

describeEngines('replay protection', (engine) => {
  it('accepts a message ID once, then refuses its replay', async () => {
    const { db } = await engine.open();
    const time = pinnedClock(T0);
    const seen = new ReplayStore(db, { clock: time.clock });
    expect(await seen.markSeen(ISSUER, '_id-1', in5min(time))).toBe(true);
    expect(await seen.markSeen(ISSUER, '_id-1', in5min(time))).toBe(false);
    time.advance(5 * 60_000 - 1);
    expect(await seen.markSeen(ISSUER, '_id-1', in5min(time))).toBe(false);
  });

  it('gives exactly one true to 50 concurrent markSeen of one ID on two instances', async () => {
    const { db, another } = await engine.open();
    const time = pinnedClock(T0);
    const instances = [new ReplayStore(db, { clock: time.clock }), new ReplayStore(await another(), { clock: time.clock })];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => instances[i % 2]!.markSeen(ISSUER, '_race', in5min(time))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('keys by issuer and ID: the same ID from another issuer is a different message', async () => {
    const { db } = await engine.open();
    const time = pinnedClock(T0);
    const seen = new ReplayStore(db, { clock: time.clock });
    expect(await seen.markSeen(ISSUER, '_same', in5min(time))).toBe(true);
    expect(await seen.markSeen('https://other.example.eu/metadata', '_same', in5min(time))).toBe(true);
  });

  it('lets an ID whose record has expired be recorded again, once, even under concurrency', async () => {
    const { db, another } = await engine.open();
    const time = pinnedClock(T0);
    const a = new ReplayStore(db, { clock: time.clock });
    const b = new ReplayStore(await another(), { clock: time.clock });
    expect(await a.markSeen(ISSUER, '_old', in5min(time))).toBe(true);
    time.advance(5 * 60_000);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).markSeen(ISSUER, '_old', in5min(time))));
    expect(results.filter(Boolean)).toHaveLength(1);
    const { rows } = await db.query('SELECT expires_at FROM seen_message_ids WHERE message_id = $1', ['_old']);
    expect(rows).toEqual([{ expires_at: in5min(time) }]);
  });

  it('refuses a record born expired, and empty or oversized keys (never fails open)', async () => {
    const { db } = await engine.open();
    const time = pinnedClock(T0);
    const seen = new ReplayStore(db, { clock: time.clock });
    const refusals = [
      seen.markSeen(ISSUER, '_past', new Date(Date.parse(T0) - 1)),
      seen.markSeen(ISSUER, '_now', new Date(T0)),
      seen.markSeen(ISSUER, '_nan', new Date(Number.NaN)),
      seen.markSeen('', '_id', in5min(time)),
      seen.markSeen(ISSUER, '', in5min(time)),
      seen.markSeen(ISSUER, 'x'.repeat(MAX_REPLAY_KEY_LENGTH + 1), in5min(time)),
    ];
    for (const refusal of refusals) {
      await expect(refusal).rejects.toMatchObject({ name: 'StorageError', code: 'INVALID_ARGUMENT' });
    }
  });
});
