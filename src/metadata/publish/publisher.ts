/**
 * The metadata publisher: each role's signed document is built once and served from memory
 * until it is within the re-sign margin of its validUntil, or until the key ring reports a
 * change (a next key published, a promotion, a retirement). Concurrent requests for a
 * document that is not cached share one build; a failed build is not cached.
 */
import type { X509Certificate } from 'node:crypto';
import { systemClock, type Clock } from '../../storage/clock.ts';
import { buildSignedMetadata } from './build.ts';
import { loadSigningChain } from './signing.ts';
import type { MetadataKeySource, MetadataPublisher, PublishedDocument, PublisherConfig, Role } from './types.ts';

export interface MetadataPublisherOptions {
  keyRing: MetadataKeySource;
  config: PublisherConfig;
  clock?: Clock;
}

export function createMetadataPublisher(options: MetadataPublisherOptions): MetadataPublisher {
  const { keyRing, config } = options;
  const clock = options.clock ?? systemClock;
  const file = config.metadata.signingChainFile;
  const chain: readonly X509Certificate[] = file ? loadSigningChain(file) : [];
  const cached = new Map<Role, PublishedDocument>();
  const building = new Map<Role, Promise<PublishedDocument>>();
  let generation = 0;

  const unsubscribe = keyRing.onChange(() => {
    generation += 1;
    cached.clear();
    building.clear();
  });

  function startBuild(role: Role): Promise<PublishedDocument> {
    const startedIn = generation;
    const build = buildSignedMetadata({ role, config, keys: keyRing, now: clock(), chain }).then((doc) => {
      if (startedIn === generation) cached.set(role, doc);
      return doc;
    });
    const settled = (): void => {
      if (building.get(role) === build) building.delete(role);
    };
    build.then(settled, settled);
    building.set(role, build);
    return build;
  }

  return {
    async document(role) {
      const hit = cached.get(role);
      if (hit && clock() < hit.resignAt) return hit;
      return building.get(role) ?? startBuild(role);
    },
    close: unsubscribe,
  };
}
