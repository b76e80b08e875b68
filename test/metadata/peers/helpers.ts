/**
 * Shared pieces of the peer registry tests: the real EU vectors with their trust anchors,
 * copies re-signed or mutated as an attacker (or a peer) would (own parser and serializer),
 * a fake transport serving files under their real URLs, captured log lines, a test config.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { loadConfig } from '../../../src/config/load.ts';
import type { Config } from '../../../src/config/schema.ts';
import { checkedCertificateFrom, type CheckedCertificate } from '../../../src/metadata/peers/certificates.ts';
import type { MetadataTransport, TransportResponse } from '../../../src/metadata/peers/fetch.ts';
import { NS } from '../../../src/saml/namespaces.ts';
import { signXml } from '../../../src/saml/sign.ts';
import { createLogger, type Logger } from '../../../src/util/logger.ts';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
export const VECTORS = `${FIXTURES}vectors/`;

export const EU = {
  service: { file: `${VECTORS}eidas-eu-mock/ServiceMetadata.xml`, url: 'http://localhost:8080/EidasNode/ServiceMetadata' },
  connector: { file: `${VECTORS}eidas-eu-mock/ConnectorMetadata.xml`, url: 'http://localhost:8080/EidasNode/ConnectorMetadata' },
  anchorFile: `${FIXTURES}keys/eu-mock-metadata/metadata-signer.cert.pem`,
  /** Inside both documents' validUntil (2020-03-21). */
  now: '2020-03-01T12:00:00.000Z',
} as const;

export const GK = {
  connector: { file: `${VECTORS}governikus-eidas-middleware/metadata-9443.xml`, url: 'https://localhost:9443/eIDASDemoApplication/Metadata' },
  tampered: `${VECTORS}governikus-eidas-middleware/metadata-9445-invalid.xml`,
  shortRsa: `${VECTORS}governikus-eidas-middleware/metadata-9444-shortsign-rsa.xml`,
  anchorFile: `${VECTORS}governikus-eidas-middleware/metadata-signer.cer`,
  /** Inside validUntil (2024-12-04T14:22:46Z). */
  now: '2024-12-01T12:00:00.000Z',
} as const;

export const AGGREGATE = `${VECTORS}swedenconnect-eidas-connector/eu-metadata-idps.xml`;

export const read = (file: string): Buffer => readFileSync(file);
export const anchor = (file: string): CheckedCertificate => checkedCertificateFrom(readFileSync(file));

export interface TestKey {
  key: KeyObject;
  cert: X509Certificate;
  certFile: string;
}

/** A key pair of test/fixtures/keys/dsig (p256, p384, rsa-3072, rsa-2048, evil-p256 …). */
export function dsigKey(name: string): TestKey {
  const base = `${FIXTURES}keys/dsig/${name}`;
  return { key: createPrivateKey(readFileSync(`${base}.key.pem`)), cert: new X509Certificate(readFileSync(`${base}.cert.pem`)), certFile: `${base}.cert.pem` };
}

// ------------------------------------------------------------------ documents

function parse(xml: string | Buffer): Document {
  return new DOMParser().parseFromString(xml.toString(), 'text/xml');
}

const serialize = (doc: Document): string => new XMLSerializer().serializeToString(doc);

/** The document with the root's own ds:Signature removed. */
export function unsigned(xml: string | Buffer): string {
  const doc = parse(xml);
  const root = doc.documentElement!;
  for (let c = root.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1 && (c as Element).namespaceURI === NS.ds && (c as Element).localName === 'Signature') {
      root.removeChild(c);
      break;
    }
  }
  return serialize(doc);
}

/** Sets (or removes, with null) root attributes. */
export function withRootAttributes(xml: string | Buffer, attrs: Record<string, string | null>): string {
  const doc = parse(xml);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null) doc.documentElement!.removeAttribute(name);
    else doc.documentElement!.setAttribute(name, value);
  }
  return serialize(doc);
}

/** Unsigned copy, root attributes changed, signed again with `signer` (its certificate in KeyInfo). */
export async function resigned(xml: string | Buffer, signer: { key: KeyObject; cert: X509Certificate }, attrs: Record<string, string | null> = {}): Promise<string> {
  const base = withRootAttributes(unsigned(xml), { ID: '_resigned', ...attrs });
  return signXml(base, { key: signer.key, certificate: signer.cert });
}

/** Adds certificates after the signer's one in the root signature's KeyInfo/X509Data (not signed, as in practice). */
export function withKeyInfoCertificates(xml: string, certs: X509Certificate[]): string {
  const doc = parse(xml);
  const data = doc.getElementsByTagNameNS(NS.ds, 'X509Data').item(0)!;
  for (const c of certs) {
    const el = doc.createElementNS(NS.ds, 'ds:X509Certificate');
    el.appendChild(doc.createTextNode(c.raw.toString('base64')));
    data.appendChild(el);
  }
  return serialize(doc);
}

// ------------------------------------------------------------------ transport

export interface Served {
  body: string | Buffer;
  status?: number;
  contentType?: string;
  location?: string;
}

/** Serves `routes` by exact URL; everything else is a connection refusal. Records every request. */
export function fakeTransport(routes: Record<string, Served | (() => Served)>): MetadataTransport & { requests: string[] } {
  const requests: string[] = [];
  const transport = async ({ url }: { url: URL }): Promise<TransportResponse> => {
    requests.push(url.href);
    const route = routes[url.href];
    if (!route) {
      const { MetadataRefusal } = await import('../../../src/metadata/peers/errors.ts');
      throw new MetadataRefusal('FETCH_FAILED', `${url.host}: connection refused`, 'fetch');
    }
    const served = typeof route === 'function' ? route() : route;
    const body = Buffer.from(served.body);
    return {
      status: served.status ?? 200,
      contentType: served.contentType ?? 'application/samlmetadata+xml',
      contentEncoding: undefined,
      contentLength: body.length,
      location: served.location,
      body: (async function* () {
        for (let i = 0; i < body.length; i += 4096) yield body.subarray(i, i + 4096);
      })(),
    };
  };
  return Object.assign(transport, { requests });
}

// ------------------------------------------------------------------ logs and config

export interface CapturedLogger {
  logger: Logger;
  lines: Array<Record<string, unknown>>;
}

export function capturedLogger(): CapturedLogger {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

export interface PeerEntryInput {
  country: string;
  role: 'connector' | 'proxy-service';
  metadataUrl: string;
  trustAnchors: string[];
}

export function testConfig(peers: PeerEntryInput[], extra: { peers?: Record<string, unknown>; crypto?: Record<string, unknown>; environment?: string } = {}): Config {
  return loadConfig({
    env: {},
    overrides: {
      ...(extra.environment && { environment: extra.environment }),
      ...(extra.crypto && { crypto: extra.crypto }),
      peers: { list: peers, ...extra.peers },
    },
  });
}

export const euPeers: PeerEntryInput[] = [
  { country: 'CA', role: 'proxy-service', metadataUrl: EU.service.url, trustAnchors: [EU.anchorFile] },
  { country: 'CA', role: 'connector', metadataUrl: EU.connector.url, trustAnchors: [EU.anchorFile] },
];
export const gkPeer: PeerEntryInput = { country: 'DE', role: 'connector', metadataUrl: GK.connector.url, trustAnchors: [GK.anchorFile] };

/** Replaces the certificate of the role descriptor's KeyDescriptor of `use`. */
export function withRoleCertificate(xml: string | Buffer, use: 'signing' | 'encryption', cert: X509Certificate): string {
  const doc = parse(xml);
  const descriptors = doc.getElementsByTagNameNS(NS.md, 'KeyDescriptor');
  for (let i = 0; i < descriptors.length; i++) {
    const kd = descriptors.item(i)!;
    if (kd.getAttribute('use') !== use) continue;
    kd.getElementsByTagNameNS(NS.ds, 'X509Certificate').item(0)!.textContent = cert.raw.toString('base64');
  }
  return serialize(doc);
}
