/**
 * The RP against the mock FranceConnect over real HTTP on 127.0.0.1: one express app on port
 * 0 holding the mock, an RP registered with it, a scripted browser that follows the redirects
 * (login_hint skips the picking page) and stops at the RP's redirect_uri.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createOidcRp, type LoginSecrets, type OidcRp, type OidcRpOptions, type ReplayGuard } from '../../../src/back/oidc-rp/index.ts';
import type { Acr, FcScope } from '../../../src/back/oidc-rp/platform.ts';
import type { MockFranceConnect, MockFranceConnectOptions } from '../../../src/mock/franceconnect/index.ts';
import { TestBrowser } from '../../mock/support/browser.ts';
import { mountMock, startServer, type TestServer } from '../../mock/support/server.ts';

/** The RP's replay guard, in memory (the node wires src/storage's ReplayStore). */
export function memoryReplayGuard(): ReplayGuard & { seen: Set<string> } {
  const seen = new Set<string>();
  return {
    seen,
    markSeen: async (issuer, id) => {
      const key = `${issuer}\n${id}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    },
  };
}

export function rsaEncryptionKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 3072 }).privateKey;
}

export interface Harness {
  server: TestServer;
  mock: MockFranceConnect;
  rp: OidcRp;
  redirectUri: string;
  replay: ReturnType<typeof memoryReplayGuard>;
  /** Runs the browser part of a login; returns the callback URL and the secrets to keep. */
  login(citizen: string, request?: { acrValues?: Acr[]; scopes?: FcScope[] }): Promise<{ callback: URL; secrets: LoginSecrets }>;
  /** The browser part alone, from an authorization URL (possibly tampered with). */
  browse(authorizationUrl: URL): Promise<URL>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  rp?: Partial<Omit<OidcRpOptions, 'issuer' | 'redirectUri' | 'replay'>>;
  mock?: Partial<Pick<MockFranceConnectOptions, 'platform' | 'misbehave'>>;
}

export const PIVOT_SCOPES: FcScope[] = ['identite_pivot', 'preferred_username'];

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const server = await startServer();
  const redirectUri = `${server.base}/proxy-service/franceconnect/callback`;
  const replay = memoryReplayGuard();
  const rp = createOidcRp({
    platform: 'franceconnect-plus',
    clientId: 'pont-eidas-test',
    clientSecret: randomBytes(32).toString('base64url'),
    signingAlg: 'ES256',
    allowHttp: true,
    postLogoutRedirectUri: `${server.base}/proxy-service/franceconnect/logout-callback`,
    ...options.rp,
    issuer: `${server.base}/mock/franceconnect/api/v2`,
    redirectUri,
    replay,
  });
  const mock = await mountMock(server, [await rp.registration()], options.mock ?? {});
  const defaultAcr: Acr = (options.rp?.platform ?? 'franceconnect-plus') === 'franceconnect' ? 'eidas1' : 'eidas2';
  async function browse(authorizationUrl: URL): Promise<URL> {
    const { stoppedAt, last } = await new TestBrowser().navigate(authorizationUrl.href, redirectUri);
    if (!stoppedAt) throw new Error(`login did not come back to the RP (HTTP ${last.status})`);
    return stoppedAt;
  }
  return {
    server,
    mock,
    rp,
    redirectUri,
    replay,
    browse,
    async login(citizen, request = {}) {
      const { url, secrets } = await rp.startLogin({
        acrValues: request.acrValues ?? [defaultAcr],
        scopes: request.scopes ?? PIVOT_SCOPES,
        loginHint: citizen,
      });
      return { callback: await browse(url), secrets };
    },
    close: () => server.close(),
  };
}

/** Awaits `p` and returns the OidcRpError reason it fails with ('resolved' if it does not fail). */
export async function reasonOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return (e as { reason?: string }).reason ?? `untyped: ${(e as Error).name}`;
  }
}
