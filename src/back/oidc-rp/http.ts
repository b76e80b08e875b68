/**
 * Every HTTP call to FranceConnect (discovery, JWKS, token, userinfo) goes through this fetch:
 * a time limit, no redirects followed, and a cap on the body size (ATK-67: slow or huge
 * answers). Failures become typed errors: OIDC_UNAVAILABLE, or JOSE_LIMIT for a body too big.
 */
import { OidcRpError, rpError } from './errors.ts';

/** The subset of fetch options openid-client and jose pass (their bodies are strings or bytes). */
export interface FetchInit {
  method?: string;
  headers?: HeadersInit;
  body?: unknown;
  signal?: AbortSignal | null;
  redirect?: RequestRedirect;
}

export type FetchLike = (input: string | URL | Request, init?: FetchInit) => Promise<Response>;

export interface HttpLimits {
  timeoutMs: number;
  maxBytes: number;
}

const NO_BODY = new Set([101, 204, 205, 304]);

async function readCapped(res: Response, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!res.body) return null;
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await res.body.cancel().catch(() => undefined);
    throw rpError('JOSE_LIMIT', 'response larger than allowed');
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw rpError('JOSE_LIMIT', 'response larger than allowed');
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

const platformFetch: FetchLike = (input, init) => fetch(input, init as RequestInit);

export function limitedFetch(limits: HttpLimits, base: FetchLike = platformFetch): FetchLike {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(limits.timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let res: Response;
    let body: Uint8Array<ArrayBuffer> | null;
    try {
      res = await base(input, { ...init, signal, redirect: 'manual' });
      body = await readCapped(res, limits.maxBytes);
    } catch (e) {
      if (e instanceof OidcRpError) throw e;
      throw rpError('OIDC_UNAVAILABLE', timeout.aborted ? 'FranceConnect did not answer in time' : 'FranceConnect could not be reached');
    }
    return new Response(NO_BODY.has(res.status) ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}
