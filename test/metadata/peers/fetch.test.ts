/**
 * fetchMetadata's rules with an injected transport (no network): allowlist before any
 * connection, https in production (also for redirect targets), size cap from Content-Length
 * and while streaming, Content-Type and first-bytes sanity (R-MD-15, ATK-47).
 */
import { describe, expect, it } from 'vitest';
import { MetadataRefusal } from '../../../src/metadata/peers/errors.ts';
import { fetchMetadata, type FetchPolicy, type TransportResponse } from '../../../src/metadata/peers/fetch.ts';
import { fakeTransport, type Served } from './helpers.ts';

const URL_A = 'https://eidas.example.de/metadata';
const policy = (over: Partial<FetchPolicy> = {}): FetchPolicy => ({
  allowedHosts: new Set(['eidas.example.de']),
  requireHttps: true,
  connectTimeoutMs: 1000,
  timeoutMs: 1000,
  maxBytes: 1024,
  ...over,
});
const XML = '<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>';

async function reason(url: string, served: Record<string, Served>, p = policy()): Promise<[string, string]> {
  const err = await fetchMetadata(url, p, fakeTransport(served)).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(MetadataRefusal);
  return [(err as MetadataRefusal).reason, (err as MetadataRefusal).detail];
}

describe('fetchMetadata', () => {
  it('reads an XML answer (application/samlmetadata+xml, text/xml, or octet-stream that starts with markup)', async () => {
    for (const contentType of ['application/samlmetadata+xml', 'text/xml; charset=UTF-8', 'application/octet-stream']) {
      const got = await fetchMetadata(URL_A, policy(), fakeTransport({ [URL_A]: { body: XML, contentType } }));
      expect(got.bytes.toString()).toBe(XML);
    }
  });

  it('ATK-47: a host that is not allowlisted is refused before any connection', async () => {
    const transport = fakeTransport({});
    const err = await fetchMetadata('https://127.0.0.1:6379/', policy(), transport).catch((e: unknown) => e);
    expect((err as MetadataRefusal).reason).toBe('FETCH_NOT_ALLOWED');
    expect(transport.requests).toEqual([]);
  });

  it('R-MD-15: http is refused in production, for the URL and for a redirect target', async () => {
    expect((await reason('http://eidas.example.de/metadata', {}))[0]).toBe('HTTPS_REQUIRED');
    const [r, detail] = await reason(URL_A, { [URL_A]: { body: '', status: 302, location: 'http://eidas.example.de/md.xml' } });
    expect([r, detail]).toEqual(['HTTPS_REQUIRED', 'redirect target http://eidas.example.de is not https (production)']);
  });

  it('ATK-47: a Content-Length over the cap is refused before reading; a body over the cap is cut while streaming', async () => {
    expect(await reason(URL_A, { [URL_A]: { body: 'x'.repeat(1025) } })).toEqual(['FETCH_TOO_LARGE', 'Content-Length 1025 is over the cap of 1024 bytes']);
    let yielded = 0;
    const endless = async (): Promise<TransportResponse> => ({
      status: 200, contentType: 'application/xml', contentEncoding: undefined, contentLength: undefined, location: undefined,
      body: (async function* () {
        for (;;) {
          yielded += 1;
          yield Buffer.alloc(100, 0x3c);
        }
      })(),
    });
    const err = await fetchMetadata(URL_A, policy(), endless).catch((e: unknown) => e);
    expect((err as MetadataRefusal).reason).toBe('FETCH_TOO_LARGE');
    expect(yielded).toBe(11); // 1100 bytes: stopped at the first chunk past 1024
  });

  it('refuses what is not XML: HTML, JSON, a compressed body, text that is not markup, an HTTP error', async () => {
    expect((await reason(URL_A, { [URL_A]: { body: '<html></html>', contentType: 'text/html' } }))[0]).toBe('FETCH_NOT_XML');
    expect((await reason(URL_A, { [URL_A]: { body: '{}', contentType: 'application/json' } }))[1]).toBe('Content-Type application/json is not XML');
    expect((await reason(URL_A, { [URL_A]: { body: 'hello', contentType: 'application/octet-stream' } }))[1]).toBe('the answer does not start with XML markup');
    expect(await reason(URL_A, { [URL_A]: { body: '', status: 503 } })).toEqual(['FETCH_FAILED', 'HTTP 503 from eidas.example.de']);
    const gzip = async (): Promise<TransportResponse> => ({
      status: 200, contentType: 'application/xml', contentEncoding: 'gzip', contentLength: 10, location: undefined, body: (async function* () {})(),
    });
    expect(((await fetchMetadata(URL_A, policy(), gzip).catch((e: unknown) => e)) as MetadataRefusal).detail).toBe('Content-Encoding gzip was not asked for');
  });

  it('ATK-47: redirects only within the allowlist, at most 3, never to a URL with credentials', async () => {
    const hop = (n: number) => `https://eidas.example.de/hop${n}`;
    const chain = Object.fromEntries([0, 1, 2, 3].map((n) => [n === 0 ? URL_A : hop(n), { body: '', status: 302, location: hop(n + 1) }]));
    expect(await reason(URL_A, chain)).toEqual(['FETCH_NOT_ALLOWED', 'more than 3 redirects']);
    const three = { ...chain, [hop(3)]: { body: XML } };
    expect((await fetchMetadata(URL_A, policy(), fakeTransport(three))).finalUrl).toBe(hop(3));
    const creds = { [URL_A]: { body: '', status: 302, location: 'https://user:pw@eidas.example.de/x' } };
    expect(await reason(URL_A, creds)).toEqual(['FETCH_NOT_ALLOWED', 'redirect target carries credentials']);
  });
});
