/**
 * The node's peer registry (src/metadata/peers) accepts the mock EU country as a connector peer
 * with the configuration entry the development setup uses: country XE, role connector, the mock's
 * metadata URL, its metadata signing certificate as trust anchor (R-MD-14..17).
 */
import { describe, expect, it } from 'vitest';
import { checkedCertificate } from '../../../src/metadata/peers/certificates.ts';
import { verifyPeerMetadata } from '../../../src/metadata/peers/index.ts';
import { harness, NOW } from './setup.ts';

describe('mock EU country as a connector peer of the node', async () => {
  const h = await harness();

  it('R-MD-14/16: verifyPeerMetadata accepts its metadata with its announced trust anchor, country XE', async () => {
    const bytes = Buffer.from(await h.mock.metadata(), 'utf8');
    const trust = {
      entityId: h.mock.metadataUrl,
      role: 'connector' as const,
      country: h.mock.country,
      anchors: [checkedCertificate(h.mock.trustAnchor)],
      policy: { minRsaBits: 3072, allowLegacyRsaSha256: false },
    };
    const { descriptor } = await verifyPeerMetadata(bytes, trust, NOW);
    expect(descriptor.entityId).toBe(h.mock.entityId);
    expect(descriptor.assertionConsumerServices.map((a) => a.location)).toEqual([h.mock.acsUrl]);
    expect(descriptor.spType).toBe('public');
  });
});
