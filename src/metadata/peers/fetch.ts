/**
 * Fetching a peer's metadata (ATK-47): only the peer's configured metadata URL, redirects only
 * to allowlisted hosts (at most 3), https in production, a total timeout over the whole
 * exchange (the transport adds a connect timeout), a size cap enforced while the body streams
 * in (the exchange is aborted as soon as it is passed), and Content-Type / first-bytes sanity
 * (an HTML page is refused with that reason). The transport is injectable: tests serve real
 * files under their real URLs without a network.
 */
import { MetadataRefusal, refuseMetadata } from './errors.ts';

export const MAX_REDIRECTS = 3;

export interface TransportRequest {
  url: URL;
  signal: AbortSignal;
  connectTimeoutMs: number;
}

export interface TransportResponse {
  status: number;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  contentLength: number | undefined;
  location: string | undefined;
  /** Read by fetchMetadata chunk by chunk; it stops (and aborts the exchange) past the cap. */
  body: AsyncIterable<Uint8Array>;
}

/** Performs one GET, no redirect following; rejects with MetadataRefusal('FETCH_…') or aborts on `signal`. */
export type MetadataTransport = (request: TransportRequest) => Promise<TransportResponse>;

export interface FetchPolicy {
  /** `host` (hostname[:port], lower case) of every URL that may be fetched. */
  allowedHosts: ReadonlySet<string>;
  requireHttps: boolean;
  connectTimeoutMs: number;
  timeoutMs: number;
  maxBytes: number;
}

export interface FetchedMetadata {
  bytes: Buffer;
  /** Where the document was finally read (after redirects). */
  finalUrl: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function fetchMetadata(url: string, policy: FetchPolicy, transport: MetadataTransport): Promise<FetchedMetadata> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), policy.timeoutMs);
  try {
    return await fetchFollowing(new URL(url), policy, transport, controller);
  } catch (err) {
    if (err instanceof MetadataRefusal) throw err;
    if (controller.signal.aborted) refuseMetadata('FETCH_TIMEOUT', `no complete answer within ${policy.timeoutMs} ms`, 'fetch');
    throw err;
  } finally {
    clearTimeout(timer);
    controller.abort(); // whatever is still open (a redirect body, a socket) is closed now
  }
}

async function fetchFollowing(start: URL, policy: FetchPolicy, transport: MetadataTransport, controller: AbortController): Promise<FetchedMetadata> {
  let url = start;
  for (let hops = 0; ; hops++) {
    checkAllowed(url, policy, hops > 0);
    const response = await transport({ url, signal: controller.signal, connectTimeoutMs: policy.connectTimeoutMs });
    if (REDIRECTS.has(response.status)) {
      await discard(response.body);
      if (hops === MAX_REDIRECTS) refuseMetadata('FETCH_NOT_ALLOWED', `more than ${MAX_REDIRECTS} redirects`, 'fetch');
      url = redirectTarget(url, response.location);
      continue;
    }
    if (response.status !== 200) refuseMetadata('FETCH_FAILED', `HTTP ${response.status} from ${url.host}`, 'fetch');
    checkHeaders(response, policy);
    const bytes = await readCapped(response.body, policy.maxBytes, controller);
    checkLooksLikeXml(bytes);
    return { bytes, finalUrl: url.href };
  }
}

function checkAllowed(url: URL, policy: FetchPolicy, redirected: boolean): void {
  const where = redirected ? 'redirect target' : 'URL';
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    refuseMetadata('FETCH_NOT_ALLOWED', `${where} ${url.protocol} is not http(s)`, 'fetch');
  }
  if (policy.requireHttps && url.protocol !== 'https:') {
    refuseMetadata('HTTPS_REQUIRED', `${where} ${url.origin} is not https (production)`, 'fetch');
  }
  if (url.username || url.password) refuseMetadata('FETCH_NOT_ALLOWED', `${where} carries credentials`, 'fetch');
  if (!policy.allowedHosts.has(url.host.toLowerCase())) {
    refuseMetadata('FETCH_NOT_ALLOWED', `${where} host ${url.host} is not allowlisted (peers.fetch.allowedHosts)`, 'fetch');
  }
}

function redirectTarget(from: URL, location: string | undefined): URL {
  if (!location) refuseMetadata('FETCH_FAILED', 'redirect without a Location', 'fetch');
  try {
    return new URL(location, from);
  } catch {
    return refuseMetadata('FETCH_FAILED', 'redirect to an invalid URL', 'fetch');
  }
}

const XML_TYPE = /^(application|text)\/([a-z0-9.+-]+\+)?xml$/;
const HTML_TYPE = /^(text\/html|application\/xhtml\+xml)$/;

function checkHeaders(response: TransportResponse, policy: FetchPolicy): void {
  const type = (response.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (HTML_TYPE.test(type)) refuseMetadata('FETCH_NOT_XML', `an HTML page (Content-Type ${type}) instead of XML metadata`, 'fetch');
  if (type !== '' && type !== 'application/octet-stream' && !XML_TYPE.test(type)) {
    refuseMetadata('FETCH_NOT_XML', `Content-Type ${type.slice(0, 80)} is not XML`, 'fetch');
  }
  const encoding = (response.contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') refuseMetadata('FETCH_NOT_XML', `Content-Encoding ${encoding.slice(0, 40)} was not asked for`, 'fetch');
  if (response.contentLength !== undefined && response.contentLength > policy.maxBytes) {
    refuseMetadata('FETCH_TOO_LARGE', `Content-Length ${response.contentLength} is over the cap of ${policy.maxBytes} bytes`, 'fetch');
  }
}

/** Reads at most `maxBytes`; one byte more aborts the exchange at once (nothing else is read). */
async function readCapped(body: AsyncIterable<Uint8Array>, maxBytes: number, controller: AbortController): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      controller.abort();
      refuseMetadata('FETCH_TOO_LARGE', `more than ${maxBytes} bytes: stopped reading`, 'fetch');
    }
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks, total);
}

async function discard(body: AsyncIterable<Uint8Array>): Promise<void> {
  const iterator = body[Symbol.asyncIterator]();
  await iterator.return?.();
}

/** An HTML page served as XML, or something that does not even start like markup. */
function checkLooksLikeXml(bytes: Buffer): void {
  const head = bytes.subarray(0, 512).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (/^<(!doctype\s+html|html[\s>])/i.test(head)) refuseMetadata('FETCH_NOT_XML', 'an HTML page instead of XML metadata', 'fetch');
  if (!head.startsWith('<')) refuseMetadata('FETCH_NOT_XML', 'the answer does not start with XML markup', 'fetch');
}
