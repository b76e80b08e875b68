/**
 * The IdP front codes against CONTRACT-3 and the storage API: the real PeerRegistry, KeyRing and
 * ReplayStore fit its ports as they are (checked by the compiler), and its settings come from
 * the node configuration with the entityID and SSO URL our metadata publishes.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.ts';
import type { KeyRing } from '../../../src/metadata/keys/types.ts';
import type { PeerRegistry } from '../../../src/metadata/peers/types.ts';
import type { ReplayStore } from '../../../src/storage/index.ts';
import {
  samlIdpSettingsFromConfig,
  type PeerSource,
  type ReplayGuard,
  type SigningKeySource,
} from '../../../src/front/saml-idp/index.ts';

describe('ports of the IdP front', () => {
  it('CONTRACT-3: PeerRegistry, KeyRing and ReplayStore fit PeerSource, SigningKeySource and ReplayGuard', () => {
    expectTypeOf<PeerRegistry>().toExtend<PeerSource>();
    expectTypeOf<KeyRing>().toExtend<SigningKeySource>();
    expectTypeOf<ReplayStore>().toExtend<ReplayGuard>();
  });

  it('R-MSG-04 / R-MD-02: settings from the configuration use the published entityID and SSO URL', () => {
    const config = loadConfig({ env: {}, overrides: { server: { publicBaseUrl: 'https://eidas.example.fr' } } });
    const settings = samlIdpSettingsFromConfig(config);
    expect(settings).toMatchObject({
      entityId: 'https://eidas.example.fr/proxy-service/metadata',
      ssoUrl: 'https://eidas.example.fr/proxy-service/sso',
      ssoPath: '/proxy-service/sso',
      nodeCountry: 'FR',
      loas: ['http://eidas.europa.eu/LoA/substantial', 'http://eidas.europa.eu/LoA/high'],
    });
    expect(settings.verifyPolicy('https://connector.de.example/metadata')).toEqual({ minRsaBits: 3072, allowLegacyRsaSha256: false });
  });

  it('R-CRY-03: a peer named in crypto.legacyPeers gets its legacy allowance, and only it', () => {
    const legacy = 'https://legacy.yy.example/metadata';
    const config = loadConfig({ env: {}, overrides: { crypto: { legacyPeers: [{ entityId: legacy, allow: ['rsa-sha256'] }] } } });
    const settings = samlIdpSettingsFromConfig(config);
    expect(settings.verifyPolicy(legacy).allowLegacyRsaSha256).toBe(true);
    expect(settings.verifyPolicy('https://connector.de.example/metadata').allowLegacyRsaSha256).toBe(false);
  });
});
