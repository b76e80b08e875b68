/**
 * When a sync runs: an entityID an instance does not know makes it follow the database once
 * first, rate-limited (a connector added a second ago works on every instance; an Issuer that
 * is no peer still gets no keys and no connection, ATK-47); every peers.syncIntervalSeconds on
 * an unref'd timer; and a sync that fails changes nothing.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { UNKNOWN_ISSUER_SYNC_GAP_MS } from '../../../src/metadata/peers/registry.ts';
import { PeerStore } from '../../../src/metadata/peers/store.ts';
import { describeEngines } from '../../storage/engines.ts';
import { GK, anchor, dsigKey, read, resigned } from './helpers.ts';
import { sha256, twoInstances } from './instances.ts';

const real9443 = read(GK.connector.file);
const url = GK.connector.url;
const p384 = dsigKey('p384');
const otherUrl = 'https://localhost:9443/eIDASDemoApplication/OtherMetadata';

afterEach(() => {
  vi.restoreAllMocks();
});

describeEngines('peer registry sync on demand', (engine) => {
  it('R-MSG-05/ATK-47: an unknown issuer on B makes it sync once (callers share it, then at most once a second); a non-peer gets no keys and no fetch', async () => {
    const t = await twoInstances(await engine.open(), { [url]: { body: real9443 } }, GK.now);
    await t.add(url, [anchor(GK.anchorFile)]);
    const syncs = vi.spyOn(PeerStore.prototype, 'peers');

    expect(await t.b.registry.signingKeys(url)).toEqual([]); // a known key never syncs
    expect(syncs).toHaveBeenCalledTimes(0);
    const [first, second] = await Promise.all([
      t.b.registry.signingKeys(url, { unknownKey: true }),
      t.b.registry.signingKeys(url, { unknownKey: true }),
    ]);
    expect(syncs).toHaveBeenCalledTimes(1);
    const expected = t.b.registry.get(url)!.signingKeys[0]!;
    expect([first!.map((k) => k.equals(expected)), second!.map((k) => k.equals(expected))]).toEqual([[true], [true]]);
    expect(t.b.registry.get(url)?.fingerprint).toBe(sha256(real9443));

    for (const issuer of ['http://169.254.169.254/latest/meta-data/', 'https://connector.unknown.example/metadata']) {
      expect(await t.b.registry.signingKeys(issuer, { unknownKey: true })).toEqual([]);
    }
    expect(syncs).toHaveBeenCalledTimes(1); // within the gap: no new sync
    t.advance(UNKNOWN_ISSUER_SYNC_GAP_MS);
    expect(await t.b.registry.signingKeys('https://connector.unknown.example/metadata', { unknownKey: true })).toEqual([]);
    expect(syncs).toHaveBeenCalledTimes(2);

    await t.b.registry.close(); // waits for the fetch of the peer it loaded
    expect(t.b.transport.requests).toEqual([url]); // only the registered peer's own URL, ever
  });

  it('startSchedule also syncs every peers.syncIntervalSeconds (30 s) on an unref\'d timer; close stops both timers', async () => {
    const t = await twoInstances(await engine.open(), {}, GK.now);
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    t.b.registry.startSchedule();
    const delays = setIntervalSpy.mock.calls.map((c) => c[1]);
    expect(delays).toEqual([60 * 60_000, 30_000]);
    const timers = setIntervalSpy.mock.results.map((r) => r.value as NodeJS.Timeout);
    expect(timers.map((timer) => timer.hasRef())).toEqual([false, false]);
    const clearIntervalSpy = vi.spyOn(globalThis, 'clearInterval');
    await t.b.registry.close();
    expect(clearIntervalSpy.mock.calls.map((c) => c[0])).toEqual(timers);
  });

  it('a sync that fails half-way (database error) changes nothing, logs one line, and the next tick applies everything', async () => {
    const t = await twoInstances(await engine.open(), {
      [url]: { body: real9443 },
      [otherUrl]: { body: await resigned(real9443, p384, { entityID: otherUrl, validUntil: '2024-12-10T00:00:00Z' }) },
    }, GK.now);
    await t.add(url, [anchor(GK.anchorFile)]);
    await t.b.registry.reload();
    await t.add(otherUrl, [anchor(p384.certFile)]);
    await t.remove(url);
    vi.spyOn(PeerStore.prototype, 'version').mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
    const lines = t.b.logs.length;

    expect(await t.b.registry.sync()).toEqual({ added: [], removed: [], adopted: [], refused: [], failed: 'Connection terminated unexpectedly' });
    expect(t.b.registry.list().map((d) => d.entityId)).toEqual([url]); // the removal was not applied either
    expect(t.b.registry.get(otherUrl)).toBeUndefined();
    expect(t.b.logs.slice(lines).map((l) => [l.level, l.event, l.msg])).toEqual([
      ['error', 'peer.sync.failed', 'peer registry sync failed, the previous view stays in service: Connection terminated unexpectedly'],
    ]);
    expect(t.b.transport.requests).toEqual([]);

    expect(await t.b.registry.sync()).toEqual({ added: [otherUrl], removed: [url], adopted: [], refused: [] });
    expect(t.b.registry.list().map((d) => d.entityId)).toEqual([otherUrl]);
    expect(t.b.transport.requests).toEqual([otherUrl]);
  });
});
