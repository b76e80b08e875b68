/**
 * DESIGN §5 "instances are stateless": two nodes on one PostgreSQL behind one public name. One
 * login hops between them as a load balancer without affinity would send it: the AuthnRequest
 * reaches instance A, FranceConnect's callback and the consent page instance B, the decision
 * instance A again. Needs PostgreSQL (PGlite belongs to one process): without DATABASE_URL the
 * suite is skipped with a notice, and under CI=true it fails.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MOCK_FRANCECONNECT_PATH } from '../../src/mock/franceconnect/index.ts';
import { describeWithPostgres } from '../storage/engines.ts';
import { FlowBrowser } from './support/browser.ts';
import { freePort, openTestDb, startTestNode, workspace, type TestDb, type TestNode, type Workspace } from './support/node.ts';
import { autoPostToAcs, decide, demoResult, demoToSso, franceConnectToConsent, walk } from './support/walk.ts';

const NAME = 'proxy service: one flow across two instances on one PostgreSQL';

function suite(): void {
  let ws: Workspace;
  let testDb: TestDb;
  let a: TestNode;
  let b: TestNode;
  beforeAll(async () => {
    ws = await workspace('flow-hop');
    testDb = await openTestDb('postgres');
    a = await startTestNode(ws, testDb.db);
    // B: same name, same keys and secrets, FranceConnect (A's mock) named explicitly, its own pool.
    const issuer = `${a.base}${MOCK_FRANCECONNECT_PATH}`;
    b = await startTestNode(ws, await testDb.another(), { port: await freePort(), publicBaseUrl: a.base, overrides: { franceconnect: { issuer } } });
  }, 120_000);
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await testDb?.close();
    ws?.cleanup();
  });

  it('DESIGN §5: SSO on A, FranceConnect callback and consent page on B, decision on A → the EU service gets the identity', async () => {
    let instance = a;
    const bound = { a: a.node.boundUrl, b: b.node.boundUrl };
    const browser = new FlowBrowser((url) => {
      if (!url.pathname.startsWith('/proxy-service/')) return url; // the mocks and the demo live on A
      const routed = new URL(url);
      const to = new URL(instance === a ? bound.a : bound.b);
      routed.host = to.host;
      return routed;
    });
    const { sso } = await demoToSso(browser, a.base);
    instance = b;
    const consent = await franceConnectToConsent(browser, sso, 'angela-dubois');
    expect(consent.res.status).toBe(200);
    expect(consent.url).toBe(`${a.base}/proxy-service/consent`);
    instance = a;
    const autoPost = await decide(browser, consent, 'accept');
    const result = demoResult((await autoPostToAcs(browser, autoPost)).html);
    expect(result.attributes.FamilyName).toBe('DUBOIS');
    expect(result.loa).toBe('http://eidas.europa.eu/LoA/substantial');

    const path = (n: TestNode, method: string, p: string) => n.lines.some((l) => l.msg === 'request' && l.method === method && l.path === p);
    expect(path(a, 'POST', '/proxy-service/sso')).toBe(true);
    expect(path(b, 'GET', '/proxy-service/franceconnect/callback')).toBe(true);
    expect(path(b, 'GET', '/proxy-service/consent')).toBe(true);
    expect(path(a, 'POST', '/proxy-service/consent')).toBe(true);
    expect(path(a, 'GET', '/proxy-service/franceconnect/callback')).toBe(false);

    // Both instances derive the same PersonIdentifier (shared secret): a walk on A alone agrees.
    const alone = await walk(new FlowBrowser(), a.base, { citizen: 'angela-dubois' });
    expect(alone.result.attributes.PersonIdentifier).toBe(result.attributes.PersonIdentifier);
  });
}

describeWithPostgres(NAME, suite);
