/** The publisher's cache: signed once, re-signed before validUntil and when the keys change (R-MD-01, DESIGN §4). */
import { beforeAll, describe, expect, it } from 'vitest';
import { createMetadataPublisher, type MetadataKeySource } from '../../../src/metadata/publish/index.ts';
import { pinnedClock } from '../../storage/pinned-clock.ts';
import { FakeKeyRing, fakeKey } from './fake-key-ring.ts';
import { T0, der, only, publishedCertificates, ringOf, rootOf, standardKeys, testConfig, type TestKeys } from './support.ts';

let keys: TestKeys;
beforeAll(async () => {
  keys = await standardKeys();
});

const HOUR = 3_600_000;
const idOf = (xml: string) => rootOf(xml).getAttribute('ID');

/** Counts the builds: each one asks the ring for the metadata signing key exactly once. */
function counting(ring: FakeKeyRing): MetadataKeySource & { builds: number } {
  const source = {
    builds: 0,
    active: (use: Parameters<FakeKeyRing['active']>[0]) => {
      if (use === 'metadata') source.builds += 1;
      return ring.active(use);
    },
    published: (use: 'signing' | 'encryption') => ring.published(use),
    onChange: (listener: () => void) => ring.onChange(listener),
  };
  return source;
}

describe('metadata cache', () => {
  it('serves the same signed document from memory between requests', async () => {
    const ring = counting(ringOf(keys));
    const publisher = createMetadataPublisher({ keyRing: ring, config: testConfig(), clock: () => new Date(T0) });
    const first = await publisher.document('connector');
    const second = await publisher.document('connector');
    expect(second).toBe(first);
    expect(ring.builds).toBe(1);
    await publisher.document('proxy-service');
    expect(ring.builds).toBe(2);
  });

  it('concurrent first requests share one build', async () => {
    const ring = counting(ringOf(keys));
    const publisher = createMetadataPublisher({ keyRing: ring, config: testConfig(), clock: () => new Date(T0) });
    const docs = await Promise.all(Array.from({ length: 8 }, () => publisher.document('proxy-service')));
    expect(new Set(docs.map((d) => idOf(d.xml))).size).toBe(1);
    expect(ring.builds).toBe(1);
  });

  it('R-MD-01: re-signed once within the re-sign margin of validUntil, with validUntil = that time + 24 h', async () => {
    const clock = pinnedClock(T0);
    const publisher = createMetadataPublisher({ keyRing: ringOf(keys), config: testConfig(), clock: clock.clock });
    const first = await publisher.document('connector');
    expect(first.resignAt.toISOString()).toBe('2026-03-02T02:00:00.000Z');

    clock.advance(18 * HOUR - 1000); // one second before the 6-hour margin starts
    expect(idOf((await publisher.document('connector')).xml)).toBe(idOf(first.xml));

    clock.advance(1000);
    const second = await publisher.document('connector');
    expect(idOf(second.xml)).not.toBe(idOf(first.xml));
    expect(second.validUntil.toISOString()).toBe('2026-03-03T02:00:00.000Z');
    expect(rootOf(second.xml).getAttribute('validUntil')).toBe('2026-03-03T02:00:00Z');
    expect(second.validUntil > first.validUntil).toBe(true);
  });

  it('a shorter configured validity and margin are honoured (validityHours 2, margin 30 min)', async () => {
    const clock = pinnedClock(T0);
    const publisher = createMetadataPublisher({
      keyRing: ringOf(keys),
      config: testConfig({ validityHours: 2, resignMarginMinutes: 30 }),
      clock: clock.clock,
    });
    const first = await publisher.document('proxy-service');
    expect(first.validUntil.toISOString()).toBe('2026-03-01T10:00:00.000Z');
    expect(rootOf(first.xml).getAttribute('cacheDuration')).toBe('PT5400S');
    clock.advance(90 * 60_000);
    expect((await publisher.document('proxy-service')).validUntil.toISOString()).toBe('2026-03-01T11:30:00.000Z');
  });

  it('re-signed at once when the key ring reports a change: a new next key is published', async () => {
    const ring = ringOf(keys);
    const publisher = createMetadataPublisher({ keyRing: ring, config: testConfig(), clock: () => new Date(T0) });
    const before = await publisher.document('proxy-service');
    const next = await fakeKey('signing', 'ec-p256', 'next', 'rotation');
    ring.add(next);
    const after = await publisher.document('proxy-service');
    expect(idOf(after.xml)).not.toBe(idOf(before.xml));
    expect(publishedCertificates(only(rootOf(after.xml), 'IDPSSODescriptor'), 'signing')).toEqual([der(next), der(keys.signing)]);
    ring.promote(next.id);
    const promoted = await publisher.document('proxy-service');
    expect(idOf(promoted.xml)).not.toBe(idOf(after.xml));
    expect(publishedCertificates(only(rootOf(promoted.xml), 'IDPSSODescriptor'), 'signing')).toEqual([der(next), der(keys.signing)]);
  });

  it('a build in flight when the keys change is not cached: the next request gets the new keys', async () => {
    const ring = ringOf(keys);
    const publisher = createMetadataPublisher({ keyRing: ring, config: testConfig(), clock: () => new Date(T0) });
    const next = await fakeKey('encryption', 'ec-p256', 'next', 'late');
    const inFlight = publisher.document('connector'); // signing is asynchronous: still pending below
    ring.add(next);
    const fresh = await publisher.document('connector');
    expect(publishedCertificates(only(rootOf(fresh.xml), 'SPSSODescriptor'), 'encryption')).toContain(der(next));
    const stale = await inFlight;
    expect(publishedCertificates(only(rootOf(stale.xml), 'SPSSODescriptor'), 'encryption')).not.toContain(der(next));
    expect(await publisher.document('connector')).toBe(fresh);
  });

  it('a build that was in flight when the keys changed is not kept in the cache once it completes', async () => {
    const ring = ringOf(keys);
    const publisher = createMetadataPublisher({ keyRing: ring, config: testConfig(), clock: () => new Date(T0) });
    const next = await fakeKey('signing', 'ec-p256', 'next', 'late');
    const inFlight = publisher.document('proxy-service');
    ring.add(next);
    const stale = await inFlight;
    expect(publishedCertificates(only(rootOf(stale.xml), 'IDPSSODescriptor'), 'signing')).not.toContain(der(next));
    const fresh = await publisher.document('proxy-service');
    expect(publishedCertificates(only(rootOf(fresh.xml), 'IDPSSODescriptor'), 'signing')).toContain(der(next));
  });

  it('a failed build is not cached: the next request tries again', async () => {
    let failures = 1;
    const ring = ringOf(keys);
    const flaky: MetadataKeySource = {
      active: (use) => {
        if (use === 'metadata' && failures-- > 0) throw new Error('key ring not loaded yet');
        return ring.active(use);
      },
      published: (use) => ring.published(use),
      onChange: (listener) => ring.onChange(listener),
    };
    const publisher = createMetadataPublisher({ keyRing: flaky, config: testConfig(), clock: () => new Date(T0) });
    await expect(publisher.document('connector')).rejects.toThrow('key ring not loaded yet');
    await expect(publisher.document('connector')).resolves.toMatchObject({ entityId: expect.stringContaining('/connector/metadata') });
  });

  it('close() stops listening to the key ring', () => {
    const ring = new FakeKeyRing([keys.metadata, keys.signing, keys.encryption]);
    const publisher = createMetadataPublisher({ keyRing: ring, config: testConfig() });
    expect(ring.listenerCount).toBe(1);
    publisher.close();
    expect(ring.listenerCount).toBe(0);
  });
});
