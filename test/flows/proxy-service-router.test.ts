/**
 * The proxy-service router alone, inside the real application frame (createApp: helmet, express
 * settings) and on a real FlowStore (PGlite), with the SAML front and the FranceConnect client
 * replaced by recorders: what an end-to-end walk cannot pin down deterministically (two requests
 * of one flow racing) and the headers of the consent page.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OidcRpError, type OidcRp } from '../../src/back/oidc-rp/index.ts';
import { PROXY_FLOW_COOKIE, PROXY_FLOW_KIND, PROXY_FLOW_TTL_MS, proxyServiceRouter, type ProxyFlowState } from '../../src/flow/index.ts';
import type { SamlIdp, ValidatedRequest } from '../../src/front/saml-idp/index.ts';
import { createApp } from '../../src/server/app.ts';
import { FlowStore, IN_MEMORY, migrate, openDatabase, systemClock, type Database } from '../../src/storage/index.ts';
import { createLogger } from '../../src/util/logger.ts';
import { pgliteTemplateData } from '../storage/engines.ts';

const N = 'http://eidas.europa.eu/attributes/naturalperson/';
const SUBSTANTIAL = 'http://eidas.europa.eu/LoA/substantial';
const REQUEST: ValidatedRequest = {
  peerEntityId: 'https://connector.example.eu/metadata', acsUrl: 'https://connector.example.eu/acs', requestId: '_req-1',
  binding: 'HTTP-POST', country: 'DE', issueInstant: '2026-11-26T10:00:00.000Z', spType: 'public',
  nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  loa: { comparison: 'minimum', requested: [SUBSTANTIAL], acceptable: [SUBSTANTIAL] },
  attributes: [{ name: `${N}CurrentFamilyName`, friendlyName: 'FamilyName', isRequired: true }],
};

const LOGOUT_CALLBACK = '/proxy-service/franceconnect/logout-callback';
const OUTCOME = { attributes: [{ name: `${N}CurrentFamilyName`, friendlyName: 'FamilyName', values: ['DUBOIS'] }], loa: SUBSTANTIAL, nameId: 'FR/DE/abc', authnInstant: '2026-11-26T10:00:00.000Z' };

type Answer = { kind: 'success' | 'failure'; requestId: string; reason?: string };

describe('proxy-service router (recorded SAML front and FranceConnect client)', () => {
  let db: Database;
  let flows: FlowStore;
  const answers: Answer[] = [];
  const lines: Array<Record<string, unknown>> = [];
  let finishLogin: OidcRp['finishLogin'] = async () => {
    throw new OidcRpError('OIDC_STATE', 'not set up');
  };
  let app: express.Express;

  beforeAll(async () => {
    db = await openDatabase({ dataDir: IN_MEMORY, initialData: await pgliteTemplateData() });
    await migrate(db);
    flows = new FlowStore(db);
    const idp: SamlIdp = {
      router: (onValid) => express.Router().post('/proxy-service/sso', (req, res) => void onValid(req, res, REQUEST)),
      validate: async () => REQUEST,
      sendSuccess: async (_req, res, r) => {
        answers.push({ kind: 'success', requestId: r.requestId });
        res.status(200).type('html').send('<form><input name="SAMLResponse" value="success"></form>');
      },
      sendFailure: async (_req, res, r, reason) => {
        answers.push({ kind: 'failure', requestId: r.requestId, reason });
        res.status(200).type('html').send('<form><input name="SAMLResponse" value="failure"></form>');
      },
    };
    const rp: OidcRp = {
      issuer: 'https://fc.example.fr/api/v2',
      startLogin: async () => ({
        url: new URL('https://fc.example.fr/api/v2/authorize?state=s'),
        secrets: { issuer: 'https://fc.example.fr/api/v2', state: 's', nonce: 'n', codeVerifier: 'v', acrValues: ['eidas2'], scopes: ['openid'] },
      }),
      finishLogin: (callback, secrets) => finishLogin(callback, secrets),
      logoutUrl: async ({ idTokenHint, state }) => {
        const url = new URL('https://fc.example.fr/api/v2/session/end');
        url.search = new URLSearchParams({ id_token_hint: idTokenHint, post_logout_redirect_uri: `https://node.example.fr${LOGOUT_CALLBACK}`, state }).toString();
        return url;
      },
      publicJwks: async () => ({ keys: [] }),
      registration: async () => {
        throw new Error('not used');
      },
    };
    const logger = createLogger({
      level: 'info',
      destination: new Writable({
        write: (chunk: Buffer, _enc, done) => {
          for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
          done();
        },
      }),
    });
    const router = proxyServiceRouter({
      idp, rp, flows, logger, clock: systemClock, secureCookies: false,
      mapping: { platform: 'franceconnect-plus', identifierSecret: randomBytes(32).toString('base64url') },
    });
    app = createApp({ logger, readiness: async () => ({ status: 'ready', checks: {}, warnings: [] }), routers: [router] });
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  const flowCookieOf = (res: request.Response): string => {
    const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${PROXY_FLOW_COOKIE}=`));
    return set!.split(';')[0]!;
  };

  it('ATK-58, ATK-59: two callbacks of one flow failing together → exactly one signed error Response; the other gets the citizen page', async () => {
    const started = await request(app).post('/proxy-service/sso').send('SAMLRequest=x');
    expect(started.status).toBe(303);
    const cookie = flowCookieOf(started);
    // Both callbacks load the flow, then both fail at FranceConnect's step (e.g. a replayed state).
    let calls = 0;
    let release!: () => void;
    const bothInside = new Promise<void>((resolve) => (release = resolve));
    finishLogin = async () => {
      if (++calls === 2) release();
      await bothInside;
      throw new OidcRpError('OIDC_STATE', 'state already used');
    };
    const before = answers.length;
    const callback = () => request(app).get('/proxy-service/franceconnect/callback?code=c&state=s').set('Cookie', cookie);
    const replies = await Promise.all([callback(), callback()]);
    const mine = answers.slice(before);
    expect(mine).toEqual([{ kind: 'failure', requestId: REQUEST.requestId, reason: 'AUTHN_FAILED' }]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 400]);
    expect(replies.filter((r) => r.text.includes('SAMLResponse'))).toHaveLength(1);
    expect(lines.filter((l) => l.event === 'proxy.flow.refused').at(-1)).toMatchObject({ reason: 'FLOW_MISSING' });
  });

  it('ATK-58, DESIGN §6: the consent page (personal data) is no-store, without ETag, not framable by another site, and sends no Referer', async () => {
    const state: ProxyFlowState = { stage: 'consent', request: REQUEST, outcome: OUTCOME, csrf: randomBytes(32).toString('base64url'), idTokenHint: 'h.p.s' };
    const flow = await flows.create(PROXY_FLOW_KIND, state, PROXY_FLOW_TTL_MS);
    const page = await request(app).get('/proxy-service/consent').set('Cookie', `${PROXY_FLOW_COOKIE}=${flow.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('DUBOIS');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['etag']).toBeUndefined();
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(page.headers['content-security-policy']).toMatch(/form-action 'self'/);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-powered-by']).toBeUndefined();
  });

  /** A flow at FranceConnect's logout, as the consent decision leaves it; its cookie and state. */
  const atLogout = async () => {
    const logoutState = randomBytes(32).toString('base64url');
    const state: ProxyFlowState = { stage: 'logout', request: REQUEST, answer: { kind: 'success', outcome: OUTCOME }, logoutState };
    const flow = await flows.create(PROXY_FLOW_KIND, state, PROXY_FLOW_TTL_MS);
    return { cookie: `${PROXY_FLOW_COOKIE}=${flow.id}`, logoutState };
  };
  const logoutCallback = (cookie: string, query: string) => request(app).get(`${LOGOUT_CALLBACK}${query}`).set('Cookie', cookie);
  const expectPageOnly = (res: request.Response, reason: string) => {
    expect(res.status).toBe(400);
    expect(res.text).not.toContain('SAMLResponse');
    expect(lines.filter((l) => l.event === 'proxy.flow.refused').at(-1)).toMatchObject({ reason });
  };

  it('franceconnect.md §3.2: the consent decision sends the browser to end_session with the id_token_hint, the registered post_logout_redirect_uri and a fresh state; nothing is sent yet', async () => {
    const csrf = randomBytes(32).toString('base64url');
    const consent: ProxyFlowState = { stage: 'consent', request: REQUEST, outcome: OUTCOME, csrf, idTokenHint: 'header.payload.signature' };
    const flow = await flows.create(PROXY_FLOW_KIND, consent, PROXY_FLOW_TTL_MS);
    const before = answers.length;
    const res = await request(app).post('/proxy-service/consent').set('Cookie', `${PROXY_FLOW_COOKIE}=${flow.id}`).type('form').send({ csrf_token: csrf, decision: 'accept' });
    expect(res.status).toBe(303);
    expect(res.headers['cache-control']).toBe('no-store');
    const endSession = new URL(res.headers.location!);
    expect(endSession.searchParams.get('id_token_hint')).toBe('header.payload.signature');
    expect(endSession.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(answers.length).toBe(before);
    // The consent flow is gone; a new flow (new cookie) waits for the logout callback.
    expect(await flows.get(flow.id, PROXY_FLOW_KIND)).toBeUndefined();
    const cookie = flowCookieOf(res);
    expect(cookie).not.toBe(`${PROXY_FLOW_COOKIE}=${flow.id}`);
    const back = await logoutCallback(cookie, `?state=${endSession.searchParams.get('state')}`);
    expect(back.status).toBe(200);
    expect(answers.slice(before)).toEqual([{ kind: 'success', requestId: REQUEST.requestId }]);
    expect(JSON.stringify(lines)).not.toContain('header.payload.signature');
  });

  it('ATK-59: a logout callback with a wrong, missing or repeated state gets the citizen page and nothing is sent; the right state still answers once', async () => {
    const { cookie, logoutState } = await atLogout();
    const before = answers.length;
    const wrong = `${logoutState.slice(0, -1)}${logoutState.endsWith('A') ? 'B' : 'A'}`;
    expectPageOnly(await logoutCallback(cookie, `?state=${wrong}`), 'LOGOUT_STATE');
    expectPageOnly(await logoutCallback(cookie, ''), 'LOGOUT_STATE');
    expectPageOnly(await logoutCallback(cookie, `?state=${logoutState}&state=${logoutState}`), 'LOGOUT_STATE');
    expect(answers.length).toBe(before);
    const right = await logoutCallback(cookie, `?state=${logoutState}`);
    expect(right.status).toBe(200);
    expect(answers.slice(before)).toEqual([{ kind: 'success', requestId: REQUEST.requestId }]);
  });

  it('ATK-58: a logout callback without a flow, or replayed, or two racing, gets the page: the answer goes out exactly once', async () => {
    const { cookie, logoutState } = await atLogout();
    const before = answers.length;
    expectPageOnly(await request(app).get(`${LOGOUT_CALLBACK}?state=${logoutState}`), 'FLOW_MISSING');
    const replies = await Promise.all([logoutCallback(cookie, `?state=${logoutState}`), logoutCallback(cookie, `?state=${logoutState}`)]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 400]);
    expectPageOnly(await logoutCallback(cookie, `?state=${logoutState}`), 'FLOW_MISSING');
    expect(answers.slice(before)).toEqual([{ kind: 'success', requestId: REQUEST.requestId }]);
  });
});
