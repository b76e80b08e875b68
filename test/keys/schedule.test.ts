/**
 * The schedule (keys.autoPromoteAfterDays, keys.retiringGraceHours) run by every instance at
 * once: exactly one instance makes each change. On PostgreSQL (DATABASE_URL) the two rings hold
 * separate connection pools, as two instances would; on PGlite they share the one handle.
 */
import { expect, it } from 'vitest';
import { generateKey, listKeys, openKeyRing } from '../../src/metadata/keys/index.ts';
import { describeEngines } from '../storage/engines.ts';
import { pinnedClock } from '../storage/pinned-clock.ts';
import { DAY, HOUR, seedActiveKeys, tempKeysDir, testConfig, testContext } from './support/keys.ts';

describeEngines('key schedule', (engine) => {
  it('auto-promotes a next key N days after publication exactly once, with two instances ticking together', async () => {
    const { db, another } = await engine.open();
    const dir = tempKeysDir();
    const clock = pinnedClock('2026-03-01T00:00:00Z');
    const ctx = testContext(db, dir, clock.clock);
    const ids = await seedActiveKeys(ctx);
    const config = testConfig(dir, { autoPromoteAfterDays: 7 });
    const rings = [
      await openKeyRing({ db, config, clock: clock.clock, refreshIntervalMs: 0 }),
      await openKeyRing({ db: await another(), config, clock: clock.clock, refreshIntervalMs: 0 }),
    ];
    const next = (await generateKey(ctx, { use: 'signing', algorithm: 'ec-p256' })).changes[0]!.id;

    clock.advance(7 * DAY - 1);
    expect((await Promise.all(rings.map((r) => r.tick()))).flat()).toEqual([]);
    clock.advance(1);
    for (let round = 0; round < 3; round++) {
      const changes = (await Promise.all(rings.map((r) => r.tick()))).flat();
      expect(changes.filter((c) => c.to === 'active')).toHaveLength(round === 0 ? 1 : 0);
    }
    const promoted = (await ctx.audit.list()).filter((e) => e.event === 'key.promoted');
    expect(promoted).toEqual([expect.objectContaining({ actor: 'schedule', details: expect.objectContaining({ id: next, replaces: ids.signing, scheduled: true }) })]);
    expect(rings.map((r) => r.active('signing').id)).toEqual([next, next]);
    expect((await listKeys(db)).find((k) => k.id === ids.signing)?.state).toBe('retiring');
    expect((await ctx.audit.verifyChain()).ok).toBe(true);
    rings.forEach((r) => r.close());
  });

  it('retires a retiring key automatically when keys.retiringGraceHours have passed, exactly once', async () => {
    const { db, another } = await engine.open();
    const dir = tempKeysDir();
    const clock = pinnedClock('2026-03-01T00:00:00Z');
    const ctx = testContext(db, dir, clock.clock);
    const ids = await seedActiveKeys(ctx);
    const config = testConfig(dir, { retiringGraceHours: 24, autoPromoteAfterDays: 1 });
    const rings = [
      await openKeyRing({ db, config, clock: clock.clock, refreshIntervalMs: 0 }),
      await openKeyRing({ db: await another(), config, clock: clock.clock, refreshIntervalMs: 0 }),
    ];
    await generateKey(ctx, { use: 'encryption', algorithm: 'ec-p256' });
    clock.advance(1 * DAY);
    await Promise.all(rings.map((r) => r.tick())); // promotion: the old encryption key is retiring from now
    clock.advance(24 * HOUR - 1);
    expect((await Promise.all(rings.map((r) => r.tick()))).flat()).toEqual([]);
    clock.advance(1);
    const changes = (await Promise.all(rings.map((r) => r.tick()))).flat();
    expect(changes).toEqual([{ id: ids.encryption, use: 'encryption', from: 'retiring', to: 'retired', scheduled: true }]);
    expect((await ctx.audit.list({ event: 'key.retired' })).map((e) => e.details.id)).toEqual([ids.encryption]);
    for (const ring of rings) expect(ring.all().find((k) => k.id === ids.encryption)?.state).toBe('retired');
    rings.forEach((r) => r.close());
  });
});
