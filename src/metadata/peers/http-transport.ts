/**
 * The real transport: one GET with node:http / node:https, a fresh connection each time (no
 * agent pool), a connect timeout (TCP, and the TLS handshake for https), the node's TLS profile
 * (R-CRY-11..14: TLS 1.2+, forward-secret suites only) with the platform's certificate checks
 * always on (ATK-47 "verify TLS"), no compression
 * asked for. The total timeout and the size cap are fetchMetadata's (it aborts `signal`).
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { tlsClientOptions } from '../../server/tls.ts';
import { MetadataRefusal } from './errors.ts';
import type { MetadataTransport, TransportRequest, TransportResponse } from './fetch.ts';

export interface HttpTransportOptions {
  /** Extra CA certificates (PEM) trusted for the peers' TLS servers, besides the platform's. */
  ca?: string | Buffer | Array<string | Buffer>;
}

const ACCEPT = 'application/samlmetadata+xml, application/xml;q=0.9, text/xml;q=0.8';

export function createHttpTransport(options: HttpTransportOptions = {}): MetadataTransport {
  return (request) => get(request, options);
}

function get(request: TransportRequest, options: HttpTransportOptions): Promise<TransportResponse> {
  const { url, signal, connectTimeoutMs } = request;
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    let connected = false;
    const common = {
      method: 'GET',
      signal,
      agent: false as const,
      headers: { accept: ACCEPT, 'accept-encoding': 'identity', 'user-agent': 'pont-eidas' },
    };
    const req = secure
      ? https.request(url, { ...common, ...tlsClientOptions(), rejectUnauthorized: true, ...(options.ca && { ca: options.ca }) })
      : http.request(url, common);
    const timer = setTimeout(() => {
      if (!connected) req.destroy(new MetadataRefusal('FETCH_TIMEOUT', `no connection to ${url.host} within ${connectTimeoutMs} ms`, 'fetch'));
    }, connectTimeoutMs);
    req.once('socket', (socket: Socket) => {
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        connected = true;
        clearTimeout(timer);
      });
    });
    req.once('response', (res) => {
      clearTimeout(timer);
      // Errors reach the reader through the body's async iterator; this listener only keeps an
      // error emitted after the reader stopped (size cap, timeout) from becoming uncaught.
      res.on('error', () => undefined);
      resolve({
        status: res.statusCode ?? 0,
        contentType: header(res.headers['content-type']),
        contentEncoding: header(res.headers['content-encoding']),
        contentLength: contentLength(res.headers['content-length']),
        location: header(res.headers.location),
        body: res,
      });
    });
    req.once('error', (err) => {
      clearTimeout(timer);
      reject(signal.aborted || err instanceof MetadataRefusal ? err : networkRefusal(err, url));
    });
    req.end();
  });
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function contentLength(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
};

/** One short reason, never the raw error text (it may carry more than we want in a log line). */
function networkRefusal(err: Error, url: URL): MetadataRefusal {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const words = NETWORK_WORDS[code];
  if (words) return new MetadataRefusal('FETCH_FAILED', `${url.host}: ${words}`, 'fetch');
  if (/CERT|SSL|TLS|SELF_SIGNED|ALTNAME|UNABLE_TO/i.test(code)) {
    return new MetadataRefusal('FETCH_FAILED', `${url.host}: TLS certificate not accepted (${code})`, 'fetch');
  }
  return new MetadataRefusal('FETCH_FAILED', `${url.host}: ${code || 'network error'}`, 'fetch');
}
