/**
 * Mock EU country (development only): an eIDAS Connector of a made-up Member State with its demo
 * EU service, speaking real eIDAS SAML to the node's Proxy-Service, so a person can click
 * through "EU service → France → FranceConnect → back" from `npm start`, and tests can too.
 *
 * Country code: `XE` by default, an ISO 3166-1 user-assigned code (never a real country) that
 * fits eidas:NodeCountry's two capital letters.
 */
import type { X509Certificate } from 'node:crypto';
import type { Router } from 'express';
import { loadCertificate } from '../../saml/keys.ts';
import { buildConnectorMetadata } from './connector-metadata.ts';
import { loadOrCreateMockKeys, type MockKeys } from './keys.ts';
import { NodeMetadataSource, defaultFetchText, type FetchText } from './node-metadata.ts';
import { DEMO_PATH } from './pages.ts';
import { PendingRequests } from './pending.ts';
import { ACS_PATH, METADATA_PATH, mockEuRouter } from './router.ts';

export interface MockEuCountryOptions {
  /** Public base URL the browser uses, e.g. http://localhost:8080 (no trailing slash needed). */
  baseUrl: string;
  /** The node's Proxy-Service metadata URL, e.g. http://localhost:8080/proxy-service/metadata. */
  nodeMetadataUrl: string;
  /** Certificate(s) that must have signed the node's metadata (PEM, DER or X509Certificate). */
  trustAnchor: string | Buffer | X509Certificate | Array<string | Buffer | X509Certificate>;
  /** Where the mock's keys are generated on first start and reused; absent: in memory. */
  keysDir?: string;
  /** eidas:NodeCountry; default 'XE'. */
  country?: string;
  /** SPType in the metadata (default, R-MSG-25) or, when false, in every AuthnRequest. */
  spTypeInMetadata?: boolean;
  /** Validity of the signed metadata; default 24 hours. */
  metadataValidityHours?: number;
  /** Clock skew accepted on the node's Response; default 60 s. */
  skewSeconds?: number;
  clock?: () => Date;
  /** How the node's metadata is fetched; default fetch() with a 10 s timeout. */
  fetchText?: FetchText;
}

export interface MockEuCountry {
  router: Router;
  /** entityID = metadata URL: what the node registers as a connector peer. */
  entityId: string;
  metadataUrl: string;
  acsUrl: string;
  demoUrl: string;
  country: string;
  /** The mock's metadata signing certificate: the node's trust anchor for this peer. */
  trustAnchor: X509Certificate;
  trustAnchorPem: string;
  keys: MockKeys;
  /** The current signed metadata document. */
  metadata(): Promise<string>;
}

export const DEFAULT_MOCK_COUNTRY = 'XE';
const RESIGN_MARGIN_MS = 60 * 60_000;

export async function createMockEuCountry(options: MockEuCountryOptions): Promise<MockEuCountry> {
  const base = options.baseUrl.replace(/\/+$/, '');
  const country = options.country ?? DEFAULT_MOCK_COUNTRY;
  if (!/^[A-Z]{2}$/.test(country)) throw new TypeError('country must be two capital letters (eidas:NodeCountry)');
  const clock = options.clock ?? (() => new Date());
  const keys = await loadOrCreateMockKeys(options.keysDir, country);
  const entityId = `${base}${METADATA_PATH}`;
  const acsUrl = `${base}${ACS_PATH}`;
  const anchors = (Array.isArray(options.trustAnchor) ? options.trustAnchor : [options.trustAnchor]).map((a) =>
    typeof a === 'string' || Buffer.isBuffer(a) ? loadCertificate(a) : a,
  );
  const spTypeInMetadata = options.spTypeInMetadata ?? true;
  const validityMs = (options.metadataValidityHours ?? 24) * 3_600_000;
  let cached: { xml: string; validUntil: Date } | undefined;
  const metadata = async (): Promise<string> => {
    const now = clock();
    if (!cached || cached.validUntil.getTime() - now.getTime() < Math.min(RESIGN_MARGIN_MS, validityMs / 2)) {
      cached = await buildConnectorMetadata({
        entityId, acsUrl, country, keys, validityMs, now,
        spType: spTypeInMetadata ? 'public' : undefined,
      });
    }
    return cached.xml;
  };
  const router = mockEuRouter({
    entityId,
    acsUrl,
    keys,
    node: new NodeMetadataSource(options.nodeMetadataUrl, anchors, options.fetchText ?? defaultFetchText, clock),
    pending: new PendingRequests(clock),
    metadata,
    spTypeInRequest: spTypeInMetadata ? undefined : 'public',
    clock,
    skewMs: (options.skewSeconds ?? 60) * 1000,
  });
  const anchor = keys['metadata-signing'];
  return {
    router, entityId, metadataUrl: entityId, acsUrl, demoUrl: `${base}${DEMO_PATH}`, country,
    trustAnchor: anchor.certificate, trustAnchorPem: anchor.certificatePem, keys, metadata,
  };
}

export { MockEuError, MOCK_EU_REASONS, type MockEuReason } from './errors.ts';
export { METADATA_PATH, ACS_PATH } from './router.ts';
export { DEMO_PATH, LOGIN_PATH } from './pages.ts';
