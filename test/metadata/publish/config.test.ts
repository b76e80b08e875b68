/** The `metadata` configuration area: defaults and the rules that keep our metadata valid (R-MD, R-MSG-23, R-ATT-10). */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/errors.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { METADATA_DEFAULTS } from './support.ts';

function issuesOf(metadata: Record<string, unknown>, env: Record<string, string> = {}): Array<{ path: string; message: string }> {
  try {
    loadConfig({ env, overrides: { metadata } });
  } catch (e) {
    if (e instanceof ConfigError) return [...e.issues];
    throw e;
  }
  return [];
}

describe('metadata configuration', () => {
  it('defaults: 24 h validity re-signed 6 h before, FR, public SPType, the documented routes, LoAs substantial and high', () => {
    const m = loadConfig({ env: {} }).metadata;
    expect(m).toMatchObject({
      validityHours: 24,
      resignMarginMinutes: 360,
      nodeCountry: 'FR',
      protocolVersions: ['1.4', '1.3', '1.2'],
      proxyService: {
        metadataPath: '/proxy-service/metadata',
        ssoPath: '/proxy-service/sso',
        loas: ['http://eidas.europa.eu/LoA/substantial', 'http://eidas.europa.eu/LoA/high'],
      },
      connector: { metadataPath: '/connector/metadata', acsPath: '/connector/acs', spType: 'public' },
    });
    expect(m.signingChainFile).toBeUndefined();
    expect(m.applicationIdentifier).toBeUndefined();
    expect(Object.isFrozen(m.proxyService.loas)).toBe(true);
  });

  it('R-MD-01: the re-sign margin must be shorter than the validity', () => {
    expect(issuesOf({ validityHours: 6, resignMarginMinutes: 360 })).toEqual([
      { path: 'metadata.resignMarginMinutes', message: 'must be shorter than validityHours' },
    ]);
    expect(issuesOf({ validityHours: 7, resignMarginMinutes: 360 })).toEqual([]);
    expect(issuesOf({ validityHours: 25 })).toEqual([{ path: 'metadata.validityHours', message: expect.stringMatching(/24/) }]);
  });

  it('routes are plain paths that stay under the public base URL, and the four differ', () => {
    const proxy = METADATA_DEFAULTS.proxyService;
    for (const bad of ['proxy/metadata', '/proxy/../metadata', '/md?x=1', '/md/', 'https://other.example/md']) {
      expect(issuesOf({ proxyService: { ...proxy, metadataPath: bad } }).map((i) => i.path), bad).toContain('metadata.proxyService.metadataPath');
    }
    expect(issuesOf({ proxyService: { ...proxy, ssoPath: '/connector/acs' } })).toEqual([
      { path: 'metadata.connector.metadataPath', message: 'the four routes must differ' },
    ]);
  });

  it('R-MSG-23: LoAs are the notified URIs or non-notified ones outside http://eidas.europa.eu/LoA/', () => {
    const proxy = METADATA_DEFAULTS.proxyService;
    expect(issuesOf({ proxyService: { ...proxy, loas: ['http://eidas.europa.eu/LoA/medium'] } }).map((i) => i.path)).toEqual(['metadata.proxyService.loas[0]']);
    expect(issuesOf({ proxyService: { ...proxy, loas: ['http://eidas.europa.eu/NotNotified/LoA/high'] } })).toEqual([]);
    expect(issuesOf({ proxyService: { ...proxy, loas: [] } }).map((i) => i.path)).toEqual(['metadata.proxyService.loas']);
  });

  it('R-ATT-10: the supported attributes include the minimum data set, by FriendlyName', () => {
    const proxy = METADATA_DEFAULTS.proxyService;
    expect(issuesOf({ proxyService: { ...proxy, attributes: ['PersonIdentifier', 'FamilyName', 'FirstName'] } })).toEqual([
      { path: 'metadata.proxyService.attributes', message: 'must include the minimum data set (R-ATT-10)' },
    ]);
    expect(issuesOf({ proxyService: { ...proxy, attributes: [...proxy.attributes, 'ShoeSize'] } }).map((i) => i.path)).toEqual([
      `metadata.proxyService.attributes[${proxy.attributes.length}]`,
    ]);
  });

  it('R-MD-11 / R-MD-08: NodeCountry is two capital letters; the application identifier is vendor:software:version', () => {
    expect(issuesOf({ nodeCountry: 'fr' }).map((i) => i.path)).toEqual(['metadata.nodeCountry']);
    expect(issuesOf({ applicationIdentifier: 'PontEidas 1.0' }).map((i) => i.path)).toEqual(['metadata.applicationIdentifier']);
    expect(issuesOf({ applicationIdentifier: 'FR:PontEidas:1.2.3' })).toEqual([]);
  });

  it('R-MD-06: contact addresses are e-mail addresses; one organisation entry per language', () => {
    expect(issuesOf({ contacts: { ...METADATA_DEFAULTS.contacts, support: { email: 'not an address' } } }).map((i) => i.path)).toEqual([
      'metadata.contacts.support.email',
    ]);
    const en = METADATA_DEFAULTS.organization[0]!;
    expect(issuesOf({ organization: [en, en] }).map((i) => i.path)).toEqual(['metadata.organization']);
  });

  it('is set from the environment too (PONT_METADATA__…)', () => {
    const c = loadConfig({
      env: { PONT_METADATA__VALIDITY_HOURS: '12', PONT_METADATA__CONNECTOR__SP_TYPE: 'private', PONT_METADATA__PROXY_SERVICE__LOAS: '["http://eidas.europa.eu/LoA/high"]' },
    });
    expect([c.metadata.validityHours, c.metadata.connector.spType, c.metadata.proxyService.loas]).toEqual([12, 'private', ['http://eidas.europa.eu/LoA/high']]);
  });
});
