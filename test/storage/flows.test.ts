/**
 * Pending flows (DESIGN §1 step 3, §5): a login that starts on one instance finishes on
 * another; an expired flow is gone; a flow is consumed once.
 */
import { expect, it } from 'vitest';
import { FlowStore, MAX_FLOW_TTL_MS } from '../../src/storage/index.ts';
import { describeEngines } from './engines.ts';
import { pinnedClock } from './pinned-clock.ts';

const T0 = '2025-06-01T10:00:00.000Z';
const THIRTY_MINUTES = 30 * 60_000;
const STATE = { requestId: '_a1b2', acsUrl: 'https://sp.example.eu/acs', loa: 'substantial', attrs: ['A', 'B'] };

describeEngines('pending flows', (engine) => {
  it('reads back a flow created on another instance, with its kind, state and expiry', async () => {
    const { db, another } = await engine.open();
    const time = pinnedClock(T0);
    const created = await new FlowStore(db, { clock: time.clock }).create('proxy-service', STATE, THIRTY_MINUTES);
    expect(created.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.expiresAt.toISOString()).toBe('2025-06-01T10:30:00.000Z');

    const elsewhere = new FlowStore(await another(), { clock: time.clock });
    expect(await elsewhere.get(created.id, 'proxy-service')).toEqual({
      id: created.id,
      kind: 'proxy-service',
      state: STATE,
      createdAt: new Date(T0),
      expiresAt: new Date('2025-06-01T10:30:00.000Z'),
    });
  });

  it('gives each flow a fresh random id', async () => {
    const { db } = await engine.open();
    const flows = new FlowStore(db);
    const ids = await Promise.all([1, 2, 3].map(() => flows.create('connector', {}, 60_000)));
    expect(new Set(ids.map((f) => f.id)).size).toBe(3);
  });

  it('treats an expired flow as absent: at expires_at it is gone for get, update and consume', async () => {
    const { db } = await engine.open();
    const time = pinnedClock(T0);
    const flows = new FlowStore(db, { clock: time.clock });
    const { id } = await flows.create('proxy-service', STATE, THIRTY_MINUTES);
    time.advance(THIRTY_MINUTES - 1);
    expect(await flows.get(id, 'proxy-service')).toBeDefined();
    time.advance(1);
    expect(await flows.get(id, 'proxy-service')).toBeUndefined();
    expect(await flows.update(id, 'proxy-service', { late: true })).toBe(false);
    expect(await flows.consume(id, 'proxy-service')).toBeUndefined();
  });

  it('does not hand a flow to a caller that expects another kind', async () => {
    const { db } = await engine.open();
    const flows = new FlowStore(db);
    const { id } = await flows.create('proxy-service', STATE, 60_000);
    expect(await flows.get(id, 'connector')).toBeUndefined();
    expect(await flows.consume(id, 'connector')).toBeUndefined();
    expect(await flows.get(id, 'proxy-service')).toBeDefined();
  });

  it('updates the state of a live flow and keeps its expiry', async () => {
    const { db } = await engine.open();
    const time = pinnedClock(T0);
    const flows = new FlowStore(db, { clock: time.clock });
    const { id, expiresAt } = await flows.create('proxy-service', STATE, THIRTY_MINUTES);
    time.advance(60_000);
    expect(await flows.update(id, 'proxy-service', { ...STATE, fcState: 'xyz' })).toBe(true);
    const read = await flows.get(id, 'proxy-service');
    expect(read?.state).toEqual({ ...STATE, fcState: 'xyz' });
    expect(read?.expiresAt).toEqual(expiresAt);
  });

  it('consumes a flow exactly once when 20 callbacks race on two instances', async () => {
    const { db, another } = await engine.open();
    const first = new FlowStore(db);
    const second = new FlowStore(await another());
    const { id } = await first.create('connector', STATE, 60_000);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? first : second).consume(id, 'connector')),
    );
    const winners = results.filter((r) => r !== undefined);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.state).toEqual(STATE);
    expect(await first.get(id, 'connector')).toBeUndefined();
  });

  it('deletes a flow (cancel) and answers absent for ids it never issued', async () => {
    const { db } = await engine.open();
    const flows = new FlowStore(db);
    const { id } = await flows.create('connector', STATE, 60_000);
    expect(await flows.delete(id)).toBe(true);
    expect(await flows.delete(id)).toBe(false);
    for (const forged of ['', 'x', `${id}x`, "' OR 1=1 --", id.replace(/./, '!')]) {
      expect(await flows.get(forged, 'connector')).toBeUndefined();
      expect(await flows.consume(forged, 'connector')).toBeUndefined();
    }
  });

  it('refuses states that are not JSON or too large, lifetimes that are not positive, bad kinds', async () => {
    const { db } = await engine.open();
    const flows = new FlowStore(db, { maxStateBytes: 100 });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const refusals = [
      flows.create('connector', cyclic, 60_000),
      flows.create('connector', undefined, 60_000),
      flows.create('connector', { big: 'x'.repeat(200) }, 60_000),
      flows.create('connector', {}, 0),
      flows.create('connector', {}, Number.NaN),
      flows.create('connector', {}, MAX_FLOW_TTL_MS + 1),
      flows.create('Bad Kind', {}, 60_000),
    ];
    for (const refusal of refusals) {
      await expect(refusal).rejects.toMatchObject({ name: 'StorageError', code: 'INVALID_ARGUMENT' });
    }
    const { rows } = await db.query('SELECT count(*)::int AS n FROM pending_flows');
    expect(rows[0]).toEqual({ n: 0 });
  });
});
