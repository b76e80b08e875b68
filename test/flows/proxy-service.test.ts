/**
 * The proxy service end to end over real HTTP (DESIGN §1 steps 1–7, issue 4 items 5–7): a
 * node started in development on 127.0.0.1 with its mock FranceConnect and the mock EU country,
 * walked by a scripted browser from the demo EU service to the EU service's result page. On
 * PGlite and on PostgreSQL (DATABASE_URL).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PROXY_FLOW_COOKIE, developmentStateDir } from '../../src/flow/index.ts';
import { describeEngines } from '../storage/engines.ts';
import { FlowBrowser, formsOf } from './support/browser.ts';
import { openTestDb, startTestNode, workspace, type TestDb, type TestNode, type Workspace } from './support/node.ts';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { LOA, LOGOUT_CALLBACK_PATH, autoPostToAcs, decide, demoResult, demoToSso, endSessionOf, franceConnectToConsent, onlyForm, toLogoutCallback, walk } from './support/walk.ts';

const STATUS = 'urn:oasis:names:tc:SAML:2.0:status:';
const ANGELA = { FamilyName: 'DUBOIS', FirstName: 'Angela Claire Louise', DateOfBirth: '1962-08-24', Gender: 'Female', BirthName: 'Angela Claire Louise DUBOIS' };

describeEngines('proxy service flow over HTTP', (engine) => {
  let ws: Workspace;
  let testDb: TestDb;
  let t: TestNode;
  beforeAll(async () => {
    ws = await workspace('flow');
    testDb = await openTestDb(engine.name);
    t = await startTestNode(ws, testDb.db);
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await testDb?.close();
    ws?.cleanup();
  });

  /** The SSO answer must be a page: no redirect, no flow cookie, no form toward anyone. */
  const expectNothingSent = async (res: Response, status = 400) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.getSetCookie().some((c) => c.startsWith(`${PROXY_FLOW_COOKIE}=`) && !/Expires=Thu, 01 Jan 1970/.test(c))).toBe(false);
    const html = await res.text();
    expect(html).not.toContain('SAMLResponse');
    expect(html).toMatch(/<html lang="(en|fr)"/);
    return html;
  };

  it('DESIGN §1, R-RSP-14: demo EU service → SSO (POST) → FranceConnect → consent → the EU service shows the verified attributes and LoA', async () => {
    const browser = new FlowBrowser();
    const { sso } = await demoToSso(browser, t.base, { loa: LOA.substantial, binding: 'post' });
    const authorize = new URL(sso.headers.get('location')!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${t.base}/mock/franceconnect/api/v2/authorize`);
    expect(authorize.searchParams.get('acr_values')).toBe('eidas2');
    expect(authorize.searchParams.get('scope')!.split(' ')).toEqual(expect.arrayContaining(['openid', 'given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry']));
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${t.base}/proxy-service/franceconnect/callback`);
    const consent = await franceConnectToConsent(browser, sso, 'angela-dubois');
    expect(consent.res.status).toBe(200);
    expect(consent.html).toContain('Demo EU service');
    for (const value of Object.values(ANGELA)) expect(consent.html).toContain(value);
    const autoPost = await decide(browser, consent, 'accept');
    expect(autoPost.res.headers.get('content-security-policy')).toMatch(new RegExp(`form-action ${t.base.replace(/[.]/g, '\\.')}(;|$)`));
    const result = demoResult((await autoPostToAcs(browser, autoPost)).html);
    expect(result.loa).toBe(LOA.substantial);
    expect(result.attributes).toMatchObject(ANGELA);
    expect(result.attributes.PersonIdentifier).toMatch(/^FR\/XE\/[0-9a-f]{64}$/);
    expect(result.attributes.PlaceOfBirth).toContain('75107');
  });

  it('R-MSG-28, R-RSP-15: HTTP-Redirect request at LoA high → FranceConnect asked eidas3 → high reported; same PersonIdentifier for the same citizen', async () => {
    const first = await walk(new FlowBrowser(), t.base, { citizen: 'angela-dubois' });
    const browser = new FlowBrowser();
    const { sso } = await demoToSso(browser, t.base, { loa: LOA.high, binding: 'redirect' });
    expect(new URL(sso.headers.get('location')!).searchParams.get('acr_values')).toBe('eidas3');
    const consent = await franceConnectToConsent(browser, sso, 'angela-dubois');
    const result = demoResult((await autoPostToAcs(browser, await decide(browser, consent, 'accept'))).html);
    expect(result.loa).toBe(LOA.high);
    expect(result.attributes.PersonIdentifier).toBe(first.result.attributes.PersonIdentifier);
  });

  it('R-RSP-09, R-SEC-11: refusing consent → the EU service shows Responder / RequestDenied and no attribute', async () => {
    const { result } = await walk(new FlowBrowser(), t.base, { citizen: 'fatou-diallo', decision: 'refuse' });
    expect(result).toMatchObject({ status: `${STATUS}Responder`, subStatus: `${STATUS}RequestDenied`, attributes: {} });
  });

  it('ATK-63: FranceConnect logs the citizen in at eidas1 for an eidas2 request → signed NoAuthnContext, no consent page, no identity', async () => {
    const fc = t.node.dev!.franceConnect!;
    fc.misbehave({ acr: 'eidas1' });
    try {
      const browser = new FlowBrowser();
      const { sso } = await demoToSso(browser, t.base);
      const answer = await franceConnectToConsent(browser, sso, 'jean-martin');
      expect(answer.url).toContain('/proxy-service/franceconnect/callback');
      expect(answer.html).not.toContain('MARTIN');
      const result = demoResult((await autoPostToAcs(browser, answer)).html);
      expect(result).toMatchObject({ status: `${STATUS}Responder`, subStatus: `${STATUS}NoAuthnContext`, attributes: {} });
      expect(t.lines.filter((l) => l.event === 'proxy.login.failed').at(-1)).toMatchObject({ reason: 'OIDC_ACR', failure: 'LOA_NOT_MET' });
      expect(browser.cookie(PROXY_FLOW_COOKIE)).toBeUndefined();
    } finally {
      fc.misbehave(undefined);
    }
  });

  it('R-RSP-09: the citizen cancels at FranceConnect → signed RequestDenied', async () => {
    const browser = new FlowBrowser();
    const { sso } = await demoToSso(browser, t.base);
    const { res } = await browser.follow(sso);
    const picker = await res.text();
    const cancel = formsOf(picker, browser.hops.at(-1)!.url).find((f) => f.action.endsWith('/abort'))!;
    const { res: back } = await browser.follow(await browser.submit(cancel));
    const result = demoResult((await autoPostToAcs(browser, { res: back, html: await back.text(), url: browser.hops.at(-1)!.url })).html);
    expect(result).toMatchObject({
      status: `${STATUS}Responder`,
      subStatus: `${STATUS}RequestDenied`,
      message: 'Citizen cancelled the authentication.',
    });
  });

  it('ATK-38, R-MSG-01: a replayed AuthnRequest gets the citizen page; nothing is sent and no flow starts', async () => {
    const browser = new FlowBrowser();
    const { sso, request } = await demoToSso(browser, t.base);
    expect(sso.status).toBe(303);
    const again = new FlowBrowser();
    const html = await expectNothingSent(await again.submit(request as ReturnType<typeof onlyForm>));
    expect(html).not.toContain('franceconnect');
    expect(again.cookie(PROXY_FLOW_COOKIE)).toBeUndefined();
  });

  it('ATK-58: the flow cookie holds only an opaque id: HttpOnly, SameSite=Lax, Path=/proxy-service, 30 minutes; cleared when the flow ends', async () => {
    const browser = new FlowBrowser();
    const { sso } = await demoToSso(browser, t.base);
    const cookie = browser.cookie(PROXY_FLOW_COOKIE)!;
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie.attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax', 'Path=/proxy-service', 'Max-Age=1800']));
    expect(cookie.attributes).not.toContain('Secure'); // plain http in this test; https sets it
    const consent = await franceConnectToConsent(browser, sso, 'kenji-tanaka');
    expect(browser.cookie(PROXY_FLOW_COOKIE)!.value).toBe(cookie.value);
    await decide(browser, consent, 'accept');
    expect(browser.cookie(PROXY_FLOW_COOKIE)).toBeUndefined();
  });

  it('ATK-58, ATK-59: back from FranceConnect without the flow cookie (another browser) → the citizen page, nothing sent', async () => {
    const browser = new FlowBrowser();
    const { sso } = await demoToSso(browser, t.base);
    browser.drop(PROXY_FLOW_COOKIE);
    const answer = await franceConnectToConsent(browser, sso, 'angela-dubois');
    expect(answer.url).toContain('/proxy-service/franceconnect/callback');
    expect(answer.res.status).toBe(400);
    expect(answer.html).not.toContain('SAMLResponse');
    expect(answer.html).not.toContain('DUBOIS');
    expect(t.lines.filter((l) => l.event === 'proxy.flow.refused').at(-1)).toMatchObject({ reason: 'FLOW_MISSING' });
  });

  it('ATK-59: FranceConnect\'s answer for one browser\'s flow, replayed in another browser\'s flow → that flow gets AuthnFailed, the identity is never shown there', async () => {
    const victim = new FlowBrowser();
    const attacker = new FlowBrowser();
    const toCallback = async (b: FlowBrowser, citizen: string) => {
      const { sso } = await demoToSso(b, t.base);
      const authorize = new URL(sso.headers.get('location')!);
      authorize.searchParams.set('login_hint', citizen);
      const { stoppedAt } = await b.follow(await b.request(authorize.href), { stopAt: (u) => u.pathname === '/proxy-service/franceconnect/callback' });
      return stoppedAt!;
    };
    const attackersCallback = await toCallback(attacker, 'pierre-santoni');
    await toCallback(victim, 'angela-dubois');
    const answer = await victim.request(attackersCallback.href);
    const html = await answer.text();
    expect(html).not.toContain('SANTONI');
    const result = demoResult((await autoPostToAcs(victim, { res: answer, html, url: attackersCallback.href })).html);
    expect(result).toMatchObject({ status: `${STATUS}Responder`, subStatus: `${STATUS}AuthnFailed`, attributes: {} });
    expect(t.lines.filter((l) => l.event === 'proxy.login.failed').at(-1)).toMatchObject({ reason: 'OIDC_STATE' });
    // The attacker's own flow is untouched by the attempt: its state was not consumed.
    const consent = await attacker.follow(await attacker.request(attackersCallback.href));
    expect(new URL(attacker.hops.at(-1)!.url).pathname).toBe('/proxy-service/consent');
    expect(await consent.res.text()).toContain('SANTONI');
  });

  it('DESIGN §5: a flow past its 30 minutes ends at the citizen page, whatever step it was at', async () => {
    const browser = new FlowBrowser();
    const consent = await franceConnectToConsent(browser, (await demoToSso(browser, t.base)).sso, 'helene-lefevre');
    expect(consent.res.status).toBe(200);
    // 30 minutes later: the flow was created 31 minutes ago and lapsed a minute ago.
    const aged = await testDb.db.query(
      `UPDATE pending_flows SET created_at = now() - interval '31 minutes', expires_at = now() - interval '1 minute' WHERE id = $1`,
      [browser.cookie(PROXY_FLOW_COOKIE)!.value],
    );
    expect(aged.rowCount).toBe(1);
    const answer = await decide(browser, consent, 'accept');
    expect(answer.res.status).toBe(400);
    expect(answer.html).not.toContain('SAMLResponse');
    const reload = await browser.request(`${t.base}/proxy-service/consent`);
    expect(reload.status).toBe(400);
  });

  it('ATK-58: a consent POST replayed with the same cookie and token gets the page: the Response goes out exactly once', async () => {
    const browser = new FlowBrowser();
    const consent = await franceConnectToConsent(browser, (await demoToSso(browser, t.base)).sso, 'pierre-santoni');
    const cookie = browser.cookie(PROXY_FLOW_COOKIE)!;
    const form = onlyForm(consent);
    const first = await browser.submit(form, { decision: 'accept' });
    endSessionOf(first); // on its way out through FranceConnect's logout
    const logoutCookie = browser.cookie(PROXY_FLOW_COOKIE)!;
    browser.jar.set(PROXY_FLOW_COOKIE, cookie); // an attacker who kept both
    const replay = await browser.submit(form, { decision: 'accept' });
    expect(replay.status).toBe(400);
    expect(await replay.text()).not.toContain('SAMLResponse');
    browser.jar.set(PROXY_FLOW_COOKIE, logoutCookie);
    const back = await toLogoutCallback(browser, first);
    expect(await (await browser.request(back.href)).text()).toContain('SAMLResponse');
  });

  it('ATK-58: two consent POSTs racing on one flow: exactly one goes on to FranceConnect\'s logout, the other gets the page', async () => {
    const browser = new FlowBrowser();
    const consent = await franceConnectToConsent(browser, (await demoToSso(browser, t.base)).sso, 'francois-daubigne');
    const form = onlyForm(consent);
    const answers = await Promise.all([browser.submit(form, { decision: 'accept' }), browser.submit(form, { decision: 'refuse' })]);
    expect(answers.map((r) => r.status).sort()).toEqual([303, 400]);
    const refused = answers.find((r) => r.status === 400)!;
    expect(await refused.text()).not.toContain('SAMLResponse');
  });

  it('ATK-58: a consent POST with another flow\'s token is refused with the page; the flow still accepts its own', async () => {
    const mine = new FlowBrowser();
    const myConsent = await franceConnectToConsent(mine, (await demoToSso(mine, t.base)).sso, 'marie-therese-de-la-tour');
    const other = new FlowBrowser();
    const otherConsent = await franceConnectToConsent(other, (await demoToSso(other, t.base)).sso, 'angela-dubois');
    const forged = await mine.submit(onlyForm(myConsent), { decision: 'accept', csrf_token: onlyForm(otherConsent).fields.csrf_token! });
    expect(forged.status).toBe(400);
    expect(await forged.text()).not.toContain('SAMLResponse');
    const result = demoResult((await autoPostToAcs(mine, await decide(mine, myConsent, 'accept'))).html);
    expect(result.attributes.FamilyName).toBeDefined();
  });

  it('ATK-53: XML- and HTML-special characters in FranceConnect claims reach the EU service unchanged, and stay text on the consent page', async () => {
    const { consent, result } = await walk(new FlowBrowser(), t.base, { citizen: 'zoe-xml-special' });
    expect(consent.html).toContain('Zoé &quot;Zaza&quot; &lt;b&gt;');
    expect(consent.html).not.toContain('<b>');
    expect(result.attributes).toMatchObject({
      FirstName: 'Zoé "Zaza" <b>',
      FamilyName: ']]> & <![CDATA[',
      BirthName: 'Zoé "Zaza" <b> L\'ÉCUYER & FILS <FOO>',
      DateOfBirth: '2000-02-29',
    });
  });

  it('R-SEC-07: the logs keep issuer, request ID and time of each step, never an attribute value, a token or the PersonIdentifier secret', async () => {
    const before = t.lines.length;
    const { result } = await walk(new FlowBrowser(), t.base, { citizen: 'zoe-xml-special' });
    const mine = t.lines.slice(before);
    const started = mine.find((l) => l.event === 'proxy.login.started')!;
    expect(started).toMatchObject({ issuer: `${t.base}/mock/eu/connector/metadata`, requestId: expect.stringMatching(/^_/), time: expect.any(String) });
    expect(mine.filter((l) => l.requestId === started.requestId).map((l) => l.event)).toEqual([
      'eidas.request.accepted',
      'proxy.login.started',
      'proxy.consent',
      'proxy.logout.started',
      'proxy.logout.done',
      'eidas.response.sent',
    ]);
    const logs = JSON.stringify(t.lines);
    const secret = readFileSync(join(developmentStateDir(t.config), 'proxy-service-identifier-secret'), 'utf8').trim();
    expect(result.attributes.PersonIdentifier).toBeDefined();
    for (const value of [...Object.values(ANGELA), ...Object.values(result.attributes), secret]) expect(logs).not.toContain(value);
    expect(logs).not.toMatch(/code=|state=|id_token|SAMLResponse|SAMLRequest/);
  });

  it('franceconnect.md §3.2 / fact 10: the login ends at FranceConnect\'s end_session with a signed id_token_hint (verifiable with FranceConnect\'s key), the registered post_logout_redirect_uri and a state; the mock accepts it and the EU service gets the attributes', async () => {
    const browser = new FlowBrowser();
    const consent = await franceConnectToConsent(browser, (await demoToSso(browser, t.base)).sso, 'angela-dubois');
    const before = t.lines.length;
    const decided = await browser.submit(onlyForm(consent), { decision: 'accept' });
    const endSession = endSessionOf(decided);
    const hint = endSession.searchParams.get('id_token_hint')!;
    expect(hint.split('.')).toHaveLength(3); // the signed JWS, not the JWE encrypted to us
    const fc = t.node.dev!.franceConnect!;
    const jwks = (await (await fetch(`${fc.issuer}/jwks`)).json()) as Parameters<typeof createLocalJWKSet>[0];
    const { payload, protectedHeader } = await jwtVerify(hint, createLocalJWKSet(jwks), { issuer: fc.issuer, audience: t.config.franceconnect.clientId });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload.sub).toMatch(/^[0-9a-f]{64}v1$/);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${t.base}${LOGOUT_CALLBACK_PATH}`);
    const state = endSession.searchParams.get('state')!;
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const back = await toLogoutCallback(browser, decided);
    expect(back.searchParams.get('state')).toBe(state);
    const autoPost = await browser.request(back.href);
    expect(autoPost.status).toBe(200);
    const html = await autoPost.text();
    const result = demoResult((await autoPostToAcs(browser, { res: autoPost, html, url: back.href })).html);
    expect(result.attributes).toMatchObject(ANGELA);
    expect(browser.cookie(PROXY_FLOW_COOKIE)).toBeUndefined();
    expect(JSON.stringify(t.lines.slice(before))).not.toContain(hint.split('.')[2]!);
  });

  it('ATK-59: back from FranceConnect\'s logout with a wrong or no state → the citizen page, nothing sent', async () => {
    const browser = new FlowBrowser();
    const consent = await franceConnectToConsent(browser, (await demoToSso(browser, t.base)).sso, 'jean-martin');
    const back = await toLogoutCallback(browser, await browser.submit(onlyForm(consent), { decision: 'accept' }));
    const forged = new URL(back);
    forged.searchParams.set('state', 'A'.repeat(43));
    for (const url of [forged, new URL(`${t.base}${LOGOUT_CALLBACK_PATH}`)]) {
      const res = await browser.request(url.href);
      expect(res.status).toBe(400);
      expect(await res.text()).not.toContain('SAMLResponse');
      expect(t.lines.filter((l) => l.event === 'proxy.flow.refused').at(-1)).toMatchObject({ reason: 'LOGOUT_STATE' });
    }
  });

  it('ATK-58: a replayed logout callback (same cookie, same state) gets the citizen page: the Response goes out exactly once', async () => {
    const browser = new FlowBrowser();
    const consent = await franceConnectToConsent(browser, (await demoToSso(browser, t.base)).sso, 'kenji-tanaka');
    const back = await toLogoutCallback(browser, await browser.submit(onlyForm(consent), { decision: 'refuse' }));
    const cookie = browser.cookie(PROXY_FLOW_COOKIE)!;
    const first = await browser.request(back.href);
    expect(await first.text()).toContain('SAMLResponse');
    browser.jar.set(PROXY_FLOW_COOKIE, cookie); // an attacker who kept both
    const replay = await browser.request(back.href);
    expect(replay.status).toBe(400);
    expect(await replay.text()).not.toContain('SAMLResponse');
    expect(t.lines.filter((l) => l.event === 'proxy.flow.refused').at(-1)).toMatchObject({ reason: 'FLOW_MISSING' });
  });
});
