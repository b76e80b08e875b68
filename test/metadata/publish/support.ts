/** Shared set-up of the metadata publication tests: configuration, keys, reading the documents back. */
import { metadataSchema, type MetadataConfig } from '../../../src/config/areas/metadata.ts';
import { readDefaults } from '../../../src/config/load.ts';
import type { PublisherConfig } from '../../../src/metadata/publish/index.ts';
import { childElements } from '../../../src/saml/dom.ts';
import { NS } from '../../../src/saml/namespaces.ts';
import { parseXml, METADATA_LIMITS } from '../../../src/saml/parser.ts';
import { FakeKeyRing, fakeKey, type FakeKey } from './fake-key-ring.ts';

/** Behind a reverse proxy that publishes the node under a path. */
export const BASE = 'https://eidas.example.fr/pont';
export const T0 = '2026-03-01T08:00:00Z';

/** The metadata section of config/default.json, validated by its area schema. */
export const METADATA_DEFAULTS: MetadataConfig = metadataSchema.parse(readDefaults().metadata);

export function testConfig(metadata: Partial<MetadataConfig> = {}, base = BASE): PublisherConfig {
  return {
    server: { publicBaseUrl: base },
    crypto: { minRsaBits: 3072 },
    metadata: metadataSchema.parse({ ...METADATA_DEFAULTS, ...metadata }),
  };
}

export interface TestKeys {
  metadata: FakeKey;
  signing: FakeKey;
  encryption: FakeKey;
}

/** Metadata key ECDSA P-256 (xmlsec1 can check it), message keys RSA-3072, as in DESIGN §3. */
export async function standardKeys(metadataType: FakeKey['algorithm'] = 'ec-p256'): Promise<TestKeys> {
  const [metadata, signing, encryption] = await Promise.all([
    fakeKey('metadata', metadataType),
    fakeKey('signing', 'rsa-3072'),
    fakeKey('encryption', 'rsa-3072'),
  ]);
  return { metadata, signing, encryption };
}

export function ringOf(keys: TestKeys, ...more: FakeKey[]): FakeKeyRing {
  return new FakeKeyRing([keys.metadata, keys.signing, keys.encryption, ...more]);
}

export function rootOf(xml: string): Element {
  return parseXml(xml, METADATA_LIMITS).documentElement;
}

/** The element children of `parent` named md:<name> (or in `ns`). */
export function kids(parent: Element, name: string, ns: string = NS.md): Element[] {
  return childElements(parent, ns, name);
}

export function only(parent: Element, name: string, ns: string = NS.md): Element {
  const found = kids(parent, name, ns);
  if (found.length !== 1) throw new Error(`expected one ${name}, found ${found.length}`);
  return found[0]!;
}

/** Base64 DER of the certificates in the KeyDescriptors of `descriptor` with this use. */
export function publishedCertificates(descriptor: Element, use: 'signing' | 'encryption'): string[] {
  return kids(descriptor, 'KeyDescriptor')
    .filter((kd) => kd.getAttribute('use') === use)
    .map((kd) => only(only(only(kd, 'KeyInfo', NS.ds), 'X509Data', NS.ds), 'X509Certificate', NS.ds).textContent ?? '');
}

export function der(key: FakeKey): string {
  return key.certificate.raw.toString('base64');
}
